/// A `replacement` or `target_label` template, read as Go's `Regexp.Expand` reads it.
///
/// `$1`/`${1}` and `$name`/`${name}` insert a group, `$$` a dollar. A reference takes the longest run of
/// letters, digits and `_`, so `$1x` names a group "1x" (usually absent, hence empty) while `${1}x` is group 1
/// then "x". A missing or non-participating group inserts nothing; a `$` not followed by a name stays literal.
struct ReplacementTemplate: Sendable {
    private enum Piece: Sendable {
        case text([UInt8])
        /// Candidate groups in order; the first that took part is inserted.
        case group([Int])
    }

    private let pieces: [Piece]
    /// The expansion when the template references no group.
    let constant: [UInt8]?

    init(_ template: String, captureCount: Int, groupsByName: [String: [Int]]) {
        var pieces: [Piece] = []
        var text = String.UnicodeScalarView()
        let scalars = Array(template.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            guard scalar == "$" else {
                text.append(scalar)
                continue
            }
            if index < scalars.count, scalars[index] == "$" {
                text.append("$")
                index += 1
                continue
            }
            guard let (name, next) = Self.reference(in: scalars, at: index) else {
                text.append("$")
                continue
            }
            index = next
            let candidates: [Int]
            if let number = Self.groupNumber(name) {
                candidates = number <= captureCount ? [number] : []
            } else {
                candidates = groupsByName[name] ?? []
            }
            if !candidates.isEmpty {
                if !text.isEmpty { pieces.append(.text(Array(String(text).utf8))) }
                text = String.UnicodeScalarView()
                pieces.append(.group(candidates))
            }
        }
        if !text.isEmpty { pieces.append(.text(Array(String(text).utf8))) }
        self.pieces = pieces
        if pieces.isEmpty {
            constant = []
        } else if pieces.count == 1, case .text(let only) = pieces[0] {
            constant = only
        } else {
            constant = nil
        }
    }

    /// Whether the template text contains a `$` at all (Prometheus' test for templated target labels).
    static func hasReference(_ template: String) -> Bool {
        template.utf8.contains(UInt8(ascii: "$"))
    }

    /// The expansion for a match of `input` whose groups are in `captures` (byte offsets, -1 when unset).
    func expand(_ input: UnsafeBufferPointer<UInt8>, captures: UnsafeMutableBufferPointer<Int>) -> [UInt8] {
        if let constant { return constant }
        var result: [UInt8] = []
        for piece in pieces {
            switch piece {
            case .text(let text):
                result += text
            case .group(let candidates):
                for group in candidates where captures[2 * group] >= 0 {
                    result += UnsafeBufferPointer(rebasing: input[captures[2 * group]..<captures[2 * group + 1]])
                    break
                }
            }
        }
        return result
    }

    /// String convenience for tests: expands against `regex`'s match of `value`, nil when it does not match.
    func expand(matching regex: AnchoredRegex, _ value: String) -> String? {
        value.withUTF8Bytes { input in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: regex.captureSlots) { captures in
                captures.initialize(repeating: -1)
                guard regex.firstMatch(input, captures: captures) else { return nil }
                return String(decoding: expand(input, captures: captures), as: UTF8.self)
            }
        }
    }

    /// The name after `$` at `start`: `{name}` or a bare name; nil when malformed.
    private static func reference(in scalars: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        var index = start
        let braced = index < scalars.count && scalars[index] == "{"
        if braced { index += 1 }
        let nameStart = index
        while index < scalars.count, isNameScalar(scalars[index]) {
            index += 1
        }
        guard index > nameStart else { return nil }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<index]))
        if braced {
            guard index < scalars.count, scalars[index] == "}" else { return nil }
            index += 1
        }
        return (name, index)
    }

    /// Go's `unicode.IsLetter || unicode.IsDigit || '_'`.
    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber:
            return true
        default:
            return false
        }
    }

    /// A group number: ASCII digits, no leading zero, below 10^9 (as Go reads it); nil for a name.
    private static func groupNumber(_ name: String) -> Int? {
        var number = 0
        for byte in name.utf8 {
            guard byte >= 0x30, byte <= 0x39, number < 100_000_000 else { return nil }
            number = number * 10 + Int(byte - 0x30)
        }
        if name.utf8.count > 1, name.utf8.first == 0x30 { return nil }
        return number
    }
}
