/// Go's structural limits on parsed patterns.
package enum RE2Limits {
    /// Tree height as Go counts it: nested concatenations and alternations flatten, a run of literals is one
    /// node. Go refuses patterns taller than 1000 ("expression nests too deeply").
    package static func height(of node: RegexNode) -> Int {
        switch node {
        case .empty, .literal, .anyCharacter, .characterClass, .assertion:
            return 1
        case .capture(_, _, let sub), .repetition(let sub, _):
            return 1 + height(of: sub)
        case .concatenation(let items):
            let parts = mergingLiteralRuns(flattened(items, concatenation: true))
            if parts.count == 1 { return height(of: parts[0]) }
            return 1 + (parts.map(height(of:)).max() ?? 0)
        case .alternation(let items):
            return 1 + (flattened(items, concatenation: false).map(height(of:)).max() ?? 0)
        }
    }

    private static func flattened(_ items: [RegexNode], concatenation: Bool) -> [RegexNode] {
        var result: [RegexNode] = []
        for item in items {
            switch item {
            case .concatenation(let inner) where concatenation:
                result += flattened(inner, concatenation: true)
            case .alternation(let inner) where !concatenation:
                result += flattened(inner, concatenation: false)
            default:
                result.append(item)
            }
        }
        return result
    }

    /// Go keeps adjacent literals with the same case folding as one string node.
    private static func mergingLiteralRuns(_ items: [RegexNode]) -> [RegexNode] {
        var result: [RegexNode] = []
        var previousFold: Bool?
        for item in items {
            if case .literal(_, let fold) = item {
                if previousFold == fold { continue }
                previousFold = fold
            } else {
                previousFold = nil
            }
            result.append(item)
        }
        return result
    }

    /// Whether a counted repetition and the counted repetitions inside it stay within `limit` copies of the
    /// innermost operand (Go refuses `(a{100}){100}` as an invalid repeat count).
    package static func repeatIsValid(_ node: RegexNode, limit: Int) -> Bool {
        var limit = limit
        switch node {
        case .repetition(let sub, let repetition):
            if repetition.counted {
                if repetition.max == 0 { return true }
                let copies = repetition.max ?? repetition.min
                if copies > limit { return false }
                if copies > 0 { limit /= copies }
            }
            return repeatIsValid(sub, limit: limit)
        case .capture(_, _, let sub):
            return repeatIsValid(sub, limit: limit)
        case .concatenation(let items), .alternation(let items):
            return items.allSatisfy { repeatIsValid($0, limit: limit) }
        case .empty, .literal, .anyCharacter, .characterClass, .assertion:
            return true
        }
    }
}
