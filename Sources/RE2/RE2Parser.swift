/// Parses RE2 syntax the way Go's `regexp.Compile` does (Perl flags: `.` excludes `\n`, `^`/`$` anchor the text,
/// negated classes match `\n`, `\d \s \w \b` are ASCII), including Go's limits and error messages.
///
/// Go 1.19 is the reference (Prometheus 2.42 is built with it): `(?<name>…)` is refused there, only
/// `(?P<name>…)` names a group; `angleNames` accepts it as Go 1.22 does (the Collector's components). Spec: https://github.com/google/re2/wiki/Syntax
package struct RE2Parser {
    package struct Flags: Sendable {
        package var foldCase = false
        package var multiLine = false
        package var dotMatchesNewline = false
        package var ungreedy = false
    }

    /// The result: the tree, the number of groups and which groups carry each name (in order).
    package struct Parsed: Sendable {
        package var root: RegexNode
        package var captureCount: Int
        package var groupsByName: [String: [Int]]
    }

    package static let maxRepeat = 1000
    package static let maxHeight = 1000

    package let scalars: [Unicode.Scalar]
    package var position = 0
    package var flags = Flags()
    private var captureCount = 0
    private var groupsByName: [String: [Int]] = [:]

    /// Whether `(?<name>…)` names a group too, as it does from Go 1.22 on.
    let angleNames: Bool

    private init(_ pattern: String, angleNames: Bool) {
        scalars = Array(pattern.unicodeScalars)
        self.angleNames = angleNames
    }

    /// Parses `pattern` as written (callers add Prometheus' `^(?:…)$` themselves).
    package static func parse(_ pattern: String, angleNames: Bool = false) throws(RE2SyntaxError) -> Parsed {
        var parser = RE2Parser(pattern, angleNames: angleNames)
        let root = try parser.parseAlternation()
        if parser.position < parser.scalars.count {
            throw RE2SyntaxError(code: .unexpectedParen, expression: pattern)
        }
        if RE2Limits.height(of: root) > maxHeight {
            throw RE2SyntaxError(code: .nestingDepth, expression: pattern)
        }
        return Parsed(root: root, captureCount: parser.captureCount, groupsByName: parser.groupsByName)
    }

    // MARK: Structure

    private mutating func parseAlternation() throws(RE2SyntaxError) -> RegexNode {
        var branches = [try parseConcatenation()]
        while position < scalars.count, scalars[position] == "|" {
            position += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws(RE2SyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        var lastRepeatStart: Int?
        while position < scalars.count {
            let scalar = scalars[position]
            if scalar == "|" || scalar == ")" { break }
            var repeatStart: Int?
            switch scalar {
            case "(":
                if let group = try parseGroup() { items.append(group) }
            case "[":
                items.append(.characterClass(try parseClass(), foldCase: flags.foldCase))
            case ".":
                position += 1
                items.append(.anyCharacter(matchesNewline: flags.dotMatchesNewline))
            case "^":
                position += 1
                items.append(.assertion(flags.multiLine ? .beginLine : .beginText))
            case "$":
                position += 1
                items.append(.assertion(flags.multiLine ? .endLine : .endText))
            case "*", "+", "?":
                let start = position
                position += 1
                let bounds: (Int, Int?) = scalar == "*" ? (0, nil) : scalar == "+" ? (1, nil) : (0, 1)
                try repeatLast(&items, min: bounds.0, max: bounds.1, counted: false, start: start, lastRepeatStart)
                repeatStart = start
            case "{":
                let start = position
                if let (min, max, end) = braceRepeat(at: position) {
                    position = end
                    if min < 0 || min > Self.maxRepeat || (max ?? 0) > Self.maxRepeat || (max.map { min > $0 } ?? false) {
                        throw syntaxError(.invalidRepeatSize, from: start)
                    }
                    try repeatLast(&items, min: min, max: max, counted: true, start: start, lastRepeatStart)
                    repeatStart = start
                } else {
                    position += 1
                    items.append(.literal(scalar.value, foldCase: flags.foldCase))
                }
            case "\\":
                items.append(try parseEscapedAtom())
            default:
                position += 1
                items.append(.literal(scalar.value, foldCase: flags.foldCase))
            }
            lastRepeatStart = repeatStart
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    /// Applies a repetition operator (already consumed from `start`) to the last item.
    private mutating func repeatLast(
        _ items: inout [RegexNode], min: Int, max: Int?, counted: Bool, start: Int, _ lastRepeatStart: Int?
    ) throws(RE2SyntaxError) {
        var greedy = !flags.ungreedy
        if position < scalars.count, scalars[position] == "?" {
            position += 1
            greedy.toggle()
        }
        if let lastRepeatStart {
            throw syntaxError(.invalidRepeatOp, from: lastRepeatStart)
        }
        guard let operand = items.popLast() else {
            throw syntaxError(.missingRepeatArgument, from: start)
        }
        let repetition = RegexNode.Repetition(min: min, max: max, greedy: greedy, counted: counted)
        let node = RegexNode.repetition(operand, repetition)
        if counted, min >= 2 || (max ?? -1) >= 2, !RE2Limits.repeatIsValid(node, limit: Self.maxRepeat) {
            throw syntaxError(.invalidRepeatSize, from: start)
        }
        items.append(node)
    }

    /// `{n}`, `{n,}` or `{n,m}` at `start`: bounds (-1 for an overflowing number) and the end, or nil if the
    /// brace is a literal.
    private func braceRepeat(at start: Int) -> (Int, Int?, Int)? {
        var index = start + 1
        guard let min = integer(at: &index) else { return nil }
        guard index < scalars.count else { return nil }
        var max: Int? = min
        var minimum = min
        if scalars[index] == "," {
            index += 1
            guard index < scalars.count else { return nil }
            if scalars[index] == "}" {
                max = nil
            } else {
                guard let parsed = integer(at: &index) else { return nil }
                max = parsed
                if parsed < 0 { minimum = -1 }
            }
        }
        guard index < scalars.count, scalars[index] == "}" else { return nil }
        return (minimum, max, index + 1)
    }

    /// Decimal digits without a leading zero; -1 past 10^8.
    private func integer(at index: inout Int) -> Int? {
        guard index < scalars.count, scalars[index].isASCIIDigit else { return nil }
        if scalars[index] == "0", index + 1 < scalars.count, scalars[index + 1].isASCIIDigit { return nil }
        var value = 0
        while index < scalars.count, scalars[index].isASCIIDigit {
            if value >= 100_000_000 {
                value = -1
            } else if value >= 0 {
                value = value * 10 + Int(scalars[index].value - 0x30)
            }
            index += 1
        }
        return value
    }

    // MARK: Groups

    /// A group at `(`; nil for a flags-only group such as `(?i)`.
    private mutating func parseGroup() throws(RE2SyntaxError) -> RegexNode? {
        let start = position
        let saved = flags
        guard start + 1 < scalars.count, scalars[start + 1] == "?" else {
            position += 1
            captureCount += 1
            let index = captureCount
            let body = try parseGroupBody(restoring: saved)
            return .capture(index: index, name: nil, body)
        }
        if scalars.count - start > 4, scalars[start + 2] == "P", scalars[start + 3] == "<" {
            return try parseNamedGroup(at: start, nameStart: start + 4)
        }
        if angleNames, scalars.count - start > 3, scalars[start + 2] == "<" {
            return try parseNamedGroup(at: start, nameStart: start + 3)
        }
        var index = start + 2
        var updated = flags
        var negate = false
        var sawFlag = false
        flagLoop: while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "i": updated.foldCase = !negate; sawFlag = true
            case "m": updated.multiLine = !negate; sawFlag = true
            case "s": updated.dotMatchesNewline = !negate; sawFlag = true
            case "U": updated.ungreedy = !negate; sawFlag = true
            case "-":
                if negate { break flagLoop }
                negate = true
                sawFlag = false
            case ":", ")":
                if negate, !sawFlag { break flagLoop }
                position = index
                flags = updated
                if scalar == ")" { return nil }
                return try parseGroupBody(restoring: saved)
            default:
                break flagLoop
            }
        }
        position = index
        throw syntaxError(.invalidPerlOp, from: start)
    }

    private mutating func parseNamedGroup(at start: Int, nameStart: Int) throws(RE2SyntaxError) -> RegexNode {
        guard let end = scalars[start...].firstIndex(of: ">") else {
            position = scalars.count
            throw syntaxError(.invalidNamedCapture, from: start)
        }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<end]))
        position = end + 1
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0 == "_" || $0.isASCIIAlphanumeric }) else {
            throw syntaxError(.invalidNamedCapture, from: start)
        }
        captureCount += 1
        let index = captureCount
        groupsByName[name, default: []].append(index)
        let body = try parseGroupBody(restoring: flags)
        return .capture(index: index, name: name, body)
    }

    /// The alternation up to `)`, which it consumes; restores the flags in force before the group.
    private mutating func parseGroupBody(restoring saved: Flags) throws(RE2SyntaxError) -> RegexNode {
        let body = try parseAlternation()
        guard position < scalars.count, scalars[position] == ")" else {
            throw RE2SyntaxError(code: .missingParen, expression: text(0..<scalars.count))
        }
        position += 1
        flags = saved
        return body
    }
}

extension Unicode.Scalar {
    package var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }
    package var isOctalDigit: Bool { value >= 0x30 && value <= 0x37 }

    package var isASCIIAlphanumeric: Bool {
        isASCIIDigit || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
    }

    package var hexDigitValue: UInt32? {
        switch value {
        case 0x30...0x39: return value - 0x30
        case 0x41...0x46: return value - 0x41 + 10
        case 0x61...0x66: return value - 0x61 + 10
        default: return nil
        }
    }
}
