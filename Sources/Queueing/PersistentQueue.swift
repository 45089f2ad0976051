import Configuration
import Logging
import NIOPosix
import OTelModel
import PipelineCore
import Prometheus
import Synchronization
import Telemetry

/// A sending queue kept in a ``WriteAheadLog``: what the receiver acknowledged survives a crash.
///
/// A record is the item count (4 bytes, little-endian) followed by the `Export*ServiceRequest`
/// protobuf. Records waiting together are concatenated into one request — a repeated field
/// concatenates — and sent without being decoded.
///
/// `persist` returns once the batch is written as the storage's fsync policy says; only then does the
/// receiver answer. Consumers read records in order, send them with retries, and acknowledge them
/// once the backend accepted them (or they failed for good, which is counted). At shutdown, whatever
/// is not delivered stays in the log for the next start — nothing undelivered is deleted.
public final class PersistentQueue<D: SignalData>: Component, HealthReporting {
    private struct State {
        /// Records in the log not yet taken by a consumer.
        var available = 0
        /// When a batch last left the queue (or the queue last got data while empty).
        var lastProgress = ContinuousClock.now
        var closed = false
        var waiters: [CheckedContinuation<Bool, Never>] = []
    }

    public let id: ComponentID
    let log: WriteAheadLog
    let numConsumers: Int
    let exporter: any Exporter<D>
    let counters: ExporterCounters
    let delivery: Delivery<D>
    let logger: Logger
    let drainTimeout: Duration
    private let state: Mutex<State>
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let syncTask = Mutex<Task<Void, Never>?>(nil)
    private let drained = DrainWait()
    private let telemetry: SelfTelemetry
    /// Refreshes the bytes-on-disk gauges before each render of `/metrics`, until shutdown removes it.
    private let scrapeHook: ScrapeHook

    /// Holding data without delivering any for this long is reported by ``healthProblem``.
    let stallTimeout: Duration

    /// With `block_on_overflow`, a full log refuses the whole request instead of dropping its copy.
    public let blocksOnOverflow: Bool

    /// Gives up on this exporter's copy of `data` (its siblings took theirs); counted in the ledger.
    public func drop(_ data: D, reason: String) {
        counters.dropped(data.itemCount, reason: reason)
    }

    public init(id: ComponentID, exporter: any Exporter<D>, log: WriteAheadLog, recovered: WriteAheadLog.RecoveryReport,
                numConsumers: Int, blockOnOverflow: Bool = false, retry: RetrySettings, telemetry: SelfTelemetry, logger: Logger,
                drainTimeout: Duration = .seconds(10), stallTimeout: Duration = .seconds(120)) {
        self.stallTimeout = stallTimeout
        self.id = id
        self.exporter = exporter
        self.log = log
        self.numConsumers = numConsumers
        self.blocksOnOverflow = blockOnOverflow
        self.logger = logger
        self.drainTimeout = drainTimeout
        counters = telemetry.exporter(id, signal: D.signal)
        delivery = Delivery(id: id, exporter: exporter, retry: retry, counters: counters, logger: logger)
        state = Mutex(State(available: recovered.records))
        counters.queueCapacity.set(Double(log.options.capacityBytes))
        if recovered.corruptRecords > 0 {
            // A corrupt record's item count cannot be trusted, so the ledger counts it as one.
            counters.dropped(recovered.corruptRecords, reason: "corrupt_record")
            telemetry.persistentQueueSkippedBytes(id, signal: D.signal, reason: "corrupt_record").increment(by: Int64(recovered.corruptBytes))
        }
        if recovered.truncatedBytes > 0 {
            telemetry.persistentQueueSkippedBytes(id, signal: D.signal, reason: "torn_tail").increment(by: Int64(recovered.truncatedBytes))
        }
        let persisted = telemetry.persistedBytes(id, signal: D.signal)
        let queueBytes = counters.queueBytes
        self.telemetry = telemetry
        scrapeHook = telemetry.addScrapeHook { [log] in
            persisted.set(Double(log.usedBytes))
            queueBytes.set(Double(log.usedBytes))
        }
        if recovered.records > 0 {
            logger.info("persistent queue recovered undelivered data", metadata: ["exporter": "\(id)", "records": "\(recovered.records)", "bytes": "\(recovered.bytes)"])
        }
    }

    /// Writes `data` to the log. Throws a retryable ``ConsumerError`` when the log is full.
    ///
    /// A batch whose encoding is larger than a record may be is written as several records.
    ///
    /// The write (and its fsync) runs on NIO's blocking-I/O thread pool, not on a Swift concurrency
    /// thread, so a slow disk never starves the tasks that serve other requests.
    public func persist(_ data: D) async throws {
        let count = WALFormat.littleEndian(UInt32(clamping: data.itemCount))
        let log = log
        do {
            try await NIOThreadPool.singleton.runIfActive {
                _ = try data.withProtobufBytes { try log.append(prefix: count, raw: $0, keeping: data.protobufSource) }
            }
        } catch is WriteAheadLog.RecordTooLarge {
            // Larger than one record may be: written in halves, each its own record. A single item
            // that large can never be written; it is dropped, counted.
            guard data.itemCount > 1 else {
                counters.dropped(data.itemCount, reason: "too_large")
                logger.error("an item is larger than a persistent queue record may be; dropped", metadata: ["exporter": "\(id)"])
                return
            }
            var rest = data
            let first = rest.removeFirst(items: data.itemCount / 2)
            try await persist(first)
            try await persist(rest)
            return
        } catch let full as WriteAheadLog.FullError {
            counters.enqueueFailed.increment(by: Int64(data.itemCount))
            throw ConsumerError.refused("persistent queue of exporter \(id) is full (\(full.capacity) bytes)")
        } catch {
            counters.enqueueFailed.increment(by: Int64(data.itemCount))
            logger.error("cannot write to the persistent queue", metadata: ["exporter": "\(id)", "error": "\(error)"])
            throw ConsumerError.refused("persistent queue of exporter \(id) cannot be written: \(error)")
        }
        signal(1)
    }

    private func signal(_ n: Int) {
        let pendingBefore = log.pendingRecords - n
        let waiters: [CheckedContinuation<Bool, Never>] = state.withLock { s in
            if pendingBefore <= 0 { s.lastProgress = .now }
            s.available += n
            let k = min(s.available, s.waiters.count)
            let woken = Array(s.waiters.prefix(k))
            s.waiters.removeFirst(k)
            s.available -= k
            return woken
        }
        for w in waiters { w.resume(returning: true) }
        counters.queueSize.set(Double(log.usedBytes))
    }

    /// Waits until a record is available (true) or the queue is closed (false).
    private func waitForRecord() async -> Bool {
        await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let ready: Bool? = state.withLock { s in
                if s.closed { return false }
                if s.available > 0 {
                    s.available -= 1
                    return true
                }
                s.waiters.append(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }

    public func start() async throws {
        try await exporter.start()
        let consumers = (0..<numConsumers).map { _ in Task { [self] in await consume() } }
        tasks.withLock { $0 = consumers }
        if case .interval(let interval) = log.options.fsync {
            let log = log
            syncTask.withLock {
                $0 = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        try? log.sync()
                    }
                }
            }
        }
    }

    /// Records merged into one export, while more are waiting, up to this many items.
    static var mergeItems: Int { 8192 }

    /// Takes a waiting record without blocking; false when none is waiting.
    private func takeWaiting() -> Bool {
        state.withLock { s in
            guard s.available > 0 else { return false }
            s.available -= 1
            return true
        }
    }

    /// Reads the next record: its id, item count and request bytes; nil when it is unreadable (counted,
    /// and acknowledged so it is not read again).
    private func readNext() -> (id: WriteAheadLog.RecordID, items: Int, request: UnsafeRawBufferPointer, storage: ByteStorage)? {
        let record: WriteAheadLog.Record
        do {
            guard let r = try log.next(prefixLength: 4) else { return nil }
            record = r
        } catch {
            // Counted and acknowledged, so the cursor moves past it and it is not read again.
            counters.dropped(1, reason: "corrupt_record")
            logger.error("persistent queue record cannot be read back; skipped", metadata: ["exporter": "\(id)", "error": "\(error)"])
            try? log.acknowledge(error.id)
            return nil
        }
        guard record.prefix.count == 4 else {
            counters.dropped(1, reason: "corrupt_record")
            logger.error("persistent queue record is too short; skipped", metadata: ["exporter": "\(id)", "record": "\(record.id)"])
            try? log.acknowledge(record.id)
            return nil
        }
        let items = record.prefix.withUnsafeBytes { Int(WALFormat.readUInt32($0, 0)) }
        return (record.id, items, record.storage.buffer, record.storage)
    }

    private func consume() async {
        while await waitForRecord() {
            // Concatenate what is already waiting into one request: batching without adding latency.
            var records: [(id: WriteAheadLog.RecordID, items: Int, request: UnsafeRawBufferPointer, storage: ByteStorage)] = []
            var items = 0
            if let r = readNext() {
                records.append(r)
                items += r.items
            }
            while items < Self.mergeItems, takeWaiting() {
                if let r = readNext() {
                    records.append(r)
                    items += r.items
                }
            }
            guard !records.isEmpty else {
                drained.signal(isEmpty: log.pendingRecords == 0)
                continue
            }
            let ids = records.map(\.id)
            let request: ByteStorage
            if records.count == 1 {
                request = records[0].storage
            } else {
                let total = records.reduce(0) { $0 + $1.request.count }
                let p = UnsafeMutableRawPointer.allocate(byteCount: max(total, 1), alignment: 16)
                var at = 0
                for r in records where r.request.count > 0 {
                    (p + at).copyMemory(from: r.request.baseAddress!, byteCount: r.request.count)
                    at += r.request.count
                }
                request = ByteStorage(adopting: p, count: total)
            }
            records.removeAll()
            do {
                try await delivery.send(encoded: request, items: items)
                for id in ids { try? log.acknowledge(id) }
            } catch is Delivery<D>.Cancelled {
                // Shutting down: the records stay in the log for the next start.
                for id in ids { log.release(id) }
                return
            } catch {
                // Permanently failed (a malformed record included); Delivery counted it. Not sent again.
                for id in ids { try? log.acknowledge(id) }
            }
            state.withLock { $0.lastProgress = .now }
            counters.queueSize.set(Double(log.usedBytes))
            drained.signal(isEmpty: log.pendingRecords == 0)
        }
    }

    public var healthProblem: String? {
        let stalled = ContinuousClock.now - state.withLock { $0.lastProgress }
        let pending = log.pendingRecords
        if pending > 0 && stalled > stallTimeout {
            return "exporter \(id) (\(D.signal.rawValue)): nothing delivered for \(Int(stalled.seconds)) s with \(pending) batches on disk"
        }
        return log.usedBytes >= log.options.capacityBytes - (log.options.segmentSize / 8)
            ? "exporter \(id) (\(D.signal.rawValue)): persistent queue full (\(log.usedBytes)/\(log.options.capacityBytes) bytes)"
            : nil
    }

    /// Tries to deliver what is queued until the drain timeout, then leaves the rest in the log.
    public func shutdown() async {
        let log = log
        await drained.wait(timeout: drainTimeout) { log.pendingRecords == 0 }
        let waiters = state.withLock { s in
            s.closed = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(returning: false) }
        let running = tasks.withLock { $0 }
        for t in running { t.cancel() }
        for t in running { await t.value }
        syncTask.withLock { $0?.cancel() }
        let left = log.pendingRecords
        if left > 0 {
            logger.info("persistent queue keeps undelivered data for the next start", metadata: ["exporter": "\(id)", "records": "\(left)"])
        }
        telemetry.removeScrapeHook(scrapeHook)
        log.close()
        await exporter.shutdown()
    }
}
