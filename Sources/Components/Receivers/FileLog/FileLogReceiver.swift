import Configuration
import Factories
import Foundation
import LogOps
import Logging
import OTelModel
import PipelineCore
import Prometheus
import Synchronization
import Telemetry

/// The `filelog` receiver: follows files matching `include`, cuts them into records and pushes them
/// into the logs pipelines.
///
/// A file's checkpoint moves only past records the pipeline accepted. While the pipeline refuses,
/// reading pauses (the file is the buffer) and the same records are offered again after a back-off.
final class FileLogReceiver: Component, Sendable {
    let config: FileLogConfig
    let context: ComponentContext
    let next: any Consumer<LogsData>
    let store: CheckpointStore?
    let operators: OperatorSequence
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(config: FileLogConfig, context: ComponentContext, next: any Consumer<LogsData>, store: CheckpointStore?, operators: OperatorSequence) {
        self.config = config
        self.context = context
        self.next = next
        self.store = store
        self.operators = operators
    }

    func start() async throws {
        var checkpoints: [CheckpointStore.Entry]?
        if let store {
            do {
                checkpoints = try store.load()
            } catch {
                // An unreadable checkpoint file must not stop the agent; files are then read as new.
                context.logger.error("cannot read checkpoints; files will be read as if new", metadata: ["file": "\(store.path)", "error": "\(error)"])
                checkpoints = []
            }
            if let checkpoints {
                context.logger.info("resuming from checkpoints", metadata: ["files": "\(checkpoints.count)"])
            }
        }
        let loop = TailLoop(receiver: self, checkpoints: checkpoints)
        task.withLock { $0 = Task { await loop.run() } }
    }

    func shutdown() async {
        guard let t = task.withLock({ $0 }) else { return }
        t.cancel()
        await t.value
    }
}

/// The receiver's loop: poll, read, push, checkpoint. Everything here runs in one task.
private struct TailLoop: Sendable {
    let receiver: FileLogReceiver
    let checkpoints: [CheckpointStore.Entry]?

    /// Bytes read from one file at a time (their records are pushed before more is read, which
    /// bounds memory), and per poll before the other files get their turn.
    static let readLimit = 256 << 10
    static let pollLimit = 8 << 20
    static let chunk = 256 << 10

    func run() async {
        let config = receiver.config
        let counters = FileLogCounters(telemetry: receiver.context.telemetry, id: receiver.context.id, operatorTypes: config.operators.map(\.type))
        let accepted = receiver.context.telemetry.receiver(receiver.context.id, transport: "file", signal: .logs)
        let tailer = FileTailer(config: config, checkpoints: checkpoints, counters: counters, logger: receiver.context.logger)
        var emitter = Emitter(receiver: receiver, counters: counters, accepted: accepted)
        var saved = checkpoints ?? []
        let clock = ContinuousClock()
        let origin = clock.now
        func ns(_ d: Duration) -> UInt64 { UInt64(max(0, d.components.seconds)) * 1_000_000_000 + UInt64(max(0, d.components.attoseconds) / 1_000_000_000) }
        func nanos() -> UInt64 { ns(clock.now - origin) }
        let flushAfter = ns(config.forceFlushPeriod)
        let quietBeforeClose = max(flushAfter, 1_000_000_000)

        while !Task.isCancelled {
            let now = nanos()
            var records: [RecordSplitter.Record] = []
            // A file with more to read than one poll's share makes the next poll come at once.
            var more = false
            for file in tailer.poll(now: now, wallClock: Date().timeIntervalSince1970) {
                var readThisPoll = 0
                while !Task.isCancelled {
                    guard let n = file.read(limit: Self.readLimit, chunk: Self.chunk, into: &records) else {
                        counters.event("read_error")
                        break
                    }
                    if n > 0 {
                        counters.bytesRead.increment(by: Int64(n))
                        file.lastData = now
                    } else if file.splitter.isHolding, now &- file.lastData >= flushAfter {
                        file.flush(into: &records)
                    }
                    emitter.add(records, from: file)
                    records.removeAll(keepingCapacity: true)
                    if emitter.count >= config.maxBatchSize { guard await emitter.send() else { return } }
                    readThisPoll += n
                    if n < Self.readLimit { break }
                    if readThisPoll >= Self.pollLimit {
                        more = true
                        break
                    }
                }
            }
            guard await emitter.send() else { return }
            tailer.closeFinished(now: nanos(), quiet: quietBeforeClose)
            if let store = receiver.store {
                let current = tailer.checkpoints()
                if current != saved {
                    do {
                        try store.save(current)
                        saved = current
                    } catch {
                        receiver.context.logger.error("cannot save checkpoints", metadata: ["file": "\(store.path)", "error": "\(error)"])
                    }
                }
            }
            if more { continue }
            do { try await Task.sleep(for: config.pollInterval) } catch { return }
        }
    }
}

/// Collects records into batches and pushes them; a batch's files are settled once it is accepted.
private struct Emitter {
    let receiver: FileLogReceiver
    let counters: FileLogCounters
    let accepted: ReceiverCounters
    /// Payloads of `max_batch_size` records ready to push, and the records of the next one by
    /// resource (the configured one, or what operators made of it).
    private var ready: [(data: LogsData, records: Int)] = []
    private var groups: [(resource: Attributes, records: [LogRecord])] = []
    private var groupCount = 0
    private(set) var count = 0
    /// Each file in the batch, with the offset its records reach.
    private var marks: [(TailedFile, Int64)] = []
    private let resource: Attributes

    init(receiver: FileLogReceiver, counters: FileLogCounters, accepted: ReceiverCounters) {
        self.receiver = receiver
        self.counters = counters
        self.accepted = accepted
        resource = Attributes(receiver.config.resource.map { KeyValue($0.0, $0.1) })
    }

    mutating func add(_ cut: [RecordSplitter.Record], from file: TailedFile) {
        let observed = UInt64(Date().timeIntervalSince1970 * 1e9)
        let encoding = receiver.config.encoding
        let operators = receiver.operators
        var truncated = 0
        var replaced = 0
        var droppedByOperators = 0
        for r in cut {
            var record = LogRecord()
            record.observedTimeUnixNano = observed
            let (body, repaired) = encoding.body(r.bytes)
            record.body = body
            record.attributes = file.attributes
            if r.truncated { truncated += 1 }
            if repaired { replaced += 1 }
            if operators.operators.isEmpty {
                append(Self.take(&record), resource: resource)
                continue
            }
            // The record moves into the entry and back (swapped, not copied).
            var entry = LogEntry(record: LogRecord(), resource: resource)
            swap(&entry.record, &record)
            guard operators.process(&entry, report: { error in counters.operatorError(error.operatorType, error: error.code.rawValue) }) else {
                droppedByOperators += 1
                continue
            }
            swap(&entry.record, &record)
            append(Self.take(&record), resource: entry.resource)
        }
        if truncated > 0 { counters.records(truncated, reason: "max_log_size") }
        if replaced > 0 { counters.records(replaced, reason: "invalid_utf8") }
        if droppedByOperators > 0 { accepted.refused(droppedByOperators, reason: "operator_dropped") }
        if let i = marks.firstIndex(where: { $0.0 === file }) {
            marks[i].1 = file.consumed
        } else {
            marks.append((file, file.consumed))
        }
    }

    /// Moves the record out, leaving an empty one: handing over a temporary is a move, where
    /// passing the variable would copy it (a retain of each of its parts).
    private static func take(_ record: inout LogRecord) -> LogRecord {
        var out = LogRecord()
        swap(&out, &record)
        return out
    }

    private mutating func append(_ record: consuming LogRecord, resource: Attributes) {
        count += 1
        groupCount += 1
        if let last = groups.indices.last, groups[last].resource == resource {
            groups[last].records.append(consume record)
        } else if let i = groups.firstIndex(where: { $0.resource == resource }) {
            groups[i].records.append(consume record)
        } else {
            groups.append((resource, [consume record]))
        }
        if groupCount == receiver.config.maxBatchSize { seal() }
    }

    /// Makes the records collected so far one payload.
    private mutating func seal() {
        guard groupCount > 0 else { return }
        let data = LogsData(resourceLogs: groups.map { g in
            ResourceLogs(resource: g.resource.isEmpty ? nil : Resource(attributes: g.resource), scopeLogs: [ScopeLogs(logRecords: g.records)])
        })
        ready.append((data, groupCount))
        groups.removeAll(keepingCapacity: true)
        groupCount = 0
    }

    /// Pushes what was collected, `max_batch_size` records at a time, each until it is taken
    /// (retrying while the pipeline refuses); false when the receiver is stopping first.
    mutating func send() async -> Bool {
        seal()
        while !ready.isEmpty {
            guard await push(ready[0]) else { return false }
            count -= ready[0].records
            ready.removeFirst()
        }
        for (file, offset) in marks { file.settled = max(file.settled, offset) }
        marks.removeAll(keepingCapacity: true)
        return true
    }

    /// Pushes one payload until it is taken; false when the receiver is stopping first.
    private func push(_ chunk: (data: LogsData, records: Int)) async -> Bool {
        var delay = receiver.config.retryInitialInterval
        while true {
            do {
                try await receiver.next.consume(chunk.data)
                accepted.accepted.increment(by: Int64(chunk.records))
                return true
            } catch let error as ConsumerError where error.isRetryable {
                accepted.refused(chunk.records, reason: error.refusalReason ?? "backpressure")
                let wait = min(error.retryAfter.map { max($0, delay) } ?? delay, receiver.config.retryMaxInterval)
                delay = min(delay * 2, receiver.config.retryMaxInterval)
                do { try await Task.sleep(for: wait) } catch { return false }
            } catch {
                // Never going to be taken: dropped, counted, and the files move on.
                accepted.refused(chunk.records, reason: "permanent_error")
                receiver.context.logger.error("the pipeline rejected records permanently", metadata: ["records": "\(chunk.records)", "error": "\(error)"])
                return true
            }
        }
    }
}
