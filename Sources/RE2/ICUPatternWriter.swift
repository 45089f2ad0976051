/// Writes a parsed RE2 tree as an ICU pattern with the same meaning.
///
/// Nothing is left to ICU's defaults where they differ from RE2: `.` becomes `[^\n]`, `^`/`$` become `\A`/`\z`
/// (ICU's `$` also matches before a final line terminator), `\d \s \w \b` become explicit ASCII sets, octal and
/// `\x` escapes become `\x{…}`, named groups become plain groups (ICU names allow no `_`), and `(?U)` is
/// resolved per quantifier. Case-folded literals are written as one-element sets, `(?i:[ß])`, because ICU
/// folds a bare `(?i)ß` fully and would match "ss" where RE2 only uses simple folding.
///
/// Loops: RE2 never completes an iteration that matched empty (its matcher does not revisit a loop at the same
/// position), while ICU completes one and then leaves the loop, keeping that iteration's captures. For `*`
/// and `+` whose body can match empty and holds a group, each iteration records the remaining text in a
/// helper group and must end elsewhere (`+` excepts an empty first iteration, as RE2 does), so groups agree.
/// Helper groups are numbered by ICU; `groupMap` maps RE2 group numbers to ICU ones.
package struct ICUPatternWriter {
    private var output = ""
    private var icuGroupCount = 0
    private var groupMap: [Int] = [0]

    /// The ICU pattern for `node`, and the ICU group number of each RE2 group (index 0 is the whole match).
    package static func pattern(for node: RegexNode, captureCount: Int) -> (pattern: String, groupMap: [Int]) {
        var writer = ICUPatternWriter()
        writer.groupMap = Array(repeating: 0, count: captureCount + 1)
        writer.write(node)
        return (writer.output, writer.groupMap)
    }

    private mutating func write(_ node: RegexNode) {
        switch node {
        case .empty:
            break
        case .literal(let codePoint, let foldCase):
            Self.writeLiteral(codePoint, foldCase: foldCase, into: &output)
        case .anyCharacter(let matchesNewline):
            output += matchesNewline ? "[\\x{0}-\\x{10FFFF}]" : "[^\\n]"
        case .characterClass(let characterClass, let foldCase):
            Self.writeClass(characterClass, foldCase: foldCase, into: &output)
        case .assertion(let assertion):
            output += Self.assertionPattern(assertion)
        case .capture(let index, _, let body):
            icuGroupCount += 1
            groupMap[index] = icuGroupCount
            output += "("
            write(body)
            output += ")"
        case .concatenation(let items):
            for item in items {
                if case .alternation = item {
                    output += "(?:"
                    write(item)
                    output += ")"
                } else {
                    write(item)
                }
            }
        case .alternation(let branches):
            for (index, branch) in branches.enumerated() {
                if index > 0 { output += "|" }
                write(branch)
            }
        case .repetition(let operand, let repetition):
            writeRepetition(operand, repetition)
        }
    }

    private mutating func writeRepetition(_ operand: RegexNode, _ repetition: RegexNode.Repetition) {
        if operand.isZeroWidth {
            // Repeating an assertion is the assertion (or nothing when it may occur zero times).
            if repetition.min > 0 { write(operand) }
            return
        }
        if repetition.max == nil, repetition.min <= 1, Self.canMatchEmpty(operand), Self.hasGroup(operand) {
            writeGuardedLoop(operand, repetition)
            return
        }
        if Self.isAtomic(operand) {
            write(operand)
        } else {
            output += "(?:"
            write(operand)
            output += ")"
        }
        switch (repetition.min, repetition.max, repetition.counted) {
        case (0, nil, false): output += "*"
        case (1, nil, false): output += "+"
        case (0, 1, false): output += "?"
        case (let min, nil, _): output += "{\(min),}"
        case (let min, let max?, _) where max == min: output += "{\(min)}"
        case (let min, let max?, _): output += "{\(min),\(max)}"
        }
        if !repetition.greedy { output += "?" }
    }

    /// `X*` / `X+` whose iterations may not end where they started (bar an empty first iteration of `X+`).
    private mutating func writeGuardedLoop(_ operand: RegexNode, _ repetition: RegexNode.Repetition) {
        let rest = "[\\x{0}-\\x{10FFFF}]*"
        let loopStart: String? = repetition.min == 1 ? helperGroup() : nil
        if let loopStart {
            output += "(?=(?<\(loopStart)>\(rest)))"
        }
        let iterationStart = helperGroup()
        output += "(?:(?=(?<\(iterationStart)>\(rest)))(?:"
        write(operand)
        output += ")"
        if let loopStart {
            output += "(?:(?=\\k<\(loopStart)>\\z)|(?!\\k<\(iterationStart)>\\z))"
        } else {
            output += "(?!\\k<\(iterationStart)>\\z)"
        }
        output += repetition.min == 1 ? ")+" : ")*"
        if !repetition.greedy { output += "?" }
    }

    /// Allocates a helper group (named, so backreferences are unambiguous) and returns its name.
    private mutating func helperGroup() -> String {
        icuGroupCount += 1
        return "relabelrest\(icuGroupCount)"
    }

    private static func canMatchEmpty(_ node: RegexNode) -> Bool {
        switch node {
        case .empty, .assertion: return true
        case .literal, .anyCharacter, .characterClass: return false
        case .capture(_, _, let body): return canMatchEmpty(body)
        case .concatenation(let items): return items.allSatisfy(canMatchEmpty)
        case .alternation(let items): return items.contains(where: canMatchEmpty)
        case .repetition(let sub, let repetition): return repetition.min == 0 || canMatchEmpty(sub)
        }
    }

    private static func hasGroup(_ node: RegexNode) -> Bool {
        switch node {
        case .capture: return true
        case .empty, .assertion, .literal, .anyCharacter, .characterClass: return false
        case .concatenation(let items), .alternation(let items): return items.contains(where: hasGroup)
        case .repetition(let sub, _): return hasGroup(sub)
        }
    }

    /// Whether the written form is a single unit a quantifier can follow.
    private static func isAtomic(_ node: RegexNode) -> Bool {
        switch node {
        case .literal, .anyCharacter, .characterClass, .capture, .assertion: return true
        case .empty, .concatenation, .alternation, .repetition: return false
        }
    }

    private static func writeLiteral(_ codePoint: UInt32, foldCase: Bool, into output: inout String) {
        if (0xD800...0xDFFF).contains(codePoint) {
            // A surrogate never occurs in a valid string; RE2 accepts it and it never matches.
            output += "(?!)"
            return
        }
        let foldable = foldCase && !(codePoint < 0x80 && !isASCIILetter(codePoint))
        if foldable {
            output += "(?i:["
            output += escaped(codePoint)
            output += "])"
        } else {
            output += escaped(codePoint)
        }
    }

    private static func writeClass(_ characterClass: CharacterClass, foldCase: Bool, into output: inout String) {
        var body = ""
        for range in characterClass.ranges {
            body += escaped(range.lowerBound)
            if range.upperBound != range.lowerBound {
                body += "-" + escaped(range.upperBound)
            }
        }
        for group in characterClass.groups {
            body += groupPattern(group)
        }
        if body.isEmpty {
            output += characterClass.negated ? "[\\x{0}-\\x{10FFFF}]" : "(?!)"
            return
        }
        let set = "[" + (characterClass.negated ? "^" : "") + body + "]"
        output += foldCase ? "(?i:" + set + ")" : set
    }

    /// A set item for a Go Unicode group; empty for `\P{Any}`, which lists nothing.
    private static func groupPattern(_ group: UnicodeGroup) -> String {
        switch group.kind {
        case .any:
            return group.negated ? "" : "\\x{0}-\\x{10FFFF}"
        case .category("C"):
            // Go's C is Cc|Cf|Co|Cs; ICU's also holds the unassigned code points (Cn).
            let members = "\\p{gc=Cc}\\p{gc=Cf}\\p{gc=Co}\\p{gc=Cs}"
            return group.negated ? "[^" + members + "]" : members
        case .category(let name):
            return (group.negated ? "\\P" : "\\p") + "{gc=\(name)}"
        case .script(let name):
            return (group.negated ? "\\P" : "\\p") + "{sc=\(name)}"
        }
    }

    private static let asciiWord = "[0-9A-Za-z_]"

    private static func assertionPattern(_ assertion: RegexNode.Assertion) -> String {
        switch assertion {
        case .beginText: return "\\A"
        case .endText: return "\\z"
        case .beginLine: return "(?:\\A|(?<=\\n))"
        case .endLine: return "(?:\\z|(?=\\n))"
        case .wordBoundary:
            return "(?:(?<=\(asciiWord))(?!\(asciiWord))|(?<!\(asciiWord))(?=\(asciiWord)))"
        case .notWordBoundary:
            return "(?:(?<=\(asciiWord))(?=\(asciiWord))|(?<!\(asciiWord))(?!\(asciiWord)))"
        }
    }

    private static func isASCIILetter(_ codePoint: UInt32) -> Bool {
        (0x41...0x5A).contains(codePoint) || (0x61...0x7A).contains(codePoint)
    }

    private static func escaped(_ codePoint: UInt32) -> String {
        if codePoint < 0x80, let scalar = Unicode.Scalar(codePoint), scalar.isASCIIAlphanumeric {
            return String(Character(scalar))
        }
        return "\\x{" + String(codePoint, radix: 16, uppercase: true) + "}"
    }
}
