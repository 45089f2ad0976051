import OTelModel

/// One value of a severity `mapping`: a text (matched ignoring ASCII case; `2xx`…`5xx` stand for
/// HTTP status ranges), an integer, or an inclusive range of integers.
public enum SeverityMappingValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case text(String)
    case number(Int64)
    case range(min: Int64, max: Int64)

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .number(value) }
}

/// Values to severity numbers, from a `preset` plus a `mapping`. (stanza `docs/types/severity.md`)
///
/// Presets: `default` (the default; `none` plus the OTel names `trace`…`fatal4` and the numbers
/// 1–24, plus `warning`, `warning2`–`4`, `err`, `err2`–`4`), `otel`/`aliases` (without those
/// extras), and `none`. Texts match ignoring ASCII case. An integer value, or a string holding one,
/// matches its decimal text first, then the ranges.
public struct SeverityMapping: Sendable {
    private var exact: [FoldedKey: SeverityNumber] = [:]
    /// The same texts, lowercased, end to end in one buffer, with a table of where each is: a
    /// short scan comparing lengths first beats hashing for the few dozen texts a mapping has.
    private var foldedTexts: [UInt8] = []
    private var texts: [(start: Int, count: Int, severity: SeverityNumber)] = []
    private var ranges: [(min: Int64, max: Int64, severity: SeverityNumber)] = []

    /// Level names accepted as mapping keys, by number.
    static let levelNames: [String] = [
        "default",
        "trace", "trace2", "trace3", "trace4", "debug", "debug2", "debug3", "debug4",
        "info", "info2", "info3", "info4", "warn", "warn2", "warn3", "warn4",
        "error", "error2", "error3", "error4", "fatal", "fatal2", "fatal3", "fatal4",
    ]

    /// The recommended short names (`ERROR`, `INFO3`, …) by number, for `overwrite_text`.
    static let shortNames: [String] = levelNames.map { $0 == "default" ? "" : $0.uppercased() }

    /// Builds the mapping; throws a reason for an unknown preset or level name.
    public init(preset: String = "default", mapping: [String: [SeverityMappingValue]] = [:]) throws(OperatorConfigError) {
        func fail(_ reason: String) -> OperatorConfigError { OperatorConfigError(operatorType: "severity", reason: reason) }
        switch preset {
        case "none":
            break
        case "otel", "aliases":
            addOTelNames()
        case "default", "":
            addOTelNames()
            for n in 0..<4 {
                let suffix = n == 0 ? "" : String(n + 1)
                add(text: "warning" + suffix, SeverityNumber(rawValue: Int32(13 + n)))
                add(text: "err" + suffix, SeverityNumber(rawValue: Int32(17 + n)))
            }
        default:
            throw fail("unknown severity preset \"\(preset)\"")
        }
        // Ascending severity, so that a value listed under two levels resolves the same way each run.
        let levels = try mapping.keys.map { (name) throws(OperatorConfigError) -> (SeverityNumber, String) in
            guard let n = Self.level(named: name) else { throw fail("unknown severity level \"\(name)\"") }
            return (n, name)
        }.sorted { $0.0.rawValue < $1.0.rawValue }
        for (severity, name) in levels {
            for value in mapping[name] ?? [] {
                switch value {
                case .number(let n):
                    add(text: String(n), severity)
                case .range(let lo, let hi):
                    ranges.append((Swift.min(lo, hi), Swift.max(lo, hi), severity))
                case .text(let t):
                    switch t {
                    case "2xx": ranges.append((200, 299, severity))
                    case "3xx": ranges.append((300, 399, severity))
                    case "4xx": ranges.append((400, 499, severity))
                    case "5xx": ranges.append((500, 599, severity))
                    default: add(text: t, severity)
                    }
                }
            }
        }
        buildTable()
    }

    /// Fills the scan table from `exact`; called once the mapping is complete.
    private mutating func buildTable() {
        for (key, severity) in exact {
            texts.append((foldedTexts.count, key.bytes.count, severity))
            key.bytes.withUnsafeBytes { foldedTexts.append(contentsOf: $0) }
        }
    }

    /// The number of a level name (`error3`) or number text (`19`), ignoring case.
    static func level(named name: String) -> SeverityNumber? {
        let lower = name.lowercased()
        if let i = levelNames.firstIndex(of: lower) { return SeverityNumber(rawValue: Int32(i)) }
        if let n = Int32(lower), (1...24).contains(n) { return SeverityNumber(rawValue: n) }
        return nil
    }

    private mutating func addOTelNames() {
        for n in 1...24 {
            add(text: Self.levelNames[n], SeverityNumber(rawValue: Int32(n)))
            add(text: String(n), SeverityNumber(rawValue: Int32(n)))
        }
    }

    private mutating func add(text: String, _ severity: SeverityNumber) {
        exact[FoldedKey(ByteString(text.lowercased()))] = severity
    }

    /// The severity of a text, or nil.
    public func severity(text: ByteString) -> SeverityNumber? {
        if let s = exactMatch(text) { return s }
        if !ranges.isEmpty, let n = Self.integer(text) { return severity(rangeOf: n) }
        return nil
    }

    /// The severity of an integer, or nil.
    public func severity(number: Int64) -> SeverityNumber? {
        var digits = String(number)
        let text = digits.withUTF8 { ByteString(bytes: $0) }
        if let s = exactMatch(text) { return s }
        return severity(rangeOf: number)
    }

    /// The severity of a text matched ignoring ASCII case.
    private func exactMatch(_ text: ByteString) -> SeverityNumber? {
        guard texts.count <= 128 else { return exact[FoldedKey(text)] }
        return text.withUnsafeBytes { raw in
            foldedTexts.withUnsafeBufferPointer { folded in
                texts.withUnsafeBufferPointer { table in
                    let n = raw.count
                    search: for entry in table where entry.count == n {
                        for i in 0..<n {
                            let b = raw[i]
                            if (b &- UInt8(ascii: "A") < 26 ? b | 0x20 : b) != folded[entry.start &+ i] { continue search }
                        }
                        return entry.severity
                    }
                    return nil
                }
            }
        }
    }

    private func severity(rangeOf n: Int64) -> SeverityNumber? {
        for r in ranges where r.min <= n && n <= r.max { return r.severity }
        return nil
    }

    private static func integer(_ text: ByteString) -> Int64? {
        text.withUnsafeBytes { raw in
            guard !raw.isEmpty, raw.count <= 19 else { return nil }
            var v: Int64 = 0
            var start = 0
            if raw[0] == UInt8(ascii: "-") { start = 1 }
            guard start < raw.count else { return nil }
            for b in raw[start...] {
                let d = b &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            return start == 1 ? -v : v
        }
    }
}

/// Bytes hashed and compared ignoring ASCII case.
struct FoldedKey: Hashable {
    let bytes: ByteString

    init(_ bytes: ByteString) { self.bytes = bytes }

    static func == (a: FoldedKey, b: FoldedKey) -> Bool {
        guard a.bytes.count == b.bytes.count else { return false }
        return a.bytes.withUnsafeBytes { x in
            b.bytes.withUnsafeBytes { y in
                for i in 0..<x.count {
                    let p = x[i]
                    let q = y[i]
                    if p != q && (p | 0x20 != q | 0x20 || (p | 0x20) &- UInt8(ascii: "a") >= 26) { return false }
                }
                return true
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        // FNV-1a over the case-folded bytes, so the Hasher sees one word.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBytes { raw in
            for b in raw {
                let folded = b &- UInt8(ascii: "A") < 26 ? b | 0x20 : b
                h = (h ^ UInt64(folded)) &* 0x100_0000_01b3
            }
        }
        hasher.combine(h)
    }
}
