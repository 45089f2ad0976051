import OTelModel

/// The three OTLP signals a pipeline can carry.
public enum Signal: String, Sendable, Hashable, CaseIterable, Comparable {
    case traces, metrics, logs

    /// The collector's name for one item of this signal: spans, metric points, log records.
    public var itemName: String {
        switch self {
        case .traces: "spans"
        case .metrics: "metric_points"
        case .logs: "log_records"
        }
    }

    public static func < (a: Signal, b: Signal) -> Bool { a.rawValue < b.rawValue }
}

/// A payload of one signal: what flows through pipelines.
///
/// Generic stages (batching, queues, fan-out) are written once over this protocol.
public protocol SignalData: Sendable {
    static var signal: Signal { get }
    init()
    /// Spans, data points or log records.
    var itemCount: Int { get }
    /// Appends the resources of `other` (a repeated field concatenates, so this is cheap).
    mutating func append(contentsOf other: Self)
    /// Removes and returns the first `maxItems` items, keeping resource and scope structure.
    mutating func removeFirst(items maxItems: Int) -> Self

    init(protobuf storage: ByteStorage) throws(ProtoDecodingError)
    func protobufBytes() -> [UInt8]
    init(json storage: ByteStorage) throws(JSONDecodingError)
    func jsonBytes() -> [UInt8]
}

extension TracesData: SignalData {
    public static var signal: Signal { .traces }
    public init() { self.init(resourceSpans: []) }
    public var itemCount: Int { spanCount }

    public mutating func append(contentsOf other: TracesData) {
        resourceSpans.append(contentsOf: other.resourceSpans)
    }

    public mutating func removeFirst(items maxItems: Int) -> TracesData {
        var head = TracesData()
        var budget = maxItems
        while budget > 0, !resourceSpans.isEmpty {
            let n = resourceSpans[0].scopeSpans.reduce(0) { $0 + $1.spans.count }
            if n <= budget {
                head.resourceSpans.append(resourceSpans.removeFirst())
                budget -= n
                continue
            }
            var part = ResourceSpans(resource: resourceSpans[0].resource, schemaURL: resourceSpans[0].schemaURL)
            while budget > 0 {
                let count = resourceSpans[0].scopeSpans[0].spans.count
                if count <= budget {
                    part.scopeSpans.append(resourceSpans[0].scopeSpans.removeFirst())
                    budget -= count
                } else {
                    var ss = resourceSpans[0].scopeSpans[0]
                    ss.spans = Array(ss.spans.prefix(budget))
                    resourceSpans[0].scopeSpans[0].spans.removeFirst(budget)
                    part.scopeSpans.append(ss)
                    budget = 0
                }
            }
            head.resourceSpans.append(part)
        }
        return head
    }
}

extension LogsData: SignalData {
    public static var signal: Signal { .logs }
    public init() { self.init(resourceLogs: []) }
    public var itemCount: Int { logRecordCount }

    public mutating func append(contentsOf other: LogsData) {
        resourceLogs.append(contentsOf: other.resourceLogs)
    }

    public mutating func removeFirst(items maxItems: Int) -> LogsData {
        var head = LogsData()
        var budget = maxItems
        while budget > 0, !resourceLogs.isEmpty {
            let n = resourceLogs[0].scopeLogs.reduce(0) { $0 + $1.logRecords.count }
            if n <= budget {
                head.resourceLogs.append(resourceLogs.removeFirst())
                budget -= n
                continue
            }
            var part = ResourceLogs(resource: resourceLogs[0].resource, schemaURL: resourceLogs[0].schemaURL)
            while budget > 0 {
                let count = resourceLogs[0].scopeLogs[0].logRecords.count
                if count <= budget {
                    part.scopeLogs.append(resourceLogs[0].scopeLogs.removeFirst())
                    budget -= count
                } else {
                    var sl = resourceLogs[0].scopeLogs[0]
                    sl.logRecords = Array(sl.logRecords.prefix(budget))
                    resourceLogs[0].scopeLogs[0].logRecords.removeFirst(budget)
                    part.scopeLogs.append(sl)
                    budget = 0
                }
            }
            head.resourceLogs.append(part)
        }
        return head
    }
}

extension MetricsData: SignalData {
    public static var signal: Signal { .metrics }
    public init() { self.init(resourceMetrics: []) }
    public var itemCount: Int { dataPointCount }

    public mutating func append(contentsOf other: MetricsData) {
        resourceMetrics.append(contentsOf: other.resourceMetrics)
    }

    /// Splits at metric granularity; a metric with more points than the budget is split by points.
    public mutating func removeFirst(items maxItems: Int) -> MetricsData {
        var head = MetricsData()
        var budget = maxItems
        while budget > 0, !resourceMetrics.isEmpty {
            let n = resourceMetrics[0].scopeMetrics.reduce(0) { $0 + $1.metrics.reduce(0) { $0 + $1.data.dataPointCount } }
            if n <= budget {
                head.resourceMetrics.append(resourceMetrics.removeFirst())
                budget -= n
                continue
            }
            var part = ResourceMetrics(resource: resourceMetrics[0].resource, schemaURL: resourceMetrics[0].schemaURL)
            while budget > 0 {
                var scope = resourceMetrics[0].scopeMetrics[0]
                let count = scope.metrics.reduce(0) { $0 + $1.data.dataPointCount }
                if count <= budget {
                    part.scopeMetrics.append(resourceMetrics[0].scopeMetrics.removeFirst())
                    budget -= count
                    continue
                }
                var taken = ScopeMetrics(scope: scope.scope, schemaURL: scope.schemaURL)
                while budget > 0 {
                    let points = scope.metrics[0].data.dataPointCount
                    if points <= budget {
                        taken.metrics.append(scope.metrics.removeFirst())
                        budget -= points
                    } else {
                        let (first, rest) = scope.metrics[0].split(points: budget)
                        taken.metrics.append(first)
                        scope.metrics[0] = rest
                        budget = 0
                    }
                }
                resourceMetrics[0].scopeMetrics[0] = scope
                part.scopeMetrics.append(taken)
            }
            head.resourceMetrics.append(part)
        }
        return head
    }
}

extension Metric {
    /// The metric with its first `n` points, and the metric with the rest.
    func split(points n: Int) -> (Metric, Metric) {
        var a = self
        var b = self
        switch data {
        case .none: break
        case .gauge(let g):
            a.data = .gauge(Gauge(dataPoints: Array(g.dataPoints.prefix(n))))
            b.data = .gauge(Gauge(dataPoints: Array(g.dataPoints.dropFirst(n))))
        case .sum(let s):
            var x = s, y = s
            x.dataPoints = Array(s.dataPoints.prefix(n))
            y.dataPoints = Array(s.dataPoints.dropFirst(n))
            a.data = .sum(x)
            b.data = .sum(y)
        case .histogram(let h):
            var x = h, y = h
            x.dataPoints = Array(h.dataPoints.prefix(n))
            y.dataPoints = Array(h.dataPoints.dropFirst(n))
            a.data = .histogram(x)
            b.data = .histogram(y)
        case .exponentialHistogram(let e):
            var x = e, y = e
            x.dataPoints = Array(e.dataPoints.prefix(n))
            y.dataPoints = Array(e.dataPoints.dropFirst(n))
            a.data = .exponentialHistogram(x)
            b.data = .exponentialHistogram(y)
        case .summary(let s):
            a.data = .summary(Summary(dataPoints: Array(s.dataPoints.prefix(n))))
            b.data = .summary(Summary(dataPoints: Array(s.dataPoints.dropFirst(n))))
        }
        return (a, b)
    }
}
