/// The components' 64-bit hash for keys built from many strings (scrape lines, remote-write label
/// sets, scrape offsets): eight bytes at a time, each word mixed in with a multiply and a shift.
/// It has the quality a hash table needs; it is not for adversarial input, and keys are always
/// compared in full after their hashes match.
struct WordHash {
    /// Starts from the FNV offset basis; the mixing is not FNV.
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) private mutating func mix(_ word: UInt64) {
        value = ((value ^ word) &* 0x9E37_79B9_7F4A_7C15)
        value ^= value >> 29
    }

    @inline(__always) mutating func add(_ byte: UInt8) { mix(UInt64(byte) | 0x100) }

    mutating func add(_ s: String) {
        var s = s
        s.withUTF8 { add(bytes: UnsafeRawBufferPointer($0)) }
    }

    mutating func add(bytes: UnsafeRawBufferPointer) {
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            mix(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        // The length closes the string, so "ab"+"c" and "a"+"bc" differ.
        mix(tail ^ (UInt64(n) << 56) ^ 0xFF)
    }

    mutating func add(word: UInt64) { mix(word) }
}
