/// Writes a string as a quoted JSON string (RFC 8259 §7): quote, backslash and control characters
/// escaped. With `escapingHTML`, also `<`, `>`, `&`, U+2028 and U+2029, as Go's `encoding/json`
/// does, for text that must read exactly like the Collector's.
enum JSONString {
    static func append(_ s: String, to out: inout String, escapingHTML: Bool = false) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where escapingHTML: out += "\\u003c"
            case ">" where escapingHTML: out += "\\u003e"
            case "&" where escapingHTML: out += "\\u0026"
            case "\u{2028}" where escapingHTML: out += "\\u2028"
            case "\u{2029}" where escapingHTML: out += "\\u2029"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
