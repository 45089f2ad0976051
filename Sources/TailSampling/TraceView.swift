import OTelModel

/// A received payload, shared by the traces it carries until each of them is decided.
final class Arrival {
    let data: TracesData
    init(_ data: TracesData) { self.data = data }
}

/// Where a span sits in its payload.
struct SpanRef {
    var resource: UInt32
    var scope: UInt32
    var index: UInt32
}

/// The spans of one trace from one payload: references, not copies, so holding a trace costs a
/// few bytes per span beyond the payload it came in.
struct TracePart {
    let arrival: Arrival
    var spans: [SpanRef]
}

/// The spans of one trace gathered so far.
public struct TraceView {
    public let id: TraceID
    var parts: [TracePart] = []
    public private(set) var spanCount = 0
    /// Earliest start and latest end over the spans (ns since the epoch).
    public private(set) var earliestStart: UInt64 = .max
    public private(set) var latestEnd: UInt64 = 0

    init(id: TraceID) { self.id = id }

    mutating func add(_ part: TracePart, earliestStart start: UInt64, latestEnd end: UInt64) {
        parts.append(part)
        spanCount += part.spans.count
        earliestStart = min(earliestStart, start)
        latestEnd = max(latestEnd, end)
    }

    /// Latest end minus earliest start, in nanoseconds (0 for no spans).
    public var duration: UInt64 { latestEnd > earliestStart ? latestEnd - earliestStart : 0 }

    /// Whether `body` holds for some span (given with its resource's attributes).
    func anySpan(_ body: (Span, Attributes) -> Bool) -> Bool {
        for part in parts {
            let resources = part.arrival.data.resourceSpans
            for ref in part.spans {
                let rs = resources[Int(ref.resource)]
                if body(rs.scopeSpans[Int(ref.scope)].spans[Int(ref.index)], rs.resource?.attributes ?? []) { return true }
            }
        }
        return false
    }

    /// Whether some resource or span attribute named `key` satisfies `test`.
    func anyAttribute(_ key: ByteString, _ test: (AnyValue) -> Bool) -> Bool {
        for part in parts {
            let resources = part.arrival.data.resourceSpans
            var lastResource = UInt32.max
            for ref in part.spans {
                let rs = resources[Int(ref.resource)]
                if ref.resource != lastResource {
                    lastResource = ref.resource
                    if let v = rs.resource?.attributes[key: key], test(v) { return true }
                }
                if let v = rs.scopeSpans[Int(ref.scope)].spans[Int(ref.index)].attributes[key: key], test(v) { return true }
            }
        }
        return false
    }

    /// The spans as payload parts, each with its own resource and scope.
    func resourceSpans() -> [ResourceSpans] {
        var out: [ResourceSpans] = []
        for part in parts {
            let resources = part.arrival.data.resourceSpans
            var current: (resource: UInt32, scope: UInt32)?
            for ref in part.spans {
                let rs = resources[Int(ref.resource)]
                let ss = rs.scopeSpans[Int(ref.scope)]
                if current?.resource != ref.resource {
                    out.append(ResourceSpans(resource: rs.resource, scopeSpans: [], schemaURL: rs.schemaURL))
                    current = nil
                }
                if current?.scope != ref.scope {
                    out[out.count - 1].scopeSpans.append(ScopeSpans(scope: ss.scope, spans: [], schemaURL: ss.schemaURL))
                }
                current = (ref.resource, ref.scope)
                let last = out.count - 1
                out[last].scopeSpans[out[last].scopeSpans.count - 1].spans.append(ss.spans[Int(ref.index)])
            }
        }
        return out
    }
}
