import Configuration
import OTelModel

extension AnyValue {
    /// The value as text the way the Collector's `pcommon.Value.AsString` spells it: strings as they
    /// are, `true`/`false`, integers in decimal, doubles as ECMAScript prints numbers, bytes as
    /// standard base64, arrays and maps as JSON (map keys sorted), nothing as "".
    var collectorString: String {
        switch self {
        case .string(let s): return s.string
        case .unset, .empty: return ""
        default:
            var out: [UInt8] = []
            writeCollectorText(into: &out, quoted: false)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Appends the value as a JSON value, written as the Collector's JSON encoder writes it (map keys
    /// sorted by their bytes, the last of duplicate keys winning, HTML characters escaped, doubles as
    /// ECMAScript prints them, bytes as base64 text, NaN and infinities as strings).
    func writeCollectorJSON(into out: inout [UInt8]) {
        writeCollectorText(into: &out, quoted: true)
    }

    /// Writes the value; `quoted` when it is inside JSON (strings quoted and escaped).
    private func writeCollectorText(into out: inout [UInt8], quoted: Bool) {
        func quotedText(_ text: String) {
            var text = text
            text.withUTF8 { JSONStringEncoding.append($0, to: &out, escapingHTML: true) }
        }
        switch self {
        case .unset, .empty: if quoted { out.append(contentsOf: "null".utf8) }
        case .string(let s):
            s.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                if quoted { JSONStringEncoding.append(bytes, to: &out, escapingHTML: true) } else { out.append(contentsOf: bytes) }
            }
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            let text = Self.ecmaScriptNumber(d)
            if quoted && !d.isFinite { quotedText(text) } else { out.append(contentsOf: text.utf8) }
        case .bytes(let b):
            let text = Base64.encode(b)
            if quoted { quotedText(text) } else { out.append(contentsOf: text.utf8) }
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.writeCollectorText(into: &out, quoted: true)
            }
            out.append(UInt8(ascii: "]"))
        case .kvlist(let pairs):
            // A Go map: keys sorted by their bytes, the last of duplicate keys winning.
            let keys = pairs.map { kv in kv.key.withUnsafeBytes { Array($0) } }
            let order = pairs.indices.sorted { a, b in
                keys[a] == keys[b] ? a < b : keys[a].lexicographicallyPrecedes(keys[b])
            }
            out.append(UInt8(ascii: "{"))
            var first = true
            for (n, i) in order.enumerated() {
                if n + 1 < order.count, keys[order[n + 1]] == keys[i] { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                keys[i].withUnsafeBufferPointer { JSONStringEncoding.append($0, to: &out, escapingHTML: true) }
                out.append(UInt8(ascii: ":"))
                pairs[i].value.writeCollectorText(into: &out, quoted: true)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A double as ECMAScript (and Go's JSON encoder) print it: the shortest digits that read back
    /// the same, in plain notation for magnitudes in [1e-6, 1e21), else `1e+21`, `1.5e-7`.
    static func ecmaScriptNumber(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        // Swift prints the shortest round-trip digits too, as `ddd.ddd` or `d.ddde±x`.
        var text = "\(d.magnitude)"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var point = whole.count + exponent  // the decimal point sits after this many digits
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let sign = d < 0 ? "-" : ""
        let magnitude = d.magnitude
        if magnitude < 1e-6 || magnitude >= 1e21 {
            let e = point - 1
            let mantissa = digits.count > 1 ? String(digits.prefix(1)) + "." + String(digits.dropFirst()) : digits
            return sign + mantissa + "e" + (e < 0 ? "-" : "+") + String(abs(e))
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        return sign + String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
    }

    /// The text the Collector's filters match attribute values against with `match_type: regexp`:
    /// strings, booleans, integers and doubles (in plain notation); nil for other kinds, which never match.
    var filterString: String? {
        switch self {
        case .string(let s): return s.string
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            if !d.isFinite { return d.isNaN ? "NaN" : (d < 0 ? "-Inf" : "+Inf") }
            let text = Self.ecmaScriptNumber(d)
            guard let e = text.firstIndex(of: "e") else { return text }
            // Go's FormatFloat(d, 'f', -1): the same digits, never an exponent.
            let mantissa = String(text[..<e].filter { $0 != "." })
            let negative = mantissa.hasPrefix("-")
            let digits = negative ? String(mantissa.dropFirst()) : mantissa
            let point = 1 + (Int(text[text.index(after: e)...]) ?? 0)
            let body = point <= 0
                ? "0." + String(repeating: "0", count: -point) + digits
                : digits + String(repeating: "0", count: max(0, point - digits.count))
            return (negative ? "-" : "") + body
        default: return nil
        }
    }

    /// A YAML value as the Collector's config decoder types it: unquoted `true`/`false` are booleans,
    /// integers are ints, other numbers doubles, anything else (and anything quoted) a string; lists
    /// become arrays and mappings maps. Nil for null.
    init?(yaml node: ConfigNode) {
        switch node.value {
        case .null: return nil
        case .scalar(let text, let quoted):
            if quoted {
                self = .string(ByteString(text))
            } else if ["true", "True", "TRUE"].contains(text) {
                self = .bool(true)
            } else if ["false", "False", "FALSE"].contains(text) {
                self = .bool(false)
            } else if let i = Self.yamlInt(text) {
                self = .int(i)
            } else if let d = Self.yamlDouble(text) {
                self = .double(d)
            } else {
                self = .string(ByteString(text))
            }
        case .sequence(let items):
            self = .array(items.map { AnyValue(yaml: $0) ?? .empty })
        case .mapping(let pairs):
            self = .kvlist(pairs.map { KeyValue(key: ByteString($0.key), value: AnyValue(yaml: $0.value) ?? .empty) })
        }
    }

    private static func yamlInt(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") || body.hasPrefix("+") {
            negative = body.hasPrefix("-")
            body = body.dropFirst()
        }
        let value: Int64?
        if body.hasPrefix("0x") {
            value = Int64(body.dropFirst(2), radix: 16)
        } else if body.hasPrefix("0o") {
            value = Int64(body.dropFirst(2), radix: 8)
        } else if !body.isEmpty, body.allSatisfy(\.isASCII), body.allSatisfy(\.isNumber) {
            value = Int64(body)
        } else {
            value = nil
        }
        guard let value else { return nil }
        return negative ? -value : value
    }

    private static func yamlDouble(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // Plain decimal notation only: Swift also reads `inf`, `nan` and hex floats, which YAML does not.
        guard text.contains(where: \.isNumber),
              text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
        return Double(text)
    }
}
