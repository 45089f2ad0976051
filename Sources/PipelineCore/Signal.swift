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
    /// Calls `body` with the protobuf request without copying it when the payload still has the bytes
    /// it was decoded from.
    func withProtobufBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    /// The request bytes this payload was decoded from while it is unchanged (what
    /// ``withProtobufBytes(_:)`` hands out then), else nil.
    var protobufSource: ByteStorage? { get }
    init(json storage: ByteStorage) throws(JSONDecodingError)
    func jsonBytes() -> [UInt8]
}

extension TracesData: SignalData {
    public var protobufSource: ByteStorage? { source.storage }
    public static var signal: Signal { .traces }
    public init() { self.init(resourceSpans: []) }
    public var itemCount: Int { spanCount }

    public mutating func append(contentsOf other: TracesData) {
        resourceSpans.append(contentsOf: other.resourceSpans)
    }

    public mutating func removeFirst(items maxItems: Int) -> TracesData {
        TracesData(resourceSpans: takeFirst(items: maxItems, from: &resourceSpans))
    }
}

extension LogsData: SignalData {
    public var protobufSource: ByteStorage? { source.storage }
    public static var signal: Signal { .logs }
    public init() { self.init(resourceLogs: []) }
    public var itemCount: Int { logRecordCount }

    public mutating func append(contentsOf other: LogsData) {
        resourceLogs.append(contentsOf: other.resourceLogs)
    }

    public mutating func removeFirst(items maxItems: Int) -> LogsData {
        LogsData(resourceLogs: takeFirst(items: maxItems, from: &resourceLogs))
    }
}

extension MetricsData: SignalData {
    public var protobufSource: ByteStorage? { source.storage }
    public static var signal: Signal { .metrics }
    public init() { self.init(resourceMetrics: []) }
    public var itemCount: Int { dataPointCount }

    public mutating func append(contentsOf other: MetricsData) {
        resourceMetrics.append(contentsOf: other.resourceMetrics)
    }

    /// Splits at data-point granularity; a metric with more points than the budget is split in two.
    public mutating func removeFirst(items maxItems: Int) -> MetricsData {
        MetricsData(resourceMetrics: takeFirst(items: maxItems, from: &resourceMetrics))
    }
}

/// A resource with its scopes (`ResourceSpans`, `ResourceMetrics`, `ResourceLogs`).
protocol ResourceGroup {
    associatedtype Scope: ScopeGroup
    var scopes: [Scope] { get set }
    /// The same resource with no scopes.
    var emptyCopy: Self { get }
}

/// A scope with its items (`ScopeSpans`, `ScopeMetrics`, `ScopeLogs`).
protocol ScopeGroup {
    var itemCount: Int { get }
    /// Removes and returns the first `n` items (fewer than `itemCount`), as the same scope.
    mutating func removeFirst(items n: Int) -> Self
}

extension ResourceGroup {
    var itemCount: Int { scopes.reduce(0) { $0 + $1.itemCount } }
}

/// Removes the first `budget` items from `list`, keeping resource and scope structure on both sides.
func takeFirst<R: ResourceGroup>(items budget: Int, from list: inout [R]) -> [R] {
    var head: [R] = []
    var budget = budget
    var taken = 0
    while budget > 0, taken < list.count {
        let n = list[taken].itemCount
        if n <= budget {
            head.append(list[taken])
            taken += 1
            budget -= n
            continue
        }
        var part = list[taken].emptyCopy
        var scopesTaken = 0
        while budget > 0 {
            let c = list[taken].scopes[scopesTaken].itemCount
            if c <= budget {
                part.scopes.append(list[taken].scopes[scopesTaken])
                scopesTaken += 1
                budget -= c
            } else {
                part.scopes.append(list[taken].scopes[scopesTaken].removeFirst(items: budget))
                budget = 0
            }
        }
        list[taken].scopes.removeFirst(scopesTaken)
        head.append(part)
    }
    list.removeFirst(taken)
    return head
}

extension ResourceSpans: ResourceGroup {
    var scopes: [ScopeSpans] {
        get { scopeSpans }
        set { scopeSpans = newValue }
    }
    var emptyCopy: ResourceSpans { ResourceSpans(resource: resource, schemaURL: schemaURL) }
}

extension ScopeSpans: ScopeGroup {
    var itemCount: Int { spans.count }
    mutating func removeFirst(items n: Int) -> ScopeSpans {
        var head = self
        head.spans = Array(spans.prefix(n))
        spans.removeFirst(n)
        return head
    }
}

extension ResourceLogs: ResourceGroup {
    var scopes: [ScopeLogs] {
        get { scopeLogs }
        set { scopeLogs = newValue }
    }
    var emptyCopy: ResourceLogs { ResourceLogs(resource: resource, schemaURL: schemaURL) }
}

extension ScopeLogs: ScopeGroup {
    var itemCount: Int { logRecords.count }
    mutating func removeFirst(items n: Int) -> ScopeLogs {
        var head = self
        head.logRecords = Array(logRecords.prefix(n))
        logRecords.removeFirst(n)
        return head
    }
}

extension ResourceMetrics: ResourceGroup {
    var scopes: [ScopeMetrics] {
        get { scopeMetrics }
        set { scopeMetrics = newValue }
    }
    var emptyCopy: ResourceMetrics { ResourceMetrics(resource: resource, schemaURL: schemaURL) }
}

extension ScopeMetrics: ScopeGroup {
    var itemCount: Int { metrics.reduce(0) { $0 + $1.data.dataPointCount } }
    mutating func removeFirst(items n: Int) -> ScopeMetrics {
        var head = ScopeMetrics(scope: scope, schemaURL: schemaURL)
        var budget = n
        while budget > 0 {
            let points = metrics[0].data.dataPointCount
            if points <= budget {
                head.metrics.append(metrics.removeFirst())
                budget -= points
            } else {
                let (first, rest) = metrics[0].split(points: budget)
                head.metrics.append(first)
                metrics[0] = rest
                budget = 0
            }
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
