import OTelModel

/// Cuts a payload into one part per trace, each keeping its resource and scopes.
enum TraceSplitter {
    /// The parts in order of first appearance: for every resource, one `ResourceSpans` per trace
    /// holding that trace's spans under their own scopes.
    static func split(_ data: TracesData) -> [(id: TraceID, part: ResourceSpans)] {
        var out: [(id: TraceID, part: ResourceSpans)] = []
        for rs in data.resourceSpans {
            var index: [TraceID: Int] = [:]
            for ss in rs.scopeSpans {
                guard let first = ss.spans.first else { continue }
                if ss.spans.allSatisfy({ $0.traceID == first.traceID }) {
                    append(first.traceID, ss, rs, &out, &index)
                    continue
                }
                var groups: [TraceID: [Span]] = [:]
                var order: [TraceID] = []
                for span in ss.spans {
                    if groups[span.traceID] == nil { order.append(span.traceID) }
                    groups[span.traceID, default: []].append(span)
                }
                for id in order {
                    var piece = ss
                    piece.spans = groups[id]!
                    append(id, piece, rs, &out, &index)
                }
            }
        }
        return out
    }

    private static func append(
        _ id: TraceID, _ scope: ScopeSpans, _ rs: ResourceSpans,
        _ out: inout [(id: TraceID, part: ResourceSpans)], _ index: inout [TraceID: Int]
    ) {
        if let i = index[id] {
            out[i].part.scopeSpans.append(scope)
        } else {
            index[id] = out.count
            var part = rs
            part.scopeSpans = [scope]
            out.append((id, part))
        }
    }
}

extension Span {
    /// About how many bytes the span takes in memory, for the sampler's budget.
    var estimatedBytes: Int {
        var n = MemoryLayout<Span>.stride + name.count + traceState.count + attributes.estimatedBytes
        for e in events { n += MemoryLayout<SpanEvent>.stride + e.name.count + e.attributes.estimatedBytes }
        for l in links { n += MemoryLayout<SpanLink>.stride + l.traceState.count + l.attributes.estimatedBytes }
        if let status { n += status.message.count }
        return n
    }
}
