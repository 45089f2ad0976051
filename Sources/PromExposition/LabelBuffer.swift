/// Reusable storage for the labels of the label set being parsed.
///
/// Labels are appended without per-element uniqueness checks and then moved into an array of the
/// exact size, which costs one allocation per non-empty label set.
struct LabelBuffer: ~Copyable {
    private var storage: UnsafeMutablePointer<Label>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    @inline(__always)
    mutating func append(_ label: consuming Label) {
        if count == capacity {
            grow()
        }
        (storage + count).initialize(to: label)
        count += 1
    }

    /// Moves the buffered labels into a new array and empties the buffer.
    @inline(__always)
    mutating func take() -> [Label] {
        let taken = count
        guard taken > 0 else { return [] }
        count = 0
        var labels: [Label] = []
        labels.reserveCapacity(taken)
        for index in 0..<taken {
            labels.append((storage + index).move())
        }
        return labels
    }

    private mutating func grow() {
        let grown = UnsafeMutablePointer<Label>.allocate(capacity: capacity * 2)
        grown.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = grown
        capacity *= 2
    }
}
