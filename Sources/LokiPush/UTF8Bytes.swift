/// Calls `body` with the UTF-8 bytes of `string`, without copying native strings.
@inline(__always)
func withUTF8Bytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    if let result = try string.utf8.withContiguousStorageIfAvailable(body) { return result }
    var copy = string
    return try copy.withUTF8(body)
}

/// Appends `bytes[from..<to]` to `output` in one copy.
@inline(__always)
func appendRun(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, to output: inout [UInt8]) {
    guard to > from else { return }
    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<to]))
}

/// ASCII bytes used by the encoders.
enum ASCII {
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let comma: UInt8 = 0x2C
    static let space: UInt8 = 0x20
    static let equals: UInt8 = 0x3D
    static let colon: UInt8 = 0x3A
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let zero: UInt8 = 0x30
    static let minus: UInt8 = 0x2D
    static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// `[a-zA-Z0-9_]`.
    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20) &- 0x61 < 26 || b == underscore
    }

    /// Appends the decimal digits of `value` (with a `-` when negative).
    static func appendDecimal(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(minus) }
        var magnitude = value.magnitude
        // 24 bytes of stack hold the 20 digits of UInt64.max; filled from the end.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            var i = raw.count
            repeat {
                i -= 1
                raw[i] = zero &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i...]))
        }
    }
}
