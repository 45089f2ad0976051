import OTelModel

/// How the bytes of a file become a record's body (`encoding`).
enum FileEncoding: String, Sendable {
    /// UTF-8 text; invalid sequences are replaced with U+FFFD.
    case utf8 = "utf-8"
    /// No decoding: the body is the bytes as they are.
    case nop

    /// The names accepted in config (the collector's, lowercased).
    static func named(_ name: String) -> FileEncoding? {
        switch name.lowercased() {
        case "utf-8", "utf8", "ascii", "us-ascii": .utf8
        case "nop": .nop
        default: nil
        }
    }

    /// The body for a record's bytes, and whether bytes had to be replaced.
    func body(_ bytes: ByteString) -> (AnyValue, replaced: Bool) {
        switch self {
        case .nop:
            return (.bytes(bytes), false)
        case .utf8:
            if bytes.withUnsafeBytes({ UTF8Check.isValid($0) }) { return (.string(bytes), false) }
            // String(decoding:) replaces each maximal invalid subsequence with U+FFFD.
            return (.string(ByteString(bytes.string)), true)
        }
    }
}

/// Validates UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), eight ASCII
/// bytes at a time where it can.
enum UTF8Check {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        while i < n {
            if i + 8 <= n, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b0 = base.load(fromByteOffset: i, as: UInt8.self)
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lowest: UInt8 = 0x80
            var highest: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowest = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: length = 3; highest = 0x9F
            case 0xF0: length = 4; lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; highest = 0x8F
            default: return false
            }
            guard i + length <= n else { return false }
            let b1 = base.load(fromByteOffset: i + 1, as: UInt8.self)
            guard b1 >= lowest, b1 <= highest else { return false }
            for k in 2..<max(2, length) {
                let b = base.load(fromByteOffset: i + k, as: UInt8.self)
                guard b & 0xC0 == 0x80 else { return false }
            }
            i += length
        }
        return true
    }
}
