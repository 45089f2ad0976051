/// A bounded map that forgets the least recently used half in O(1): entries live in a current and a previous
/// generation; when the current one is full it becomes the previous one and the old previous one is dropped.
/// A hit in the previous generation moves the entry to the current one.
struct GenerationalCache<Key: Hashable, Value> {
    /// Entries per generation; at most twice this many are held.
    let generationLimit: Int
    private var current: [Key: Value] = [:]
    private var previous: [Key: Value] = [:]

    init(capacity: Int) {
        generationLimit = Swift.max(1, capacity / 2)
    }

    var count: Int { current.count + previous.count }

    mutating func value(for key: Key) -> Value? {
        if let value = current[key] { return value }
        guard let value = previous.removeValue(forKey: key) else { return nil }
        insert(value, for: key)
        return value
    }

    mutating func insert(_ value: Value, for key: Key) {
        if current.count >= generationLimit {
            previous = current
            current = Dictionary(minimumCapacity: generationLimit)
        }
        current[key] = value
    }

    mutating func removeAll() {
        current = [:]
        previous = [:]
    }
}
