import Foundation

/// A regular expression tested against one line (ICU syntax, as Foundation's `NSRegularExpression`
/// has it): it matches when it is found anywhere in the line, `^` anchoring it to the line's start.
struct LinePattern: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as safe to use from several
    // threads at once, which is what makes sharing it sound.
    private let regex: NSRegularExpression
    let pattern: String

    init(_ pattern: String) throws {
        self.pattern = pattern
        regex = try NSRegularExpression(pattern: pattern)
    }

    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
