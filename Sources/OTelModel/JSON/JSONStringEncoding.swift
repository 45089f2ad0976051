/// Writes text as a quoted JSON string (RFC 8259 §7), the one way every encoder outside the OTLP
/// codec does it: `"` and `\` escaped; `\b \f \n \r \t` and other control characters as
/// `\u00XX`, as Go's `encoding/json` writes them (Go 1.22 and later); each maximal invalid UTF-8
/// subpart replaced by U+FFFD. With `escapingHTML`, also `<`, `>`, `&`, U+2028 and U+2029, as Go
/// does by default, for text that must read exactly like the Collector's.
///
/// (The OTLP/JSON codec's ``JSONWriter`` has its own copy of this loop, eight bytes at a time into
/// its output buffer, for speed.)
public enum JSONStringEncoding {
    public static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], escapingHTML: Bool = false) {
        output.append(0x22)
        var run = 0
        var i = 0
        let count = bytes.count
        func flush(_ end: Int) {
            if end > run { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<end])) }
        }
        func escape(_ text: StaticString, length: Int) {
            flush(i)
            text.withUTF8Buffer { output.append(contentsOf: $0) }
            i += length
            run = i
        }
        while i < count {
            let b = bytes[i]
            switch b {
            case 0x22: escape(#"\""#, length: 1)
            case 0x5C: escape(#"\\"#, length: 1)
            case 0x08: escape(#"\b"#, length: 1)
            case 0x0C: escape(#"\f"#, length: 1)
            case 0x0A: escape(#"\n"#, length: 1)
            case 0x0D: escape(#"\r"#, length: 1)
            case 0x09: escape(#"\t"#, length: 1)
            case 0x3C where escapingHTML: escape(#"\u003c"#, length: 1)
            case 0x3E where escapingHTML: escape(#"\u003e"#, length: 1)
            case 0x26 where escapingHTML: escape(#"\u0026"#, length: 1)
            case 0x00..<0x20:
                flush(i)
                output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                i += 1
                run = i
            case 0x80...:
                let (valid, length) = utf8Sequence(bytes, at: i)
                if !valid {
                    flush(i)
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    i += length
                    run = i
                } else if escapingHTML, length == 3, b == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 {
                    escape(#"\u2028"#, length: 3)
                } else if escapingHTML, length == 3, b == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA9 {
                    escape(#"\u2029"#, length: 3)
                } else {
                    i += length
                }
            default:
                i += 1
            }
        }
        flush(count)
        output.append(0x22)
    }

    /// `s` as a quoted JSON string, appended to `output`.
    public static func append(_ s: String, to output: inout String, escapingHTML: Bool = false) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 2)
        var s = s
        s.withUTF8 { append($0, to: &bytes, escapingHTML: escapingHTML) }
        output += String(decoding: bytes, as: UTF8.self)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Whether a well-formed UTF-8 sequence (Unicode Table 3-7) starts at `i`, and its length, or
    /// else the length of the maximal invalid subpart there (at least 1).
    public static func utf8Sequence(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (valid: Bool, length: Int) {
        let lead = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return (false, 1)
        }
        var k = 1
        while k < length {
            guard i + k < bytes.count else { return (false, k) }
            let c = bytes[i + k]
            if k == 1 {
                guard c >= low, c <= high else { return (false, 1) }
            } else {
                guard c & 0xC0 == 0x80 else { return (false, k) }
            }
            k += 1
        }
        return (true, length)
    }
}
