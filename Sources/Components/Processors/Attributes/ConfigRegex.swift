import OTelModel
import RE2

/// A regular expression from the `attributes` and `resource` processors' settings: RE2, as in the
/// Collector (``RE2Regex``), compiled once. Like Go's `MatchString`, it matches when found anywhere
/// in the text; anchor with `^…$` for a whole match.
struct ConfigRegex: Sendable {
    private let regex: RE2Regex
    var pattern: String { regex.pattern }
    /// Named groups: their group number and name, in the order they open.
    let names: [(index: Int, name: ByteString)]
    /// Capture groups in all, named or not.
    var groupCount: Int { regex.captureCount }

    /// Compiles `pattern`; throws a message saying what is wrong with it.
    init(_ pattern: String) throws(ConfigRegexError) {
        do {
            regex = try RE2Regex(pattern)
        } catch {
            throw ConfigRegexError(message: "'\(pattern)' is not a valid regular expression: \(error.message)")
        }
        names = regex.namedGroups.map { ($0.index, ByteString($0.name)) }
    }

    func matches(_ text: String) -> Bool { regex.matches(text) }

    func matches(_ bytes: ByteString) -> Bool { matches(bytes.string) }

    /// The text of each named group in the first match (empty for a group that took no part), or nil
    /// when there is no match.
    func namedCaptures(in text: String) -> [ByteString]? {
        guard let groups = regex.groups(text) else { return nil }
        return names.map { group in groups[group.index].map { ByteString($0) } ?? ByteString.empty }
    }
}

struct ConfigRegexError: Error {
    var message: String
}
