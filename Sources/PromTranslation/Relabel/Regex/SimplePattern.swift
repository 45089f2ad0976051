import RE2

/// A matcher for the patterns relabeling mostly uses, run directly on UTF-8 bytes instead of through ICU.
///
/// It covers alternations of branches made of plain literals, alternations of literals (`(a|b)`) and `.*`/`.+`
/// wildcards, optionally captured: `foo|bar`, `(.*)`, `go_.*`, `__meta_(.+)`, `(.+);(.+)`, `(a|b)_(.*)`.
/// Matching backtracks in the same priority order as RE2's leftmost-first semantics (greedy wildcards try the
/// longest span first, alternatives in written order), so spans and captures agree with Go's. The compiled
/// form is plain values in memory the pattern owns, so matching does no reference counting.
///
/// `@unchecked Sendable`: the buffers are written once in `init`, only read afterwards, and freed in `deinit`.
final class SimplePattern: @unchecked Sendable {
    enum Kind: UInt8, Sendable {
        /// `pool[start..<start+count]`.
        case literal
        /// `alternatives[start..<start+count]`, tried in order.
        case choice
        case wildcard
    }

    struct Item: Sendable {
        var kind: Kind
        var atLeastOne = false
        var matchesNewline = false
        var greedy = true
        var start: Int32 = 0
        var count: Int32 = 0
        /// The group capturing exactly this item, or -1.
        var group: Int32 = -1
    }

    struct Span: Sendable {
        var start: Int32
        var count: Int32
    }

    struct Branch: Sendable {
        var items: Span
        /// The group capturing the whole branch, or -1.
        var group: Int32
        /// The byte length when the branch is one fixed text, or -1.
        var fixedLength: Int32
    }

    private let pool: UnsafeBufferPointer<UInt8>
    private let alternatives: UnsafeBufferPointer<Span>
    private let items: UnsafeBufferPointer<Item>
    private let branches: UnsafeBufferPointer<Branch>
    /// The group around the whole pattern, as in `(foo|bar)`, or -1.
    private let outerGroup: Int32
    /// Branch indices by the hash of their exact text when every branch is one fixed text and there are many.
    private let exactLookup: [UInt64: [Int]]
    private let usesLookup: Bool

    private static let lookupThreshold = 8

    /// Recognises `^(?:X)$` where X has the supported shape; nil otherwise.
    init?(_ root: RegexNode) {
        guard case .concatenation(let parts) = root, parts.count == 3,
            case .assertion(.beginText) = parts[0], case .assertion(.endText) = parts[2]
        else { return nil }
        var body = parts[1]
        var outerGroup: Int32 = -1
        if case .capture(let index, _, let inner) = body, case .alternation = inner {
            outerGroup = Int32(index)
            body = inner
        }
        let branchNodes: [RegexNode]
        if case .alternation(let nodes) = body { branchNodes = nodes } else { branchNodes = [body] }
        var builder = Builder()
        for node in branchNodes {
            guard builder.addBranch(node) else { return nil }
        }
        pool = Self.copy(builder.pool)
        alternatives = Self.copy(builder.alternatives)
        items = Self.copy(builder.items)
        branches = Self.copy(builder.branches)
        self.outerGroup = outerGroup
        let lookup = builder.lookup(threshold: Self.lookupThreshold)
        exactLookup = lookup ?? [:]
        usesLookup = lookup != nil
    }

    // MARK: Matching

    /// Whether `value` matches as a whole; fills `captures` (byte offsets, pairs per group, -1 when unset) when
    /// given. `captures` must hold `2 * (groupCount + 1)` entries set to -1.
    func match(_ input: UnsafeBufferPointer<UInt8>, captures: UnsafeMutableBufferPointer<Int>?) -> Bool {
        let context = Context(input: input, pool: pool, alternatives: alternatives, items: items, captures: captures)
        if usesLookup {
            guard let candidates = exactLookup[Self.hash(input)] else { return false }
            for index in candidates where context.matchBranch(branches[index], outerGroup) {
                return true
            }
            return false
        }
        for branch in branches {
            if branch.fixedLength >= 0, Int(branch.fixedLength) != input.count { continue }
            if context.matchBranch(branch, outerGroup) { return true }
        }
        return false
    }

    deinit {
        pool.deallocate()
        alternatives.deallocate()
        items.deallocate()
        branches.deallocate()
    }

    private static func copy<Element>(_ array: [Element]) -> UnsafeBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        return UnsafeBufferPointer(buffer)
    }

    /// FNV-1a over the bytes.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The buffers of one match.
    private struct Context {
        let input: UnsafeBufferPointer<UInt8>
        let pool: UnsafeBufferPointer<UInt8>
        let alternatives: UnsafeBufferPointer<Span>
        let items: UnsafeBufferPointer<Item>
        let captures: UnsafeMutableBufferPointer<Int>?

        @inline(__always)
        func matchBranch(_ branch: Branch, _ outerGroup: Int32) -> Bool {
            let end = Int(branch.items.start + branch.items.count)
            guard matchItems(Int(branch.items.start), end, 0) else { return false }
            if captures != nil {
                record(0, 0, input.count)
                record(branch.group, 0, input.count)
                record(outerGroup, 0, input.count)
            }
            return true
        }

        /// Matches `items[index..<end]` from byte `position` to the end of the input; records captures on the
        /// successful path only.
        private func matchItems(_ index: Int, _ end: Int, _ position: Int) -> Bool {
            if index == end { return position == input.count }
            let item = items[index]
            switch item.kind {
            case .literal:
                let length = Int(item.count)
                guard hasText(at: position, Int(item.start), length),
                    matchItems(index + 1, end, position + length)
                else { return false }
                record(item.group, position, position + length)
                return true
            case .choice:
                for alternative in Int(item.start)..<Int(item.start + item.count) {
                    let span = alternatives[alternative]
                    let length = Int(span.count)
                    if hasText(at: position, Int(span.start), length), matchItems(index + 1, end, position + length) {
                        record(item.group, position, position + length)
                        return true
                    }
                }
                return false
            case .wildcard:
                var limit = input.count
                if !item.matchesNewline {
                    var scan = position
                    while scan < limit, input[scan] != 0x0A { scan += 1 }
                    limit = scan
                }
                let lowest = position + (item.atLeastOne ? 1 : 0)
                guard lowest <= limit else { return false }
                if index + 1 == end {
                    guard limit == input.count else { return false }
                    record(item.group, position, limit)
                    return true
                }
                // The next item is text that cannot be empty: only positions holding its first byte can work.
                let next = items[index + 1]
                let firstByte = next.kind == .literal ? pool[Int(next.start)] : nil
                let step = item.greedy ? -1 : 1
                var stop = item.greedy ? limit : lowest
                while stop >= lowest && stop <= limit {
                    if let firstByte, stop == input.count || input[stop] != firstByte {
                        stop += step
                        continue
                    }
                    if matchItems(index + 1, end, stop) {
                        record(item.group, position, stop)
                        return true
                    }
                    stop += step
                }
                return false
            }
        }

        @inline(__always)
        private func hasText(at position: Int, _ start: Int, _ length: Int) -> Bool {
            guard position + length <= input.count else { return false }
            var offset = 0
            while offset < length {
                if input[position + offset] != pool[start + offset] { return false }
                offset += 1
            }
            return true
        }

        @inline(__always)
        private func record(_ group: Int32, _ start: Int, _ end: Int) {
            guard group >= 0, let captures else { return }
            captures[2 * Int(group)] = start
            captures[2 * Int(group) + 1] = end
        }
    }
}
