/// Per-parse table that turns repeated byte sequences (metric names, label names, label values)
/// into one shared `String` each, so repeated series cost a hash probe instead of a new string.
///
/// Keys longer than ``maxKeyLength`` bytes, and keys arriving after ``maxEntries`` distinct ones,
/// are not stored: those calls build a fresh string. Callers must pass valid UTF-8.
struct StringInterner: ~Copyable {
    static let maxKeyLength = 128
    static let maxEntries = 1 << 16

    private struct Slot {
        var hash: UInt64
        var offset: Int
        var length: Int
        /// Index into `strings`, or -1 for an empty slot.
        var index: Int
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var slotMask: Int
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCount = 0
    private var arenaCapacity: Int
    private var strings: [String] = []

    init(slotCapacity: Int = 1024) {
        var capacity = 16
        while capacity < slotCapacity { capacity <<= 1 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(hash: 0, offset: 0, length: 0, index: -1), count: capacity)
        slotMask = capacity - 1
        arenaCapacity = 16 * 1024
        arena = .allocate(capacity: arenaCapacity)
        strings.reserveCapacity(capacity / 2)
    }

    deinit {
        slots.deinitialize(count: slotMask + 1)
        slots.deallocate()
        arena.deallocate()
    }

    /// Returns the string for `bytes[0..<count]`, creating and remembering it on first sight.
    @inline(__always)
    mutating func intern(_ bytes: UnsafePointer<UInt8>, count: Int) -> String {
        guard count <= Self.maxKeyLength else {
            return Self.makeString(bytes, count: count)
        }
        let hash = Self.hash(bytes, count: count)
        var position = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let slot = slots[position]
            if slot.index < 0 {
                return insert(bytes, count: count, hash: hash, at: position)
            }
            if slot.hash == hash, slot.length == count, bytesEqual(arena + slot.offset, bytes, count: count) {
                return strings[slot.index]
            }
            position = (position + 1) & slotMask
        }
    }

    @inline(never)
    private mutating func insert(_ bytes: UnsafePointer<UInt8>, count: Int, hash: UInt64, at position: Int) -> String {
        let string = Self.makeString(bytes, count: count)
        guard strings.count < Self.maxEntries else { return string }
        if arenaCount + count > arenaCapacity {
            var capacity = arenaCapacity * 2
            while capacity < arenaCount + count { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = capacity
        }
        (arena + arenaCount).update(from: bytes, count: count)
        slots[position] = Slot(hash: hash, offset: arenaCount, length: count, index: strings.count)
        arenaCount += count
        strings.append(string)
        if strings.count * 2 > slotMask + 1 {
            grow()
        }
        return string
    }

    private mutating func grow() {
        let oldCapacity = slotMask + 1
        let newCapacity = oldCapacity * 2
        let newSlots = UnsafeMutablePointer<Slot>.allocate(capacity: newCapacity)
        newSlots.initialize(repeating: Slot(hash: 0, offset: 0, length: 0, index: -1), count: newCapacity)
        let newMask = newCapacity - 1
        for old in 0..<oldCapacity where slots[old].index >= 0 {
            var position = Int(truncatingIfNeeded: slots[old].hash) & newMask
            while newSlots[position].index >= 0 {
                position = (position + 1) & newMask
            }
            newSlots[position] = slots[old]
        }
        slots.deinitialize(count: oldCapacity)
        slots.deallocate()
        slots = newSlots
        slotMask = newMask
    }

    @inline(__always)
    static func makeString(_ bytes: UnsafePointer<UInt8>, count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// A fast multiplicative hash over 8-byte words; quality is ample for a linear-probing table.
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(bytes)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        var index = 0
        while index + 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            state = (state ^ word) &* 0xFF51_AFD7_ED55_8CCD
            state ^= state >> 32
            index += 8
        }
        if index < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            state = (state ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        state ^= state >> 29
        state = state &* 0xFF51_AFD7_ED55_8CCD
        return state ^ (state >> 32)
    }
}
