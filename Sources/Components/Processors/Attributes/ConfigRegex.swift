import Foundation
import LogOps
import OTelModel

/// A regular expression from the `attributes` and `resource` processors' settings, compiled once.
///
/// ICU syntax (Foundation's `NSRegularExpression`), with Go's `(?P<name>…)` accepted for named groups
/// so the Collector's patterns work. Like Go's `MatchString`, it matches when found anywhere in the
/// text; anchor with `^…$` for a whole match.
struct ConfigRegex: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as safe to use from several
    // threads at once, which is what makes sharing it sound.
    private let regex: NSRegularExpression
    let pattern: String
    /// Named groups: their group number and name, in the order they open.
    let names: [(index: Int, name: ByteString)]
    /// Capture groups in all, named or not.
    let groupCount: Int

    /// Compiles `pattern`; throws a message saying what is wrong with it.
    init(_ pattern: String) throws(ConfigRegexError) {
        let rewritten: (String, [(index: Int, name: String)])
        do {
            rewritten = try NamedGroups.rewrite(pattern) { OperatorConfigError(operatorType: "regex", reason: $0) }
        } catch {
            throw ConfigRegexError(message: "'\(pattern)' is not a valid regular expression: \(error.reason)")
        }
        do {
            regex = try NSRegularExpression(pattern: rewritten.0)
        } catch {
            throw ConfigRegexError(message: "'\(pattern)' is not a valid regular expression")
        }
        self.pattern = pattern
        names = rewritten.1.map { ($0.index, ByteString($0.name)) }
        groupCount = regex.numberOfCaptureGroups
    }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
    }

    func matches(_ bytes: ByteString) -> Bool { matches(bytes.string) }

    /// The text of each named group in the first match (empty for a group that took no part), or nil
    /// when there is no match.
    func namedCaptures(in text: String) -> [ByteString]? {
        let ns = text as NSString
        guard let match = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return names.map { group in
            let range = match.range(at: group.index)
            return range.location == NSNotFound ? ByteString.empty : ByteString(ns.substring(with: range))
        }
    }
}

struct ConfigRegexError: Error {
    var message: String
}
