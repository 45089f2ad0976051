/// The syntax tree of an RE2 pattern as Go's `regexp/syntax` reads it with Perl flags.
///
/// Flags are resolved while parsing: literals and classes carry their case folding, `.` whether it matches a
/// newline, `^`/`$` whether they are text or line anchors, and repetitions whether they are greedy.
package indirect enum RegexNode: Sendable {
    /// Matches the empty string.
    case empty
    /// One code point (surrogates included: Go accepts `\x{D800}`, which matches nothing).
    case literal(UInt32, foldCase: Bool)
    case anyCharacter(matchesNewline: Bool)
    case characterClass(CharacterClass, foldCase: Bool)
    case assertion(Assertion)
    /// A numbered group; `name` is set for `(?P<name>…)`.
    case capture(index: Int, name: String?, RegexNode)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, Repetition)

    package enum Assertion: Sendable, Equatable {
        /// `\A`, or `^` without `(?m)`.
        case beginText
        /// `\z`, or `$` without `(?m)`.
        case endText
        /// `^` under `(?m)`: start of text or after `\n`.
        case beginLine
        /// `$` under `(?m)`: end of text or before `\n`.
        case endLine
        /// `\b` with ASCII word characters.
        case wordBoundary
        /// `\B` with ASCII word characters.
        case notWordBoundary
    }

    package struct Repetition: Sendable, Equatable {
        package var min: Int
        /// `nil` for unbounded.
        package var max: Int?
        package var greedy: Bool
        /// Written as `{n}`, `{n,}` or `{n,m}` rather than `*`, `+` or `?` (Go limits only these).
        package var counted: Bool
    }

    /// Whether the node only ever matches the empty string at some position.
    package var isZeroWidth: Bool {
        switch self {
        case .empty, .assertion: return true
        case .literal, .anyCharacter, .characterClass: return false
        case .capture: return false
        case .concatenation(let items): return items.allSatisfy(\.isZeroWidth)
        case .alternation(let items): return items.allSatisfy(\.isZeroWidth)
        case .repetition(let sub, _): return sub.isZeroWidth
        }
    }
}
