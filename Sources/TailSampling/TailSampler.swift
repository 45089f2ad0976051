import OTelModel

/// Tail sampling: holds the spans of each trace until `decision_wait` after its first span, then
/// lets the policies decide, keeping or dropping the trace whole.
///
/// Memory is bounded by the number of traces held and by a byte budget: when either is full, the
/// oldest undecided trace is decided early (and counted), never dropped unseen. Decisions are
/// remembered (by trace id, oldest forgotten first), so spans arriving after their trace was
/// decided follow the decision. Not thread-safe: the owner serialises calls. Time is passed in
/// (nanoseconds on any monotonic clock), so tests drive it.
public final class TailSampler {
    public struct Settings: Sendable, Equatable {
        public var decisionWait: UInt64
        public var numTraces: Int
        public var maxBytes: Int
        /// How many kept / not kept trace ids are remembered; 0 means `numTraces`.
        public var sampledCacheSize: Int
        public var nonSampledCacheSize: Int
        public var policies: [PolicyConfig]
        /// Stop at the first policy that votes to sample (later policies, drops included, are not
        /// asked), as the collector's `sample_on_first_match`.
        public var sampleOnFirstMatch = false

        public init(
            decisionWait: UInt64 = 30_000_000_000, numTraces: Int = 50_000, maxBytes: Int = 256 << 20,
            sampledCacheSize: Int = 0, nonSampledCacheSize: Int = 0, policies: [PolicyConfig] = []
        ) {
            self.decisionWait = decisionWait
            self.numTraces = numTraces
            self.maxBytes = maxBytes
            self.sampledCacheSize = sampledCacheSize
            self.nonSampledCacheSize = nonSampledCacheSize
            self.policies = policies
        }
    }

    /// Votes of one policy, in traces and spans.
    public struct Tally: Sendable, Equatable {
        public var sampledTraces = 0
        public var sampledSpans = 0
        public var notSampledTraces = 0
        public var notSampledSpans = 0
    }

    /// What a call decided: the spans to pass on and what happened, for metrics.
    public struct Outcome {
        /// Kept traces whole, and late spans of kept traces.
        public var forward: [ResourceSpans] = []
        public var keptTraces = 0
        public var keptSpans = 0
        public var droppedTraces = 0
        public var droppedSpans = 0
        /// Traces decided before their wait was over, by reason (`num_traces`, `memory`).
        public var early: [String: Int] = [:]
        /// Votes by policy name.
        public var policies: [String: Tally] = [:]
        /// Votes by policy position while deciding; folded into `policies` when the call ends.
        var tallies: [Tally] = []
        /// Time from first span to decision, per decided trace (ns).
        public var decisionLatencies: [UInt64] = []
        public var lateKeptSpans = 0
        public var lateDroppedSpans = 0
        public var newTraces = 0
        /// Spans without a trace id, passed on as they are.
        public var untracedSpans = 0
        /// Per decided trace id, whether it was kept (for samplers of logs that follow).
        public var decided: [(TraceID, Bool)] = []
        /// Kept traces' spans by the payload they came in, merged so each payload's resources are
        /// written once; turned into `forward` when the call ends.
        var keptParts: [TracePart] = []
        var keptIndex: [ObjectIdentifier: Int] = [:]

        mutating func keep(_ parts: [TracePart]) {
            for part in parts {
                let key = ObjectIdentifier(part.arrival)
                if let i = keptIndex[key] {
                    keptParts[i].spans += part.spans
                } else {
                    keptIndex[key] = keptParts.count
                    keptParts.append(part)
                }
            }
        }

        /// Moves the kept spans into `forward`, in payload order, and names the policies' votes.
        mutating func finish(_ names: [String]) {
            for var part in keptParts {
                // One integer per reference sorts faster than comparing tuples (when the positions
                // fit in 21 bits each, as in any payload of sane size).
                if part.spans.allSatisfy({ $0.resource < 1 << 21 && $0.scope < 1 << 21 && $0.index < 1 << 21 }) {
                    var keys = part.spans.map { UInt64($0.resource) << 42 | UInt64($0.scope) << 21 | UInt64($0.index) }
                    keys.sort()
                    part.spans = keys.map { SpanRef(resource: UInt32($0 >> 42), scope: UInt32(($0 >> 21) & 0x1F_FFFF), index: UInt32($0 & 0x1F_FFFF)) }
                } else {
                    part.spans.sort { ($0.resource, $0.scope, $0.index) < ($1.resource, $1.scope, $1.index) }
                }
                part.append(to: &forward)
            }
            keptParts = []
            keptIndex = [:]
            for (i, t) in tallies.enumerated() where t.sampledTraces + t.notSampledTraces > 0 { policies[names[i]] = t }
            tallies = []
        }

        public var isEmpty: Bool { forward.isEmpty && decided.isEmpty && lateDroppedSpans == 0 && newTraces == 0 }
    }

    private final class Pending {
        var view: TraceView
        let arrival: UInt64
        init(view: TraceView, arrival: UInt64) {
            self.view = view
            self.arrival = arrival
        }
    }

    /// One more waiting trace has spans in `arrival`; the first one brings its bytes into the budget.
    private func hold(_ arrival: Arrival) {
        if arrival.waitingTraces == 0 { bytes += arrival.bytes }
        arrival.waitingTraces += 1
    }

    /// A waiting trace with spans in `arrival` was decided; the last one takes its bytes out.
    private func release(_ arrival: Arrival) {
        arrival.waitingTraces -= 1
        if arrival.waitingTraces == 0 { bytes -= arrival.bytes }
    }

    public let settings: Settings
    private let policies: [PolicyEvaluator]
    private let policyNames: [String]
    private var pending: [TraceID: Pending] = [:]
    /// Trace ids by first arrival; entries of traces decided early are skipped when reached.
    private var queue: [(id: TraceID, arrival: UInt64)] = []
    private var head = 0
    private var kept: DecisionCache
    private var notKept: DecisionCache
    public private(set) var bytes = 0

    public init(_ settings: Settings) throws(PolicyError) {
        self.settings = settings
        policies = try settings.policies.map { (c) throws(PolicyError) in try PolicyEvaluator(c) }
        policyNames = settings.policies.map(\.name)
        kept = DecisionCache(capacity: settings.sampledCacheSize > 0 ? settings.sampledCacheSize : settings.numTraces)
        notKept = DecisionCache(capacity: settings.nonSampledCacheSize > 0 ? settings.nonSampledCacheSize : settings.numTraces)
    }

    /// Traces waiting for a decision.
    public var pendingTraces: Int { pending.count }

    /// The decision remembered for a trace: true kept, false not kept, nil unknown or pending.
    public func decision(for id: TraceID) -> Bool? {
        if kept.contains(id) { return true }
        if notKept.contains(id) { return false }
        return nil
    }

    /// Whether spans of this trace are waiting for a decision.
    public func isPending(_ id: TraceID) -> Bool { pending[id] != nil }

    /// Takes in spans. Spans of decided traces follow their decision at once; others wait. When
    /// the limits are reached, the oldest traces are decided early.
    public func add(_ data: TracesData, now: UInt64) -> Outcome {
        var out = Outcome()
        let arrival = Arrival(data)
        for piece in Self.pieces(of: arrival) {
            let id = piece.id
            let view = { () -> TraceView in
                var v = TraceView(id: id)
                v.add(piece.part, summary: piece.summary)
                return v
            }
            let spans = piece.part.spans.count
            if id.isZero {
                out.untracedSpans += spans
                out.forward.append(contentsOf: view().resourceSpans())
                continue
            }
            if let entry = pending[id] {
                entry.view.add(piece.part, summary: piece.summary)
                hold(arrival)
                continue
            }
            if kept.contains(id) {
                out.lateKeptSpans += spans
                out.forward.append(contentsOf: view().resourceSpans())
                continue
            }
            if notKept.contains(id) {
                out.lateDroppedSpans += spans
                continue
            }
            if pending.count >= settings.numTraces { decideOldest(now: now, reason: "num_traces", into: &out) }
            let entry = Pending(view: view(), arrival: now)
            hold(arrival)
            pending[id] = entry
            queue.append((id, now))
            out.newTraces += 1
        }
        while bytes > settings.maxBytes, pending.count > 0 { decideOldest(now: now, reason: "memory", into: &out) }
        compactQueue()
        out.finish(policyNames)
        return out
    }

    /// One trace's spans in a payload, with what policies read from them and their size.
    struct Piece {
        var id: TraceID
        var part: TracePart
        var summary = SpanSummary()
    }

    /// The payload's spans grouped by trace, in order of first appearance; sets the arrival's size.
    ///
    /// Two passes: the first groups and counts, so that each trace's references are allocated once.
    /// A payload still backed by its request is sized as that request plus the structures decoded
    /// from it (its strings and encoded attributes are views into it); otherwise span by span.
    static func pieces(of arrival: Arrival) -> [Piece] {
        let data = arrival.data
        let request = data.source.storage
        var pieces: [Piece] = []
        var counts: [Int] = []
        var owners: [Int32] = []
        owners.reserveCapacity(data.spanCount)
        var index = TraceIndex(capacity: data.spanCount)
        var bytes = request?.count ?? 0
        for rs in data.resourceSpans {
            bytes += MemoryLayout<ResourceSpans>.stride + rs.scopeSpans.count * MemoryLayout<ScopeSpans>.stride
            if request == nil { bytes += rs.resource?.attributes.estimatedBytes ?? 0 }
            for ss in rs.scopeSpans {
                ss.spans.withUnsafeBufferPointer { spans in
                    guard let first = spans.baseAddress else { return }
                    for i in spans.indices {
                        let id = spans[i].traceID
                        let k = index.position(of: id, next: pieces.count)
                        if k == pieces.count {
                            pieces.append(Piece(id: id, part: TracePart(arrival: arrival, spans: [])))
                            counts.append(0)
                        }
                        counts[k] += 1
                        owners.append(Int32(truncatingIfNeeded: k))
                        pieces[k].summary.add(first + i, sizeFromSpan: request == nil)
                    }
                }
            }
        }
        for k in pieces.indices {
            pieces[k].part.spans.reserveCapacity(counts[k])
            bytes += pieces[k].summary.bytes
        }
        arrival.bytes = bytes
        var n = 0
        for (r, rs) in data.resourceSpans.enumerated() {
            for (s, ss) in rs.scopeSpans.enumerated() {
                for i in ss.spans.indices {
                    pieces[Int(owners[n])].part.spans.append(SpanRef(resource: UInt32(r), scope: UInt32(s), index: UInt32(i)))
                    n += 1
                }
            }
        }
        return pieces
    }

    /// Decides every trace whose wait is over at `now`.
    public func decideDue(now: UInt64) -> Outcome {
        var out = Outcome()
        while head < queue.count {
            let (id, arrival) = queue[head]
            guard let entry = pending[id], entry.arrival == arrival else {
                head += 1
                continue
            }
            guard arrival &+ settings.decisionWait <= now else { break }
            head += 1
            decide(entry, now: now, into: &out)
        }
        compactQueue()
        out.finish(policyNames)
        return out
    }

    /// Decides every pending trace now (at shutdown).
    public func decideAll(now: UInt64) -> Outcome {
        var out = Outcome()
        while let entry = nextPending() { decide(entry, now: now, into: &out) }
        compactQueue()
        out.finish(policyNames)
        return out
    }

    /// When the oldest pending trace is due (ns), or nil when none is pending.
    public var nextDue: UInt64? {
        var i = head
        while i < queue.count {
            if let entry = pending[queue[i].id], entry.arrival == queue[i].arrival { return entry.arrival &+ settings.decisionWait }
            i += 1
        }
        return nil
    }

    // MARK: Deciding

    private func decideOldest(now: UInt64, reason: String, into out: inout Outcome) {
        guard let entry = nextPending() else { return }
        out.early[reason, default: 0] += 1
        decide(entry, now: now, into: &out)
    }

    /// Pops the oldest trace still pending.
    private func nextPending() -> Pending? {
        while head < queue.count {
            let (id, arrival) = queue[head]
            head += 1
            if let entry = pending[id], entry.arrival == arrival { return entry }
        }
        return nil
    }

    private func decide(_ entry: Pending, now: UInt64, into out: inout Outcome) {
        let view = entry.view
        pending[view.id] = nil
        for part in view.parts { release(part.arrival) }
        if out.tallies.isEmpty { out.tallies = Array(repeating: Tally(), count: policies.count) }
        var combined = Vote.Combination()
        for (i, policy) in policies.enumerated() {
            let vote = policy.evaluate(view, now: now)
            combined.add(vote)
            if vote == .sampled || vote == .invertSampled {
                out.tallies[i].sampledTraces += 1
                out.tallies[i].sampledSpans += view.spanCount
            } else {
                out.tallies[i].notSampledTraces += 1
                out.tallies[i].notSampledSpans += view.spanCount
            }
            if settings.sampleOnFirstMatch && vote == .sampled { break }
        }
        let keep = combined.keep
        out.decisionLatencies.append(now >= entry.arrival ? now - entry.arrival : 0)
        out.decided.append((view.id, keep))
        if keep {
            kept.insert(view.id)
            out.keptTraces += 1
            out.keptSpans += view.spanCount
            out.keep(view.parts)
        } else {
            notKept.insert(view.id)
            out.droppedTraces += 1
            out.droppedSpans += view.spanCount
        }
    }

    private func compactQueue() {
        if head > 1024 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }

}

/// Trace id → position, for grouping one payload's spans: open addressing over a table twice the
/// span count, hashed with ``TraceIDHash``.
struct TraceIndex {
    private var ids: [TraceID]
    private var positions: [Int32]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        ids = Array(repeating: .zero, count: size)
        positions = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// The position stored for `id`, or `next` after storing it there.
    mutating func position(of id: TraceID, next: Int) -> Int {
        var slot = Int(truncatingIfNeeded: TraceIDHash.hash(id)) & mask
        while true {
            let p = positions[slot]
            if p < 0 {
                ids[slot] = id
                positions[slot] = Int32(truncatingIfNeeded: next)
                return next
            }
            if ids[slot] == id { return Int(p) }
            slot = (slot + 1) & mask
        }
    }
}
