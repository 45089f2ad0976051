/// Escapes, classes and error helpers of `RE2Parser`.
extension RE2Parser {
    /// An escape outside brackets: an assertion, `\Q…\E`, a class or a literal.
    package mutating func parseEscapedAtom() throws(RE2SyntaxError) -> RegexNode {
        let start = position
        if start + 1 < scalars.count {
            switch scalars[start + 1] {
            case "A": position += 2; return .assertion(.beginText)
            case "z": position += 2; return .assertion(.endText)
            case "b": position += 2; return .assertion(.wordBoundary)
            case "B": position += 2; return .assertion(.notWordBoundary)
            case "C":
                position += 2
                throw syntaxError(.invalidEscape, from: start)
            case "Q":
                return parseQuoted()
            case "p", "P":
                let group = try parseUnicodeGroup()
                return .characterClass(CharacterClass(groups: [group]), foldCase: flags.foldCase)
            default:
                if let (ranges, negated) = RE2ClassTables.perlClass(scalars[start + 1]) {
                    position += 2
                    let listed = negated ? CodePointRanges.complement(ranges) : ranges
                    return .characterClass(CharacterClass(ranges: listed), foldCase: flags.foldCase)
                }
            }
        }
        return .literal(try parseEscape(), foldCase: flags.foldCase)
    }

    /// `\Q…\E` (or to the end): literals.
    private mutating func parseQuoted() -> RegexNode {
        position += 2
        var literals: [RegexNode] = []
        while position < scalars.count {
            if scalars[position] == "\\", position + 1 < scalars.count, scalars[position + 1] == "E" {
                position += 2
                break
            }
            literals.append(.literal(scalars[position].value, foldCase: flags.foldCase))
            position += 1
        }
        switch literals.count {
        case 0: return .empty
        case 1: return literals[0]
        default: return .concatenation(literals)
        }
    }

    /// A single-character escape at `\`: octal, hex, control letters or escaped punctuation.
    private mutating func parseEscape() throws(RE2SyntaxError) -> UInt32 {
        let start = position
        position += 1
        guard position < scalars.count else {
            throw RE2SyntaxError(code: .trailingBackslash, expression: "")
        }
        let scalar = scalars[position]
        position += 1
        switch scalar {
        case "1"..."7" where position < scalars.count && scalars[position].isOctalDigit, "0":
            var value = scalar.value - 0x30
            var digits = 1
            while digits < 3, position < scalars.count, scalars[position].isOctalDigit {
                value = value * 8 + scalars[position].value - 0x30
                position += 1
                digits += 1
            }
            return value
        case "x":
            if let value = parseHexEscape() { return value }
        case "a": return 0x07
        case "f": return 0x0C
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "v": return 0x0B
        default:
            if scalar.isASCII, !scalar.isASCIIAlphanumeric { return scalar.value }
        }
        throw syntaxError(.invalidEscape, from: start)
    }

    /// After `\x`: two hex digits or `{hex…}` up to U+10FFFF; nil (with the position advanced as Go reports
    /// it) when malformed.
    private mutating func parseHexEscape() -> UInt32? {
        guard position < scalars.count else { return nil }
        let first = scalars[position]
        position += 1
        if first == "{" {
            var value: UInt32 = 0
            var digits = 0
            while position < scalars.count {
                let scalar = scalars[position]
                position += 1
                if scalar == "}" { return digits > 0 ? value : nil }
                guard let digit = scalar.hexDigitValue else { return nil }
                value = value * 16 + digit
                if value > CodePointRanges.maxCodePoint { return nil }
                digits += 1
            }
            return nil
        }
        guard position < scalars.count else { return nil }
        let second = scalars[position]
        position += 1
        guard let high = first.hexDigitValue, let low = second.hexDigitValue else { return nil }
        return high * 16 + low
    }

    /// `\pL`, `\p{Name}`, `\P{…}`, `\p{^…}` at `\`.
    private mutating func parseUnicodeGroup() throws(RE2SyntaxError) -> UnicodeGroup {
        let start = position
        var negated = scalars[start + 1] == "P"
        position = start + 2
        var name: String
        if position < scalars.count, scalars[position] == "{" {
            guard let end = scalars[position...].firstIndex(of: "}") else {
                position = scalars.count
                throw syntaxError(.invalidCharRange, from: start)
            }
            name = String(String.UnicodeScalarView(scalars[(position + 1)..<end]))
            position = end + 1
        } else if position < scalars.count {
            name = String(scalars[position])
            position += 1
        } else {
            name = ""
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard let kind = RE2ClassTables.unicodeGroup(name) else {
            throw syntaxError(.invalidCharRange, from: start)
        }
        return UnicodeGroup(kind: kind, negated: negated)
    }

    /// A bracketed class at `[`.
    package mutating func parseClass() throws(RE2SyntaxError) -> CharacterClass {
        let classStart = position
        position += 1
        var result = CharacterClass()
        if position < scalars.count, scalars[position] == "^" {
            result.negated = true
            position += 1
        }
        var first = true
        while position >= scalars.count || scalars[position] != "]" || first {
            first = false
            if position + 2 < scalars.count, scalars[position] == "[", scalars[position + 1] == ":",
                let ranges = try parsePOSIXClass()
            {
                result.ranges += ranges
                continue
            }
            if position + 1 < scalars.count, scalars[position] == "\\" {
                let next = scalars[position + 1]
                if next == "p" || next == "P" {
                    result.groups.append(try parseUnicodeGroup())
                    continue
                }
                if let (ranges, negated) = RE2ClassTables.perlClass(next) {
                    position += 2
                    result.ranges += negated ? CodePointRanges.complement(ranges) : ranges
                    continue
                }
            }
            let rangeStart = position
            let low = try parseClassCharacter(classStart: classStart)
            var high = low
            if position + 1 < scalars.count, scalars[position] == "-", scalars[position + 1] != "]" {
                position += 1
                high = try parseClassCharacter(classStart: classStart)
                if high < low {
                    throw syntaxError(.invalidCharRange, from: rangeStart)
                }
            }
            result.ranges.append(low...high)
        }
        position += 1
        return result
    }

    /// `[:name:]` or `[:^name:]` at `[`; nil when there is no `:]` (the `[` is then a literal).
    private mutating func parsePOSIXClass() throws(RE2SyntaxError) -> [ClosedRange<UInt32>]? {
        var end = position + 2
        while end + 1 < scalars.count, !(scalars[end] == ":" && scalars[end + 1] == "]") {
            end += 1
        }
        guard end + 1 < scalars.count else { return nil }
        let start = position
        var name = String(String.UnicodeScalarView(scalars[(start + 2)..<end]))
        position = end + 2
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let ranges = RE2ClassTables.posixClass(name) else {
            throw syntaxError(.invalidCharRange, from: start)
        }
        return negated ? CodePointRanges.complement(ranges) : ranges
    }

    package mutating func parseClassCharacter(classStart: Int) throws(RE2SyntaxError) -> UInt32 {
        guard position < scalars.count else {
            throw syntaxError(.missingBracket, from: classStart)
        }
        if scalars[position] == "\\" {
            return try parseEscape()
        }
        position += 1
        return scalars[position - 1].value
    }

    // MARK: Errors

    package func text(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(scalars[range]))
    }

    /// An error whose expression runs from `start` to the current position.
    package func syntaxError(_ code: RE2SyntaxError.Code, from start: Int) -> RE2SyntaxError {
        RE2SyntaxError(code: code, expression: text(start..<Swift.min(position, scalars.count)))
    }
}
