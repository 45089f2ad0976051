/// A regular expression in RE2 syntax, as the Collector's Go components take them (the attributes
/// and resource processors' patterns, filelog's multiline patterns and `regex_parser`, tail
/// sampling's string patterns): parsed as Go's `regexp/syntax` parses it, so what Go refuses
/// (backreferences, look-around) is refused here with Go's words (`(?P<name>…)` and, as from Go
/// 1.22 on, `(?<name>…)` name groups), and run on ICU through a
/// translation that keeps RE2's meaning (see ``ICUPatternWriter``).
///
/// Like Go's `MatchString` and `FindStringSubmatch`, it matches when found anywhere in the text;
/// anchor with `^…$` for a whole match. Compiled once, safe to share.
public final class RE2Regex: Sendable {
    public let pattern: String
    /// Capture groups in all, named or not.
    public let captureCount: Int
    /// The `(?P<name>…)` groups in the order they open: group number and name.
    public let namedGroups: [(index: Int, name: String)]
    private let icu: ICURegex

    public init(_ pattern: String) throws(RegexError) {
        let parsed: RE2Parser.Parsed
        do {
            parsed = try RE2Parser.parse(pattern, angleNames: true)
        } catch {
            throw RegexError(error.description)
        }
        self.pattern = pattern
        captureCount = parsed.captureCount
        namedGroups = parsed.groupsByName.flatMap { name, indices in indices.map { (index: $0, name: name) } }.sorted { $0.index < $1.index }
        let translated = ICUPatternWriter.pattern(for: parsed.root, captureCount: parsed.captureCount)
        icu = try ICURegex(pattern: translated.pattern, groupMap: translated.groupMap)
    }

    public func matches(_ text: String) -> Bool { icu.matches(text) }

    public func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { icu.matches(bytes) }

    /// The text of each group of the first match (index 0 the whole match), nil for a group that
    /// took no part; nil when nothing matches.
    public func groups(_ text: String) -> [String?]? { icu.groups(text, count: captureCount + 1) }
}
