import OTelModel

/// Payloads for tests.
public enum FakeData {
    /// `n` spans with span ids 1...n under one resource and scope.
    public static func spans(_ n: Int) -> TracesData {
        var ss = ScopeSpans()
        ss.spans = (0..<n).map { i in
            var s = Span()
            s.spanID = SpanID(UInt64(i + 1))
            return s
        }
        return TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ss])])
    }
}
