import Configuration
import Factories
import LogOps
import OTelModel
import PipelineCore
import Prometheus
import Telemetry

/// Fills `trace_id`, `span_id` and `flags` of log records that have no trace id, from their
/// attributes, a map body, or a text body (a JSON object, logfmt pairs, or a W3C `traceparent`),
/// with the ids validated (32 and 16 hex digits, not all zero). A record with a bad id is left as it
/// was; every outcome is counted in `otelsw_processor_trace_context_records_total{outcome}`.
struct TraceContextProcessor: Processor {
    typealias Data = LogsData
    let settings: TraceContext.Settings
    let next: any Consumer<LogsData>
    let outcomes: LabeledCounters

    init(config: TraceContextConfig, context: ComponentContext, next: any Consumer<LogsData>) {
        settings = config.settings
        self.next = next
        outcomes = context.telemetry.traceContextOutcomes(context.id)
    }

    func start() async throws {}
    func shutdown() async {}

    func consume(_ data: LogsData) async throws {
        var data = data
        var counts: [String: Int] = [:]
        for r in data.resourceLogs.indices {
            for s in data.resourceLogs[r].scopeLogs.indices {
                for i in data.resourceLogs[r].scopeLogs[s].logRecords.indices {
                    let outcome = TraceContext.extract(from: &data.resourceLogs[r].scopeLogs[s].logRecords[i], settings: settings)
                    counts[outcome.name, default: 0] += 1
                }
            }
        }
        for (name, n) in counts { outcomes.increment(name, by: n) }
        try await next.consume(data)
    }
}
