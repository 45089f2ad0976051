/// Byte classes and constants of the legacy Prometheus name charsets, tested without tables.
enum ASCII {
    static let underscore = UInt8(ascii: "_")
    static let colon = UInt8(ascii: ":")
    static let slash = UInt8(ascii: "/")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")

    /// `[a-zA-Z]`
    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26
    }

    /// `[0-9]`
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// `[a-zA-Z0-9]`
    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte)
    }

    /// `[a-zA-Z0-9:]`: the bytes a metric-name token is made of (`_` separates tokens).
    @inline(__always)
    static func isMetricTokenByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == colon
    }

    /// Space, tab, CR or LF.
    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
