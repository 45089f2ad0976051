import OTelModel

/// What a tail sampler knows about a trace.
public enum TraceState: Sendable, Equatable {
    case kept
    case dropped
    /// Spans are waiting for the decision.
    case pending
    /// No span of it has been seen (or its decision is forgotten).
    case unknown
}

/// Log records that carry a trace id, held until their trace is decided, then kept or dropped with
/// it. Records without a trace id pass at once.
///
/// Records of a trace no span was seen for are held for the decision wait; if the trace is still
/// unknown then, `keepUnknown` decides. A byte budget bounds what is held: when it is full the oldest
/// records are released early, kept unless their trace was already dropped. Not thread-safe; time
/// is passed in (ns).
public final class LogHold {
    public struct Settings: Sendable, Equatable {
        public var wait: UInt64
        public var maxBytes: Int
        public var keepUnknown: Bool

        public init(wait: UInt64, maxBytes: Int = 64 << 20, keepUnknown: Bool = true) {
            self.wait = wait
            self.maxBytes = maxBytes
            self.keepUnknown = keepUnknown
        }
    }

    /// Records passed on or dropped by a call, by why.
    public struct Outcome: Sendable {
        public var forward: [ResourceLogs] = []
        /// Kept or dropped with their trace.
        public var kept = 0
        public var dropped = 0
        /// Without a trace id.
        public var untraced = 0
        /// Their trace was never seen.
        public var unknownKept = 0
        public var unknownDropped = 0
        /// Released before a decision because the budget was full.
        public var early = 0
    }

    private final class Group {
        var parts: [ResourceLogs] = []
        var records = 0
        var bytes = 0
    }

    public let settings: Settings
    private var held: [TraceID: Group] = [:]
    private var queue: [(id: TraceID, due: UInt64)] = []
    private var head = 0
    public private(set) var bytes = 0
    public private(set) var records = 0

    public init(_ settings: Settings) { self.settings = settings }

    /// Takes in records; `state` tells what the sampler knows of a trace.
    public func add(_ data: LogsData, now: UInt64, state: (TraceID) -> TraceState) -> Outcome {
        var out = Outcome()
        for (id, part) in TraceSplitter.split(data) {
            let n = part.scopeLogs.reduce(0) { $0 + $1.logRecords.count }
            if id.isZero {
                out.untraced += n
                out.forward.append(part)
                continue
            }
            if let group = held[id] {
                hold(part, n, in: group)
                continue
            }
            switch state(id) {
            case .kept:
                out.kept += n
                out.forward.append(part)
            case .dropped:
                out.dropped += n
            case .pending, .unknown:
                let group = Group()
                held[id] = group
                queue.append((id, now &+ settings.wait))
                hold(part, n, in: group)
            }
        }
        while bytes > settings.maxBytes, let (id, group) = popOldest() {
            out.early += group.records
            if state(id) == .dropped {
                out.dropped += group.records
            } else {
                out.forward.append(contentsOf: group.parts)
            }
        }
        compact()
        return out
    }

    /// Releases the records of traces just decided.
    public func apply(_ decided: [(TraceID, Bool)]) -> Outcome {
        var out = Outcome()
        for (id, keep) in decided {
            guard let group = remove(id) else { continue }
            if keep {
                out.kept += group.records
                out.forward.append(contentsOf: group.parts)
            } else {
                out.dropped += group.records
            }
        }
        return out
    }

    /// Releases records whose wait is over and whose trace is not waiting for its decision.
    public func releaseDue(now: UInt64, state: (TraceID) -> TraceState) -> Outcome {
        var out = Outcome()
        while head < queue.count, queue[head].due <= now {
            let id = queue[head].id
            head += 1
            guard held[id] != nil else { continue }
            let s = state(id)
            if s == .pending {
                queue.append((id, now &+ settings.wait))
                continue
            }
            release(id, s, into: &out)
        }
        compact()
        return out
    }

    /// Releases everything (at shutdown): records of undecided traces are kept.
    public func releaseAll(state: (TraceID) -> TraceState) -> Outcome {
        var out = Outcome()
        for id in Array(held.keys) {
            let s = state(id)
            release(id, s == .pending ? .kept : s, into: &out)
        }
        queue.removeAll()
        head = 0
        return out
    }

    // MARK: Internals

    private func hold(_ part: ResourceLogs, _ n: Int, in group: Group) {
        var size = MemoryLayout<ResourceLogs>.stride
        for scope in part.scopeLogs { for r in scope.logRecords { size += Self.bytes(of: r) } }
        group.parts.append(part)
        group.records += n
        group.bytes += size
        bytes += size
        records += n
    }

    private func release(_ id: TraceID, _ state: TraceState, into out: inout Outcome) {
        guard let group = remove(id) else { return }
        switch state {
        case .kept:
            out.kept += group.records
            out.forward.append(contentsOf: group.parts)
        case .dropped:
            out.dropped += group.records
        case .unknown, .pending:
            if settings.keepUnknown {
                out.unknownKept += group.records
                out.forward.append(contentsOf: group.parts)
            } else {
                out.unknownDropped += group.records
            }
        }
    }

    private func remove(_ id: TraceID) -> Group? {
        guard let group = held.removeValue(forKey: id) else { return nil }
        bytes -= group.bytes
        records -= group.records
        return group
    }

    private func popOldest() -> (TraceID, Group)? {
        while head < queue.count {
            let id = queue[head].id
            head += 1
            if let group = remove(id) { return (id, group) }
        }
        return nil
    }

    private func compact() {
        if head > 1024 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }

    static func bytes(of record: LogRecord) -> Int {
        var n = MemoryLayout<LogRecord>.stride + record.severityText.count + record.attributes.estimatedBytes + record.eventName.count
        n += record.body.estimatedBytes
        return n
    }
}
