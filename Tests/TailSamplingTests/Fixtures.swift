import OTelModel
@testable import TailSampling

/// Builds spans and payloads for sampler tests.
enum Make {
    static let second: UInt64 = 1_000_000_000

    static func id(_ n: Int) -> TraceID { TraceID(high: 0x1000 + UInt64(n), low: UInt64(n) &* 0x9E37_79B9_7F4A_7C15 | 1) }

    static func span(
        _ trace: TraceID, _ n: UInt64, start: UInt64 = 1_000 * second, ms: UInt64 = 10,
        status: StatusCode? = nil, attributes: [KeyValue] = [], traceState: String = "", flags: UInt32 = 0
    ) -> Span {
        var s = Span()
        s.traceID = trace
        s.spanID = SpanID(n + 1)
        s.name = ByteString("op-\(n)")
        s.startTimeUnixNano = start
        s.endTimeUnixNano = start + ms * 1_000_000
        if let status { s.status = SpanStatus(code: status) }
        s.attributes = Attributes(attributes)
        s.traceState = ByteString(traceState)
        s.flags = flags
        return s
    }

    static func payload(service: String, scope: String = "lib", _ spans: [Span]) -> TracesData {
        let resource = Resource(attributes: [KeyValue("service.name", service)])
        return TracesData(resourceSpans: [
            ResourceSpans(resource: resource, scopeSpans: [ScopeSpans(scope: InstrumentationScope(name: ByteString(scope)), spans: spans)])
        ])
    }

    static func sampler(wait: UInt64 = 5 * second, numTraces: Int = 1000, maxBytes: Int = 1 << 30, _ policies: [PolicyConfig]) throws -> TailSampler {
        try TailSampler(TailSampler.Settings(decisionWait: wait, numTraces: numTraces, maxBytes: maxBytes, policies: policies))
    }
}

extension TailSampler.Outcome {
    /// The trace ids of the spans passed on.
    var forwardedTraces: Set<TraceID> {
        var ids: Set<TraceID> = []
        for rs in forward { for ss in rs.scopeSpans { for s in ss.spans { ids.insert(s.traceID) } } }
        return ids
    }

    var forwardedSpans: Int { forward.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } } }
}
