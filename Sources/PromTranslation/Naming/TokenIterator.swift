/// Iterates the tokens of a name: maximal runs of token bytes, every other byte (`_`, punctuation,
/// any non-ASCII byte) separating them.
///
/// Replacing invalid characters with `_`, collapsing runs of `_` and trimming them at both ends is the same as
/// joining these tokens with single `_`s, which is how names are rebuilt.
struct TokenIterator: IteratorProtocol {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Whether `:` belongs to tokens (metric names) or separates them (unit words).
    let allowsColon: Bool
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, allowsColon: Bool) {
        self.bytes = bytes
        self.allowsColon = allowsColon
    }

    @inline(__always)
    private func isTokenByte(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || (allowsColon && byte == ASCII.colon)
    }

    mutating func next() -> Range<Int>? {
        while index < bytes.count, !isTokenByte(bytes[index]) {
            index += 1
        }
        guard index < bytes.count else { return nil }
        let start = index
        while index < bytes.count, isTokenByte(bytes[index]) {
            index += 1
        }
        return start..<index
    }
}

/// Writes ASCII into uninitialised string storage; callers size the storage for the worst case.
struct ByteWriter {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        for index in range {
            buffer[count] = bytes[index]
            count += 1
        }
    }

    @inline(__always)
    mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount), 0..<literal.utf8CodeUnitCount)
    }

    /// Appends `bytes[range]`, preceded by `_` unless nothing has been written yet.
    @inline(__always)
    mutating func appendToken(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        if count > 0 { append(ASCII.underscore) }
        append(bytes, range)
    }

    @inline(__always)
    mutating func appendToken(_ literal: StaticString) {
        if count > 0 { append(ASCII.underscore) }
        append(literal)
    }

    /// Moves everything written so far `width` bytes to the right and writes `prefix` in front.
    mutating func prepend(_ prefix: StaticString) {
        let width = prefix.utf8CodeUnitCount
        var index = count
        while index > 0 {
            index -= 1
            buffer[index + width] = buffer[index]
        }
        for offset in 0..<width {
            buffer[offset] = prefix.utf8Start[offset]
        }
        count += width
    }

    /// A read-only view of the bytes written so far.
    var written: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer.baseAddress, count: count)
    }
}

/// Token-aligned search: whether `needle` (tokens joined by single `_`) occurs in `haystack[range]` starting and
/// ending at token boundaries. `haystack[range]` must use single `_` separators as well.
func containsTokenSequence(
    _ haystack: UnsafeBufferPointer<UInt8>,
    in range: Range<Int>,
    _ needle: UnsafeBufferPointer<UInt8>
) -> Bool {
    let length = needle.count
    guard length > 0, range.count >= length else { return false }
    // Names usually end with their unit: try that position first.
    var start = range.upperBound - length
    if matches(haystack, at: start, in: range, needle) { return true }
    start = range.lowerBound
    while start + length < range.upperBound {
        if matches(haystack, at: start, in: range, needle) { return true }
        start += 1
    }
    return false
}

@inline(__always)
private func matches(
    _ haystack: UnsafeBufferPointer<UInt8>,
    at start: Int,
    in range: Range<Int>,
    _ needle: UnsafeBufferPointer<UInt8>
) -> Bool {
    let end = start + needle.count
    guard start == range.lowerBound || haystack[start - 1] == ASCII.underscore,
        end == range.upperBound || haystack[end] == ASCII.underscore
    else { return false }
    var index = 0
    while index < needle.count {
        if haystack[start + index] != needle[index] { return false }
        index += 1
    }
    return true
}
