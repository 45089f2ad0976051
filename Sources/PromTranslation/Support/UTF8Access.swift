/// Byte-wise string access and comparison.
///
/// Go compares strings by their UTF-8 bytes; Swift's `==`, `<` and hashing use Unicode canonical
/// equivalence, so `"é"` and `"e\u{301}"` are equal in Swift but distinct label values in Prometheus.
/// Everything that decides label identity or order goes through these helpers.
extension String {
    /// Calls `body` with the string's UTF-8 bytes; native strings (including small ones) do not copy.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) {
            return result
        }
        var copy = self
        return try copy.withUTF8(body)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Byte-wise equality with `other`.
    @inline(__always)
    func bytesEqual(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        var index = 0
        while index < count {
            if self[index] != other[index] { return false }
            index += 1
        }
        return true
    }

    /// Byte-wise equality of `self[range]` with an ASCII literal.
    @inline(__always)
    func bytes(in range: Range<Int>, equal literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let literalBytes = literal.utf8Start
        var index = 0
        while index < range.count {
            if self[range.lowerBound + index] != literalBytes[index] { return false }
            index += 1
        }
        return true
    }

    /// Three-way byte-wise (UTF-8 code unit) comparison, the order Go and Prometheus sort strings in.
    @inline(__always)
    func compareBytes(_ other: UnsafeBufferPointer<UInt8>) -> Int {
        let common = Swift.min(count, other.count)
        var index = 0
        while index < common {
            let lhs = self[index]
            let rhs = other[index]
            if lhs != rhs { return lhs < rhs ? -1 : 1 }
            index += 1
        }
        return count == other.count ? 0 : (count < other.count ? -1 : 1)
    }
}

/// Byte-wise UTF-8 comparison of two strings (Swift's `<` and `==` use canonical equivalence instead).
@inline(__always)
func compareUTF8(_ lhs: String, _ rhs: String) -> Int {
    lhs.withUTF8Bytes { left in rhs.withUTF8Bytes { right in left.compareBytes(right) } }
}

/// Byte-wise UTF-8 equality of two strings.
@inline(__always)
func equalUTF8(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.count == rhs.utf8.count && compareUTF8(lhs, rhs) == 0
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether `pattern` occurs at byte offset `offset`.
    @inline(__always)
    func hasBytes(_ pattern: [UInt8], at offset: Int) -> Bool {
        let length = pattern.count
        guard offset >= 0, offset + length <= count else { return false }
        return pattern.withUnsafeBufferPointer { needle in
            var index = 0
            while index < length {
                if self[offset + index] != needle[index] { return false }
                index += 1
            }
            return true
        }
    }

    /// The bytes as a string (valid UTF-8 wherever this is used: label sets are built from strings).
    var string: String { String(decoding: self, as: UTF8.self) }
}
