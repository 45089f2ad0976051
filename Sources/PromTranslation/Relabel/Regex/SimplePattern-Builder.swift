import RE2

extension SimplePattern {
    /// Collects branches into the flat arrays.
    struct Builder {
        var pool: [UInt8] = []
        var alternatives: [Span] = []
        var items: [Item] = []
        var branches: [Branch] = []
        /// The text of each fixed branch, for the lookup table.
        var fixedTexts: [[UInt8]?] = []

        mutating func addBranch(_ node: RegexNode) -> Bool {
            var group: Int32 = -1
            var body = node
            if case .capture(let index, _, let inner) = node {
                group = Int32(index)
                body = inner
            }
            var parts = Self.flattened(body)
            // A branch spans the whole value, so `^` at its start and `$` at its end always hold.
            if case .assertion(.beginText)? = parts.first { parts.removeFirst() }
            if case .assertion(.endText)? = parts.last { parts.removeLast() }
            var steps: [(Step, Int32)] = []
            var pending: [UInt8] = []
            for part in parts {
                if let bytes = Self.literalBytes(part) {
                    pending += bytes
                    continue
                }
                if !pending.isEmpty {
                    steps.append((.literal(pending), -1))
                    pending = []
                }
                if case .capture(let index, _, let inner) = part, let step = Self.step(inner) {
                    steps.append((step, Int32(index)))
                } else if let step = Self.step(part) {
                    steps.append((step, -1))
                } else {
                    return false
                }
            }
            if !pending.isEmpty { steps.append((.literal(pending), -1)) }
            guard Self.wildcardsAreSeparated(steps.map(\.0)) else { return false }

            let first = Int32(items.count)
            var fixed: [UInt8]? = []
            for (step, stepGroup) in steps {
                switch step {
                case .literal(let bytes):
                    items.append(Item(kind: .literal, start: Int32(pool.count), count: Int32(bytes.count),
                                      group: stepGroup))
                    pool += bytes
                    fixed? += bytes
                case .choice(let options):
                    items.append(Item(kind: .choice, start: Int32(alternatives.count), count: Int32(options.count),
                                      group: stepGroup))
                    for option in options {
                        alternatives.append(Span(start: Int32(pool.count), count: Int32(option.count)))
                        pool += option
                    }
                    fixed = nil
                case .wildcard(let atLeastOne, let matchesNewline, let greedy):
                    items.append(Item(kind: .wildcard, atLeastOne: atLeastOne, matchesNewline: matchesNewline,
                                      greedy: greedy, group: stepGroup))
                    fixed = nil
                }
            }
            branches.append(Branch(
                items: Span(start: first, count: Int32(items.count) - first), group: group,
                fixedLength: fixed.map { Int32($0.count) } ?? -1))
            fixedTexts.append(fixed)
            return true
        }

        func lookup(threshold: Int) -> [UInt64: [Int]]? {
            guard branches.count > threshold else { return nil }
            var table: [UInt64: [Int]] = [:]
            for (index, text) in fixedTexts.enumerated() {
                guard let text else { return nil }
                table[text.withUnsafeBufferPointer(SimplePattern.hash), default: []].append(index)
            }
            return table
        }

        enum Step {
            case literal([UInt8])
            case choice([[UInt8]])
            case wildcard(atLeastOne: Bool, matchesNewline: Bool, greedy: Bool)
        }

        /// A step for a literal run, an alternation of literal runs or a `.*`/`.+` wildcard.
        static func step(_ node: RegexNode) -> Step? {
            if let bytes = literalBytes(node) { return .literal(bytes) }
            switch node {
            case .alternation(let branches):
                var options: [[UInt8]] = []
                for branch in branches {
                    guard let bytes = literalBytes(branch) else { return nil }
                    options.append(bytes)
                }
                return .choice(options)
            case .repetition(.anyCharacter(let matchesNewline), let repetition)
            where repetition.max == nil && repetition.min <= 1:
                return .wildcard(atLeastOne: repetition.min == 1, matchesNewline: matchesNewline,
                                 greedy: repetition.greedy)
            default:
                return nil
            }
        }

        /// The UTF-8 bytes of a node made only of literals that need no case folding.
        static func literalBytes(_ node: RegexNode) -> [UInt8]? {
            switch node {
            case .empty:
                return []
            case .literal(let codePoint, let foldCase):
                guard let scalar = Unicode.Scalar(codePoint) else { return nil }
                if foldCase, !(scalar.isASCII && !scalar.properties.isAlphabetic) { return nil }
                return Array(String(Character(scalar)).utf8)
            case .concatenation(let items):
                var bytes: [UInt8] = []
                for item in items {
                    guard let more = literalBytes(item) else { return nil }
                    bytes += more
                }
                return bytes
            default:
                return nil
            }
        }

        static func flattened(_ node: RegexNode) -> [RegexNode] {
            guard case .concatenation(let items) = node else { return [node] }
            return items.flatMap(flattened)
        }

        /// A wildcard must be followed by the end or by text that cannot be empty, so every split point it
        /// tries lies on a character boundary and the split is decided by that text.
        static func wildcardsAreSeparated(_ steps: [Step]) -> Bool {
            for (index, step) in steps.enumerated() {
                guard case .wildcard = step, index + 1 < steps.count else { continue }
                switch steps[index + 1] {
                case .literal(let bytes) where !bytes.isEmpty: continue
                case .choice(let options) where options.allSatisfy({ !$0.isEmpty }): continue
                default: return false
                }
            }
            return true
        }
    }
}
