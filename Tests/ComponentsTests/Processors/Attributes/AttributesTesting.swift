@testable import Components
import Configuration
import OTelModel
import PipelineCore
import Queueing
import Runtime
import Synchronization

/// Builds `attributes` and `resource` processors from YAML and runs payloads through them.
enum AttributesTesting {
    struct ConfigProblems: Error, CustomStringConvertible {
        var diagnostics: [Diagnostic]
        var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Reads a processor's settings (the YAML of its body) as the loader would.
    static func reader<T>(_ yaml: String, _ make: (ConfigReader) -> T) throws -> T {
        let sink = DiagnosticSink()
        guard let node = ConfigParser.parse(yaml, file: "test.yaml", environment: [:], sink: sink) else { throw ConfigProblems(diagnostics: sink.diagnostics) }
        let r = ConfigReader(node: node, sink: sink, context: "processor 'test'")
        let value = make(r)
        r.finish()
        if sink.hasErrors { throw ConfigProblems(diagnostics: sink.diagnostics) }
        return value
    }

    static func attributes(_ yaml: String) throws -> AttributesConfig { try reader(yaml, AttributesConfig.init(reading:)) }

    /// Runs `data` through an `attributes` processor configured by `yaml`, with `context` as the request's.
    static func run<D: AttributeEditable>(_ yaml: String, _ data: D, context: RequestContext? = nil) async throws -> D {
        let capture = Capture<D>()
        let processor = AttributesProcessor(config: try attributes(yaml), next: capture)
        try await RequestContext.$current.withValue(context) { try await processor.consume(data) }
        return try capture.only()
    }

    static func runResource<D: AttributeEditable>(_ yaml: String, _ data: D, context: RequestContext? = nil) async throws -> D {
        let capture = Capture<D>()
        let processor = ResourceProcessor(actions: try reader(yaml, ResourceConfig.init(reading:)).actions, next: capture)
        try await RequestContext.$current.withValue(context) { try await processor.consume(data) }
        return try capture.only()
    }

    /// The diagnostics (`line:column: message`) of a whole pipeline file, or [] when it loads.
    static func diagnostics(_ yaml: String) -> [String] {
        do {
            _ = try AgentConfig.parse(yaml, file: "test.yaml", registry: Components.registry, environment: [:])
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }.map { String($0.description.dropFirst("test.yaml:".count)) }
        }
    }

    final class Capture<D: SignalData>: Consumer, Sendable {
        typealias Data = D
        let received = Mutex<[D]>([])
        func consume(_ data: D) async throws { received.withLock { $0.append(data) } }

        struct NotOne: Error {}
        func only() throws -> D {
            let all = received.withLock { $0 }
            guard all.count == 1 else { throw NotOne() }
            return all[0]
        }
    }

    // MARK: Payloads

    static func spans(_ spans: [Span], resource: [KeyValue] = [KeyValue("service.name", "shop")], scope: InstrumentationScope? = nil) -> TracesData {
        TracesData(resourceSpans: [ResourceSpans(resource: Resource(attributes: Attributes(resource)), scopeSpans: [ScopeSpans(scope: scope, spans: spans)])])
    }

    static func span(_ name: String, _ attributes: [KeyValue] = [], kind: SpanKind = .server) -> Span {
        var s = Span()
        s.name = ByteString(name)
        s.kind = kind
        s.attributes = Attributes(attributes)
        return s
    }

    static func logs(_ records: [LogRecord], resource: [KeyValue] = [KeyValue("service.name", "shop")], scope: InstrumentationScope? = nil) -> LogsData {
        LogsData(resourceLogs: [ResourceLogs(resource: Resource(attributes: Attributes(resource)), scopeLogs: [ScopeLogs(scope: scope, logRecords: records)])])
    }

    static func record(_ body: String, _ attributes: [KeyValue] = [], severity: Int32 = 9, text: String = "INFO") -> LogRecord {
        var r = LogRecord()
        r.body = .string(ByteString(body))
        r.attributes = Attributes(attributes)
        r.severityNumber = SeverityNumber(rawValue: severity)
        r.severityText = ByteString(text)
        return r
    }

    static func metrics(_ metrics: [Metric], resource: [KeyValue] = [KeyValue("service.name", "shop")]) -> MetricsData {
        MetricsData(resourceMetrics: [ResourceMetrics(resource: Resource(attributes: Attributes(resource)), scopeMetrics: [ScopeMetrics(metrics: metrics)])])
    }

    /// A gauge with one point per attribute set, and a histogram with the same points.
    static func gauge(_ name: String, points: [[KeyValue]]) -> Metric {
        var m = Metric()
        m.name = ByteString(name)
        m.data = .gauge(Gauge(dataPoints: points.map { a in
            var p = NumberDataPoint()
            p.attributes = Attributes(a)
            p.value = .int(1)
            return p
        }))
        return m
    }

    static func histogram(_ name: String, points: [[KeyValue]]) -> Metric {
        var m = Metric()
        m.name = ByteString(name)
        m.data = .histogram(Histogram(dataPoints: points.map { a in
            var p = HistogramDataPoint()
            p.attributes = Attributes(a)
            return p
        }))
        return m
    }

    // MARK: Reading results

    static func spanAttributes(_ data: TracesData) -> [[KeyValue]] {
        data.resourceSpans.flatMap { $0.scopeSpans.flatMap { $0.spans.map { Array($0.attributes) } } }
    }

    static func logAttributes(_ data: LogsData) -> [[KeyValue]] {
        data.resourceLogs.flatMap { $0.scopeLogs.flatMap { $0.logRecords.map { Array($0.attributes) } } }
    }

    static func pointAttributes(_ data: MetricsData) -> [[KeyValue]] {
        data.resourceMetrics.flatMap {
            $0.scopeMetrics.flatMap {
                $0.metrics.flatMap { m -> [[KeyValue]] in
                    switch m.data {
                    case .gauge(let g): g.dataPoints.map { Array($0.attributes) }
                    case .histogram(let h): h.dataPoints.map { Array($0.attributes) }
                    default: []
                    }
                }
            }
        }
    }
}

extension KeyValue {
    init(_ key: String, int value: Int64) { self.init(key: ByteString(key), value: .int(value)) }
    init(_ key: String, double value: Double) { self.init(key: ByteString(key), value: .double(value)) }
    init(_ key: String, bool value: Bool) { self.init(key: ByteString(key), value: .bool(value)) }
}
