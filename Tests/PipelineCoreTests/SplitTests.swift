import OTelModel
import PipelineCore
import Testing

/// `removeFirst(items:)`, used to cap batch sizes: every item ends up on exactly one side, in order,
/// under its own resource and scope.
@Suite struct SplitTests {
    /// (resource name, scope name, item id) for every item, in order.
    static func flatten(_ d: TracesData) -> [String] {
        d.resourceSpans.flatMap { rs in
            rs.scopeSpans.flatMap { ss in
                ss.spans.map { "\(rs.resource?.attributes[key: "r"]?.stringValue ?? "")/\(ss.scope?.name ?? "")/\($0.spanID.value)" }
            }
        }
    }

    static func flatten(_ d: MetricsData) -> [String] {
        d.resourceMetrics.flatMap { rm in
            rm.scopeMetrics.flatMap { sm in
                sm.metrics.flatMap { m -> [String] in
                    guard case .sum(let s) = m.data else { return [] }
                    return s.dataPoints.map { "\(rm.resource?.attributes[key: "r"]?.stringValue ?? "")/\(sm.scope?.name ?? "")/\(m.name)/\($0.timeUnixNano)" }
                }
            }
        }
    }

    static let traces: TracesData = {
        var id: UInt64 = 0
        func scope(_ name: String, _ n: Int) -> ScopeSpans {
            ScopeSpans(scope: InstrumentationScope(name: ByteString(name)), spans: (0..<n).map { _ in
                id += 1
                var s = Span()
                s.spanID = SpanID(id)
                return s
            })
        }
        return TracesData(resourceSpans: [
            ResourceSpans(resource: Resource(attributes: [KeyValue("r", "a")]), scopeSpans: [scope("x", 3), scope("y", 0), scope("z", 4)]),
            ResourceSpans(resource: Resource(attributes: [KeyValue("r", "b")]), scopeSpans: [scope("x", 5)]),
            ResourceSpans(resource: Resource(attributes: [KeyValue("r", "c")]), scopeSpans: [scope("w", 2)]),
        ])
    }()

    @Test(arguments: 0...15)
    func tracesSplitAnywhere(_ n: Int) {
        var rest = Self.traces
        let head = rest.removeFirst(items: n)
        #expect(head.itemCount == min(n, 14))
        #expect(rest.itemCount == 14 - min(n, 14))
        #expect(Self.flatten(head) + Self.flatten(rest) == Self.flatten(Self.traces))
    }

    static let metrics: MetricsData = {
        func metric(_ name: String, _ n: Int) -> Metric {
            var m = Metric()
            m.name = ByteString(name)
            m.data = .sum(Sum(dataPoints: (0..<n).map { i in
                var p = NumberDataPoint()
                p.timeUnixNano = UInt64(i + 1)
                return p
            }, aggregationTemporality: .cumulative, isMonotonic: true))
            return m
        }
        return MetricsData(resourceMetrics: [
            ResourceMetrics(resource: Resource(attributes: [KeyValue("r", "a")]), scopeMetrics: [
                ScopeMetrics(scope: InstrumentationScope(name: "x"), metrics: [metric("m1", 3), metric("m2", 4)]),
            ]),
            ResourceMetrics(resource: Resource(attributes: [KeyValue("r", "b")]), scopeMetrics: [
                ScopeMetrics(scope: InstrumentationScope(name: "y"), metrics: [metric("m3", 5)]),
            ]),
        ])
    }()

    @Test(arguments: 0...13)
    func metricsSplitInsideMetrics(_ n: Int) {
        var rest = Self.metrics
        let head = rest.removeFirst(items: n)
        #expect(head.itemCount == min(n, 12))
        #expect(Self.flatten(head) + Self.flatten(rest) == Self.flatten(Self.metrics))
        // Both halves of a split metric keep its kind and temporality.
        for half in [head, rest] {
            for rm in half.resourceMetrics { for sm in rm.scopeMetrics { for m in sm.metrics {
                guard case .sum(let s) = m.data else { Issue.record("lost the sum"); continue }
                #expect(s.isMonotonic && s.aggregationTemporality == .cumulative)
            } } }
        }
    }
}
