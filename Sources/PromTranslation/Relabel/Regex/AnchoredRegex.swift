import RE2

/// A relabeling regex: RE2 syntax, anchored at both ends exactly as Prometheus anchors it (`^(?:regex)$`, by
/// string concatenation, so an unbalanced `)` in the regex escapes the group as it does in Prometheus).
///
/// Patterns of the common shapes run on the byte matcher; the rest are translated for ICU. Compiled once;
/// matching works on UTF-8 bytes and reports groups as byte offsets.
final class AnchoredRegex: Sendable {
    /// The regex as configured, without anchors.
    let source: String
    let captureCount: Int
    /// Groups carrying each `(?P<name>…)` name, in order.
    let groupsByName: [String: [Int]]
    private let bytePatternStorage: SimplePattern?
    private let icuStorage: ICURegex?
    // Unretained views of the two engines above (which keep them alive), so a match retains nothing.
    private unowned(unsafe) let bytePattern: SimplePattern?
    private unowned(unsafe) let icu: ICURegex?

    /// Compiles `source`; `allowByteMatcher: false` forces ICU (tests compare the engines).
    init(_ source: String, allowByteMatcher: Bool = true) throws(RelabelError) {
        let parsed: RE2Parser.Parsed
        do {
            parsed = try RE2Parser.parse("^(?:" + source + ")$")
        } catch {
            throw RelabelError(error.description)
        }
        self.source = source
        captureCount = parsed.captureCount
        groupsByName = parsed.groupsByName
        if allowByteMatcher, let pattern = SimplePattern(parsed.root) {
            bytePatternStorage = pattern
            icuStorage = nil
        } else {
            bytePatternStorage = nil
            let translated = ICUPatternWriter.pattern(for: parsed.root, captureCount: parsed.captureCount)
            do {
                icuStorage = try ICURegex(pattern: translated.pattern, groupMap: translated.groupMap)
            } catch {
                throw RelabelError(error.message)
            }
        }
        bytePattern = bytePatternStorage
        icu = icuStorage
    }

    /// Whether the byte matcher handles this regex (no ICU call per match).
    var usesByteMatcher: Bool { bytePattern != nil }

    /// The number of capture slots `firstMatch` fills: a start and an end per group, group 0 included.
    var captureSlots: Int { 2 * (captureCount + 1) }

    /// Whether `input` matches.
    @inline(__always)
    func matches(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        if let bytePattern { return bytePattern.match(input, captures: nil) }
        return icu!.matches(input)
    }

    /// Whether `input` matches; fills `captures` (`captureSlots` entries, preset to -1) with byte offsets.
    @inline(__always)
    func firstMatch(_ input: UnsafeBufferPointer<UInt8>, captures: UnsafeMutableBufferPointer<Int>) -> Bool {
        if let bytePattern { return bytePattern.match(input, captures: captures) }
        return icu!.firstMatch(input, captures: captures)
    }

    /// String conveniences for tests and callers outside the hot path.
    func matches(_ value: String) -> Bool {
        value.withUTF8Bytes { matches($0) }
    }

    /// The groups' texts (index 0 the whole match), nil for a group that did not take part; nil when no match.
    func groups(_ value: String) -> [String?]? {
        value.withUTF8Bytes { input -> [String?]? in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: captureSlots) { captures -> [String?]? in
                captures.initialize(repeating: -1)
                guard firstMatch(input, captures: captures) else { return nil }
                return (0...captureCount).map { group -> String? in
                    let start = captures[2 * group]
                    guard start >= 0 else { return nil }
                    return UnsafeBufferPointer(rebasing: input[start..<captures[2 * group + 1]]).string
                }
            }
        }
    }
}
