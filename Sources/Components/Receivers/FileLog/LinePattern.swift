import RE2

/// A regular expression tested against one line: RE2, as in the Collector (``RE2Regex``); it
/// matches when it is found anywhere in the line, `^` anchoring it to the line's start.
struct LinePattern: Sendable {
    private let regex: RE2Regex
    var pattern: String { regex.pattern }

    init(_ pattern: String) throws(RegexError) {
        regex = try RE2Regex(pattern)
    }

    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        regex.matches(bytes.bindMemory(to: UInt8.self))
    }
}
