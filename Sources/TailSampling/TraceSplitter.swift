import OTelModel

/// Cuts a logs payload into one part per trace, each keeping its resource and scopes.
enum TraceSplitter {
    /// The parts in order of first appearance: for every resource, one `ResourceLogs` per trace
    /// holding that trace's records under their own scopes; records without a trace id form the
    /// part of the zero id.
    static func split(_ data: LogsData) -> [(id: TraceID, part: ResourceLogs)] {
        split(
            data.resourceLogs, scopes: \.scopeLogs, items: \.logRecords, traceID: \.traceID,
            withScopes: { r, s in var r = r; r.scopeLogs = s; return r },
            withItems: { s, i in var s = s; s.logRecords = i; return s })
    }

    static func split<Resource, Scope, Item>(
        _ resources: [Resource], scopes: KeyPath<Resource, [Scope]>, items: KeyPath<Scope, [Item]>, traceID: KeyPath<Item, TraceID>,
        withScopes: (Resource, [Scope]) -> Resource, withItems: (Scope, [Item]) -> Scope
    ) -> [(id: TraceID, part: Resource)] {
        var out: [(id: TraceID, scopes: [Scope], resource: Resource)] = []
        for resource in resources {
            var index: [TraceID: Int] = [:]
            func add(_ id: TraceID, _ scope: Scope) {
                if let i = index[id] {
                    out[i].scopes.append(scope)
                } else {
                    index[id] = out.count
                    out.append((id, [scope], resource))
                }
            }
            for scope in resource[keyPath: scopes] {
                let list = scope[keyPath: items]
                guard let first = list.first?[keyPath: traceID] else { continue }
                if list.allSatisfy({ $0[keyPath: traceID] == first }) {
                    add(first, scope)
                    continue
                }
                var groups: [TraceID: [Item]] = [:]
                var order: [TraceID] = []
                for item in list {
                    let id = item[keyPath: traceID]
                    if groups[id] == nil { order.append(id) }
                    groups[id, default: []].append(item)
                }
                for id in order { add(id, withItems(scope, groups[id]!)) }
            }
        }
        return out.map { ($0.id, withScopes($0.resource, $0.scopes)) }
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
