import Foundation

/// The ICU engine behind patterns the byte matcher does not cover.
///
/// ICU refuses groups nested 100 deep, which RE2 accepts up to its own limit of 1000 levels. ICU backtracks:
/// a pathological pattern can take exponential time where RE2 is linear, and a match that exceeds ICU's
/// backtracking stack reports no match.
package final class ICURegex: Sendable {
    private let expression: NSRegularExpression
    /// The ICU group number of each RE2 group (the translation adds helper groups).
    private let groupMap: [Int]

    /// Compiles an ICU pattern; returns ICU's complaint when it refuses.
    package init(pattern: String, groupMap: [Int]) throws(RegexError) {
        self.groupMap = groupMap
        do {
            expression = try NSRegularExpression(pattern: pattern, options: [])
        } catch {
            throw RegexError(
                "the regex is valid RE2 but the ICU engine refuses its translation \(pattern.debugDescription)"
                    + " (ICU allows at most 100 nested groups): \(error)")
        }
    }

    package func matches(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        matches(String(decoding: input, as: UTF8.self))
    }

    package func matches(_ value: String) -> Bool {
        expression.firstMatch(in: value, options: [], range: NSRange(location: 0, length: value.utf16.count)) != nil
    }

    /// The text of each RE2 group (index 0 the whole match; nil when a group took no part), nil
    /// when nothing matches.
    package func groups(_ value: String, count: Int) -> [String?]? {
        let ns = value as NSString
        guard let result = expression.firstMatch(in: value, options: [], range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (0..<count).map { group in
            guard group < groupMap.count, groupMap[group] < result.numberOfRanges else { return nil }
            let span = result.range(at: groupMap[group])
            return span.location == NSNotFound ? nil : ns.substring(with: span)
        }
    }

    /// Fills `captures` with UTF-8 byte offsets (pairs per group, -1 when a group did not take part).
    package func firstMatch(_ input: UnsafeBufferPointer<UInt8>, captures: UnsafeMutableBufferPointer<Int>) -> Bool {
        let value = String(decoding: input, as: UTF8.self)
        let whole = NSRange(location: 0, length: value.utf16.count)
        guard let result = expression.firstMatch(in: value, options: [], range: whole) else { return false }
        let utf8 = value.utf8
        for group in 0..<min(captures.count / 2, groupMap.count) {
            let icuGroup = groupMap[group]
            guard icuGroup < result.numberOfRanges else { continue }
            let span = result.range(at: icuGroup)
            guard span.location != NSNotFound, let range = Range(span, in: value) else { continue }
            captures[2 * group] = utf8.distance(from: utf8.startIndex, to: range.lowerBound)
            captures[2 * group + 1] = utf8.distance(from: utf8.startIndex, to: range.upperBound)
        }
        return true
    }
}

/// A pattern that cannot be used: not valid RE2 (worded as Go words it), or valid RE2 whose
/// translation the ICU engine refuses.
public struct RegexError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
