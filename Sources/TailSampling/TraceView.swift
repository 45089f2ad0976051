import OTelModel

/// A received payload, shared by the traces it carries until each of them is decided. It stays in
/// memory whole while any of its traces waits, so the sampler's budget counts it whole, from the
/// first waiting trace to the last. Used only by the sampler that received it.
final class Arrival {
    let data: TracesData
    /// Estimated bytes of the whole payload.
    var bytes = 0
    /// Waiting traces with spans in it.
    var waitingTraces = 0
    init(_ data: TracesData) { self.data = data }
}

/// Where a span sits in its payload.
struct SpanRef: Sendable {
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

/// What the policies that need no attributes read from a trace's spans, gathered as they arrive.
struct SpanSummary {
    var earliestStart: UInt64 = .max
    var latestEnd: UInt64 = 0
    var statusCodes: UInt8 = 0
    var sampledFlag = false
    var bytes = 0

    /// Takes the span by pointer: read in place, it is not copied (a copy retains every string).
    /// `sizeFromSpan` adds the span's own strings and attributes to ``bytes``; without it, only the
    /// structures decoded beside them (when the request they are views into is counted instead).
    @inline(__always)
    mutating func add(_ span: UnsafePointer<Span>, sizeFromSpan: Bool) {
        earliestStart = min(earliestStart, span.pointee.startTimeUnixNano)
        latestEnd = max(latestEnd, span.pointee.endTimeUnixNano)
        let code = span.pointee.status?.code.rawValue ?? 0
        if code >= 0 && code < 8 { statusCodes |= 1 << UInt8(code) }
        if span.pointee.flags & 1 == 1 { sampledFlag = true }
        if sizeFromSpan {
            bytes += span.pointee.estimatedBytes + MemoryLayout<SpanRef>.stride
        } else {
            bytes += MemoryLayout<Span>.stride + MemoryLayout<SpanRef>.stride
                + span.pointee.events.count * MemoryLayout<SpanEvent>.stride + span.pointee.links.count * MemoryLayout<SpanLink>.stride
        }
    }
}

/// The spans of one trace gathered so far.
public struct TraceView {
    public let id: TraceID
    var parts: [TracePart] = []
    public private(set) var spanCount = 0
    /// Earliest start and latest end over the spans (ns since the epoch).
    public private(set) var earliestStart: UInt64 = .max
    public private(set) var latestEnd: UInt64 = 0
    /// Bit `code` set when some span has that status code (unset 0, ok 1, error 2).
    private(set) var statusCodes: UInt8 = 0
    /// Some span has the W3C sampled flag.
    private(set) var sampledFlag = false

    init(id: TraceID) { self.id = id }

    mutating func add(_ part: TracePart, summary: SpanSummary) {
        parts.append(part)
        spanCount += part.spans.count
        earliestStart = min(earliestStart, summary.earliestStart)
        latestEnd = max(latestEnd, summary.latestEnd)
        statusCodes |= summary.statusCodes
        sampledFlag = sampledFlag || summary.sampledFlag
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
        for part in parts { part.append(to: &out) }
        return out
    }
}

extension TracePart {
    /// Appends the referenced spans under copies of their resources and scopes. References must be
    /// in payload order; consecutive ones of one resource or scope share one copy of it.
    func append(to out: inout [ResourceSpans]) {
        let refs = spans
        arrival.data.resourceSpans.withUnsafeBufferPointer { resources in
            var i = 0
            while i < refs.count {
                let r = refs[i].resource
                let rs = resources[Int(r)]
                var group = ResourceSpans(resource: rs.resource, scopeSpans: [], schemaURL: rs.schemaURL)
                while i < refs.count && refs[i].resource == r {
                    let s = refs[i].scope
                    let ss = rs.scopeSpans[Int(s)]
                    var scope = ScopeSpans(scope: ss.scope, spans: [], schemaURL: ss.schemaURL)
                    ss.spans.withUnsafeBufferPointer { source in
                        while i < refs.count && refs[i].resource == r && refs[i].scope == s {
                            scope.spans.append(source[Int(refs[i].index)])
                            i += 1
                        }
                    }
                    group.scopeSpans.append(scope)
                }
                out.append(group)
            }
        }
    }
}
