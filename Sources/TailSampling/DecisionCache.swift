import OTelModel

/// Trace ids whose decision was made, remembered up to a capacity; the oldest is forgotten first.
///
/// An open-addressing set (linear probing, at most half full, deletion by backward shift) beside a
/// ring that remembers the order of insertion. The all-zero id means "no trace" and is never stored.
struct DecisionCache {
    let capacity: Int
    private var slots: [TraceID] = []
    private var mask = -1
    private var ring: [TraceID] = []
    private var next = 0
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    func contains(_ id: TraceID) -> Bool {
        guard count > 0, !id.isZero else { return false }
        return find(id).found
    }

    mutating func insert(_ id: TraceID) {
        guard capacity > 0, !id.isZero else { return }
        if (count + 1) * 2 > slots.count { grow() }
        let (slot, found) = find(id)
        guard !found else { return }
        slots[slot] = id
        count += 1
        if ring.count < capacity {
            ring.append(id)
        } else {
            remove(ring[next])
            ring[next] = id
            next = (next + 1) % capacity
        }
    }

    /// The slot holding `id`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ id: TraceID) -> (slot: Int, found: Bool) {
        slots.withUnsafeBufferPointer { s in
            var i = Int(truncatingIfNeeded: TraceIDHash.hash(id)) & mask
            while true {
                let here = s[i]
                if here == id { return (i, true) }
                if here.isZero { return (i, false) }
                i = (i + 1) & mask
            }
        }
    }

    private mutating func remove(_ id: TraceID) {
        var (hole, found) = find(id)
        guard found else { return }
        count -= 1
        // Backward shift: move later members of the probe run into the hole when their home slot
        // is not between the hole and where they sit.
        var j = hole
        while true {
            j = (j + 1) & mask
            let moving = slots[j]
            if moving.isZero { break }
            let home = Int(truncatingIfNeeded: TraceIDHash.hash(moving)) & mask
            let stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j)
            if !stays {
                slots[hole] = moving
                hole = j
            }
        }
        slots[hole] = .zero
    }

    private mutating func grow() {
        let old = slots
        let size = max(16, old.count * 2)
        slots = Array(repeating: .zero, count: size)
        mask = size - 1
        for id in old where !id.isZero {
            slots[find(id).slot] = id
        }
    }
}
