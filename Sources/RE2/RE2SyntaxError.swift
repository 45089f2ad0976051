/// A pattern Go's `regexp/syntax` would refuse, worded as Go words it.
package struct RE2SyntaxError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        case invalidCharRange = "invalid character class range"
        case invalidEscape = "invalid escape sequence"
        case invalidNamedCapture = "invalid named capture"
        case invalidPerlOp = "invalid or unsupported Perl syntax"
        case invalidRepeatOp = "invalid nested repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case missingRepeatArgument = "missing argument to repetition operator"
        case trailingBackslash = "trailing backslash at end of expression"
        case unexpectedParen = "unexpected )"
        case nestingDepth = "expression nests too deeply"
    }

    package var code: Code
    /// The offending part of the (anchored) expression.
    package var expression: String

    package var description: String { "error parsing regexp: \(code.rawValue): `\(expression)`" }
}
