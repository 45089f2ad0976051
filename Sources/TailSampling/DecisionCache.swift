import OTelModel

/// Trace ids whose decision was made, remembered up to a capacity; the oldest is forgotten first.
struct DecisionCache {
    let capacity: Int
    private var members: Set<TraceID> = []
    private var ring: [TraceID] = []
    private var next = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { members.count }

    func contains(_ id: TraceID) -> Bool { members.contains(id) }

    mutating func insert(_ id: TraceID) {
        guard capacity > 0, !members.contains(id) else { return }
        if ring.count < capacity {
            ring.append(id)
        } else {
            members.remove(ring[next])
            ring[next] = id
            next = (next + 1) % capacity
        }
        members.insert(id)
    }
}
