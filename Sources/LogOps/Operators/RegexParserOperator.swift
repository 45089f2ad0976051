import Foundation
import OTelModel

/// `regex_parser`: matches a string against a regular expression and turns its named capture
/// groups into a map; a group that did not take part in the match gives an empty string, as in the
/// collector. (stanza `operators/regex_parser.md`)
///
/// The pattern uses ICU syntax (Foundation's `NSRegularExpression`), with Go's `(?P<name>…)`
/// accepted besides `(?<name>…)` and `(?'name'…)`; group names may hold any characters but `>`
/// and `'`. The pattern must have at least one named group.
public struct RegexParserConfig: Sendable, Equatable {
    public var regex: String
    public var parseFrom: String
    public var parseTo: String
    public var onError: OnError
    public var timestamp: TimestampConfig?
    public var severity: SeverityConfig?
    public var trace: TraceConfig?

    public init(
        regex: String, parseFrom: String = "body", parseTo: String = "attributes", onError: OnError = .send,
        timestamp: TimestampConfig? = nil, severity: SeverityConfig? = nil, trace: TraceConfig? = nil
    ) {
        self.regex = regex
        self.parseFrom = parseFrom
        self.parseTo = parseTo
        self.onError = onError
        self.timestamp = timestamp
        self.severity = severity
        self.trace = trace
    }

    public func build() throws(OperatorConfigError) -> RegexParserOperator {
        func fail(_ reason: String) -> OperatorConfigError { OperatorConfigError(operatorType: "regex_parser", reason: reason) }
        let (pattern, groups) = try NamedGroups.rewrite(regex, fail)
        guard !groups.isEmpty else { throw fail("regex has no named capture groups") }
        let compiled: NSRegularExpression
        do { compiled = try NSRegularExpression(pattern: pattern) } catch { throw fail("invalid regular expression \(regex)") }
        let core = try ParserCore(
            type: "regex_parser", parseFrom: parseFrom, parseTo: parseTo, onError: onError,
            timestamp: timestamp, severity: severity, trace: trace)
        return RegexParserOperator(core: core, regex: SendableRegex(compiled), groups: groups.map { ($0.index, ByteString($0.name)) })
    }
}

public struct RegexParserOperator: LogOperator {
    let core: ParserCore
    let regex: SendableRegex
    /// Capture group numbers and the keys they become.
    let groups: [(index: Int, key: ByteString)]

    public var type: String { "regex_parser" }

    public func process(_ entry: inout LogEntry) throws(OperatorError) {
        let text = try core.text(of: entry).string
        let ns = text as NSString
        guard let match = regex.value.firstMatch(in: text, options: [], range: NSRange(location: 0, length: ns.length)) else {
            throw OperatorError(.parseFailed, operatorType: type, message: "regex pattern does not match", onError: core.onError)
        }
        var members: [KeyValue] = []
        members.reserveCapacity(groups.count)
        for (index, key) in groups {
            let range = match.range(at: index)
            let value = range.location == NSNotFound ? ByteString.empty : ByteString(ns.substring(with: range))
            members.append(KeyValue(key: key, value: .string(value)))
        }
        JSONCursor.removeDuplicateKeys(&members)
        try core.finish(&entry, parsed: consume members)
    }
}

/// A compiled `NSRegularExpression`. It is immutable after creation and documented as safe to
/// use from several threads at once, which is what makes sharing it sound.
struct SendableRegex: @unchecked Sendable {
    let value: NSRegularExpression
    init(_ value: NSRegularExpression) { self.value = value }
}

/// Named capture groups, rewritten as plain groups so any name works (ICU allows only letters and
/// digits in names).
public enum NamedGroups {
    /// The pattern with its named groups made plain, and each name with its group number.
    public static func rewrite(_ pattern: String, _ fail: (String) -> OperatorConfigError) throws(OperatorConfigError) -> (String, [(index: Int, name: String)]) {
        let s = Array(pattern.unicodeScalars)
        var out = String.UnicodeScalarView()
        var groups: [(index: Int, name: String)] = []
        var groupCount = 0
        var i = 0
        var inClass = false
        func has(_ text: String, at k: Int) -> Bool {
            let t = Array(text.unicodeScalars)
            return k + t.count <= s.count && Array(s[k..<k + t.count]) == t
        }
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                if has("\\Q", at: i) {
                    // Quoted literal text up to \E: copied untouched.
                    var j = i + 2
                    while j < s.count && !has("\\E", at: j) { j += 1 }
                    j = min(s.count, j + 2)
                    out.append(contentsOf: s[i..<j])
                    i = j
                    continue
                }
                out.append(c)
                if i + 1 < s.count { out.append(s[i + 1]) }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                out.append(c)
                i += 1
                continue
            }
            if c == "[" {
                inClass = true
                out.append(c)
                i += 1
                // A ']' right after '[' or '[^' is a literal.
                if i < s.count && s[i] == "^" {
                    out.append(s[i])
                    i += 1
                }
                if i < s.count && s[i] == "]" {
                    out.append(s[i])
                    i += 1
                }
                continue
            }
            if c == "(" {
                var nameStart: Int?
                var close: Unicode.Scalar = ">"
                if has("(?P<", at: i) {
                    nameStart = i + 4
                } else if has("(?<", at: i) && !has("(?<=", at: i) && !has("(?<!", at: i) {
                    nameStart = i + 3
                } else if has("(?'", at: i) {
                    nameStart = i + 3
                    close = "'"
                }
                if let start = nameStart {
                    var j = start
                    while j < s.count && s[j] != close { j += 1 }
                    guard j < s.count, j > start else { throw fail("unterminated or empty capture group name") }
                    groupCount += 1
                    groups.append((groupCount, String(String.UnicodeScalarView(s[start..<j]))))
                    out.append("(")
                    i = j + 1
                    continue
                }
                if !has("(?", at: i) && !has("(*", at: i) { groupCount += 1 }
            }
            out.append(c)
            i += 1
        }
        return (String(out), groups)
    }
}
