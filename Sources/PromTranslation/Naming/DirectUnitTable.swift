/// An open-addressing table from packed unit bytes to unit words, built once and never freed, so a lookup is a
/// multiply, a shift and usually one comparison, with no hashing of strings and no reference counting of
/// arrays.
final class DirectUnitTable: Sendable {
    private static let slotBits = 10
    private static let slotCount = 1 << slotBits

    /// Built on first use (`static let` initialisation is thread-safe) and immutable afterwards.
    static let shared = DirectUnitTable(entries: UnitTable.directEntries)

    // Immutable after `init`, which is the only writer; every later access is a read.
    nonisolated(unsafe) private let keys: UnsafeMutablePointer<UInt64>
    nonisolated(unsafe) private let words: UnsafeMutablePointer<String>

    private init(entries: [(unit: String, word: String)]) {
        precondition(entries.count * 4 <= Self.slotCount, "unit table too full for its slots")
        keys = .allocate(capacity: Self.slotCount)
        keys.initialize(repeating: 0, count: Self.slotCount)
        words = .allocate(capacity: Self.slotCount)
        words.initialize(repeating: "", count: Self.slotCount)
        for (unit, word) in entries {
            guard let key = unit.withUTF8Bytes(UnitTable.packed) else {
                preconditionFailure("unit table entry longer than 7 bytes: \(unit)")
            }
            var slot = Self.slot(for: key)
            while keys[slot] != 0 {
                precondition(keys[slot] != key, "duplicate unit table entry: \(unit)")
                slot = (slot + 1) & (Self.slotCount - 1)
            }
            keys[slot] = key
            words[slot] = word
        }
    }

    deinit {
        words.deinitialize(count: Self.slotCount)
        words.deallocate()
        keys.deallocate()
    }

    @inline(__always)
    private static func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slotBits))
    }

    @inline(__always)
    func word(for key: UInt64) -> String? {
        var slot = Self.slot(for: key)
        while true {
            let candidate = keys[slot]
            if candidate == key { return words[slot] }
            if candidate == 0 { return nil }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
    }
}
