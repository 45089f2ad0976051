import OTelModel

/// The spans of one trace gathered so far, in the resource and scope structure they came in.
public struct TraceView: Sendable {
    public var id: TraceID
    public var parts: [ResourceSpans]
    public var spanCount: Int
    /// Earliest start and latest end over the spans (ns since the epoch).
    public var earliestStart: UInt64
    public var latestEnd: UInt64

    public init(id: TraceID, parts: [ResourceSpans] = []) {
        self.id = id
        self.parts = []
        spanCount = 0
        earliestStart = .max
        latestEnd = 0
        for part in parts { add(part) }
    }

    public mutating func add(_ part: ResourceSpans) {
        for scope in part.scopeSpans {
            for span in scope.spans {
                spanCount += 1
                earliestStart = min(earliestStart, span.startTimeUnixNano)
                latestEnd = max(latestEnd, span.endTimeUnixNano)
            }
        }
        parts.append(part)
    }

    /// Latest end minus earliest start, in nanoseconds (0 for no spans).
    public var duration: UInt64 { latestEnd > earliestStart ? latestEnd - earliestStart : 0 }

    /// Calls `body` with each span and the attributes of its resource; stops when it returns true.
    /// Returns whether it stopped.
    @discardableResult
    func anySpan(_ body: (Span, Attributes) -> Bool) -> Bool {
        for part in parts {
            let resource = part.resource?.attributes ?? []
            for scope in part.scopeSpans {
                for span in scope.spans where body(span, resource) { return true }
            }
        }
        return false
    }

    /// Whether some resource or span attribute named `key` satisfies `test`.
    func anyAttribute(_ key: ByteString, _ test: (AnyValue) -> Bool) -> Bool {
        for part in parts {
            if let v = part.resource?.attributes[key: key], test(v) { return true }
            for scope in part.scopeSpans {
                for span in scope.spans {
                    if let v = span.attributes[key: key], test(v) { return true }
                }
            }
        }
        return false
    }
}
