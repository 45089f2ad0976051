import Configuration
import Factories
import LogOps
import OTelModel
import PipelineCore
import Prometheus
import Telemetry

/// `trace_context` processor settings: where to look for a trace context in log records that have
/// none, and under which keys.
public struct TraceContextConfig: ComponentConfig {
    var settings = TraceContext.Settings()

    init(reading r: ConfigReader) {
        let d = TraceContext.Settings()
        func keys(_ name: String, _ defaults: [String]) -> [String] {
            r.has(name) ? r.stringList(name) : defaults
        }
        settings = TraceContext.Settings(
            traceIDKeys: keys("trace_id_keys", d.traceIDKeys),
            spanIDKeys: keys("span_id_keys", d.spanIDKeys),
            traceFlagsKeys: keys("trace_flags_keys", d.traceFlagsKeys),
            traceparentKeys: keys("traceparent_keys", d.traceparentKeys),
            fromAttributes: r.bool("from_attributes", default: true),
            fromBodyMap: r.bool("from_body_map", default: true),
            fromBodyText: r.bool("from_body_text", default: true),
            maxBodyTextBytes: FileLogConfig.byteSize(r, "max_body_text_bytes", default: d.maxBodyTextBytes, min: 1))
        if settings.traceIDKeys.isEmpty && settings.traceparentKeys.isEmpty {
            r.error("give at least one of 'trace_id_keys' and 'traceparent_keys'")
        }
    }
}

public struct TraceContextProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "trace_context" }
    public var signals: Set<Signal> { [.logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ComponentConfig { TraceContextConfig(reading: reader) }

    public func makeProcessor<D: SignalData>(config: any ComponentConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        guard let logs = next as? any Consumer<LogsData>,
              let p = TraceContextProcessor(config: config as! TraceContextConfig, context: context, next: logs) as? any Processor<D> else {
            throw ConsumerError.permanent("trace_context works on logs only")
        }
        return p
    }
}

/// Fills `trace_id`, `span_id` and `flags` of log records that have no trace id, from their
/// attributes, a map body, or a text body (a JSON object, logfmt pairs, or a W3C `traceparent`),
/// with the ids validated (32 and 16 hex digits, not all zero). A record with a bad id is left as it
/// was; every outcome is counted in `otelsw_processor_trace_context_records_total{outcome}`.
struct TraceContextProcessor: Processor {
    typealias Data = LogsData
    let settings: TraceContext.Settings
    let next: any Consumer<LogsData>
    let telemetry: SelfTelemetry
    let id: ComponentID

    init(config: TraceContextConfig, context: ComponentContext, next: any Consumer<LogsData>) {
        settings = config.settings
        self.next = next
        telemetry = context.telemetry
        id = context.id
    }

    func start() async throws {}
    func shutdown() async {}

    func consume(_ data: LogsData) async throws {
        var data = data
        var outcomes: [String: Int] = [:]
        for r in data.resourceLogs.indices {
            for s in data.resourceLogs[r].scopeLogs.indices {
                for i in data.resourceLogs[r].scopeLogs[s].logRecords.indices {
                    let outcome = TraceContext.extract(from: &data.resourceLogs[r].scopeLogs[s].logRecords[i], settings: settings)
                    outcomes[outcome.name, default: 0] += 1
                }
            }
        }
        for (name, n) in outcomes { telemetry.traceContextOutcome(id, outcome: name, count: n) }
        try await next.consume(data)
    }
}
