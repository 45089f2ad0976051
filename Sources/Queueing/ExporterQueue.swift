import Configuration
import Logging
import OTelModel
import PipelineCore
import Prometheus
import Synchronization
import Telemetry

/// The bounded sending queue in front of one exporter, with its consumers and retries.
///
/// `consume` only enqueues, so a slow backend never holds up the pipeline that feeds it or its sibling
/// exporters. A full queue refuses with a retryable ``ConsumerError`` that receivers turn into
/// 429 / `UNAVAILABLE`. Room can be reserved first and filled later, so that a fan-out decides for
/// all its queues before it enqueues anywhere (see ``FanOut``).
public final class ExporterQueue<D: SignalData>: Consumer, Component, HealthReporting {
    public typealias Data = D

    private struct State {
        /// Queued data from `head` on; slots before `head` are nil so sent data is freed at once.
        var items: [(data: D, size: Int, at: ContinuousClock.Instant)?] = []
        /// When data last left the queue (or the queue last went from empty to holding data).
        var lastProgress = ContinuousClock.now
        var head = 0
        var used = 0
        var closed = false
        var waiters: [CheckedContinuation<(data: D, size: Int)?, Never>] = []
    }

    public let id: ComponentID
    let exporter: any Exporter<D>
    let settings: QueueSettings
    let counters: ExporterCounters
    let delivery: Delivery<D>
    let logger: Logger
    /// How long shutdown waits for the queue to empty before giving up on what is left.
    let drainTimeout: Duration
    private let state = Mutex(State())
    private let workers = Mutex<[Task<Void, Never>]>([])
    /// Wakes shutdown when the last queued data has left.
    private let drained = DrainWait()
    private let telemetry: SelfTelemetry
    /// Refreshes the queue's gauges before each render of `/metrics`, until shutdown removes it.
    private let scrapeHook = Mutex<ScrapeHook?>(nil)

    /// Holding data without delivering any for this long is reported by ``healthProblem``.
    let stallTimeout: Duration

    public init(id: ComponentID, exporter: any Exporter<D>, settings: QueueSettings, retry: RetrySettings,
                telemetry: SelfTelemetry, logger: Logger, drainTimeout: Duration = .seconds(10), stallTimeout: Duration = .seconds(120)) {
        self.stallTimeout = stallTimeout
        self.id = id
        self.exporter = exporter
        self.settings = settings
        self.logger = logger
        self.drainTimeout = drainTimeout
        counters = telemetry.exporter(id, signal: D.signal)
        delivery = Delivery(id: id, exporter: exporter, retry: retry, counters: counters, logger: logger)
        self.telemetry = telemetry
        scrapeHook.withLock { $0 = telemetry.addScrapeHook { [weak self] in self?.refreshGauges() } }
        counters.queueCapacity.set(Double(settings.queueSize))
    }

    private func size(of data: D) -> Int {
        switch settings.sizer {
        case .requests: 1
        case .items: data.itemCount
        case .bytes: data.protobufBytes().count
        }
    }

    /// Reserves room for `data`; false when the queue cannot take it now.
    public func reserve(_ data: D) -> Bool {
        guard settings.enabled else { return true }
        let n = size(of: data)
        return state.withLock { s in
            guard !s.closed, s.used + n <= settings.queueSize || (s.used == 0 && n > settings.queueSize) else { return false }
            if s.used == 0 { s.lastProgress = .now }
            s.used += n
            return true
        }
    }

    /// Gives back a reservation that will not be filled.
    public func cancelReservation(_ data: D) {
        guard settings.enabled else { return }
        let n = size(of: data)
        state.withLock { $0.used -= n }
    }

    /// Whether data is queued (true) or sent in the caller's task (`sending_queue.enabled: false`).
    public var isQueued: Bool { settings.enabled }

    /// Enqueues data whose room was reserved. Never fails: the room is already ours.
    public func enqueue(_ data: D) {
        let n = size(of: data)
        let (waiter, used): (CheckedContinuation<(data: D, size: Int)?, Never>?, Int) = state.withLock { s in
            if !s.waiters.isEmpty {
                return (s.waiters.removeFirst(), s.used)
            }
            s.items.append((data, n, .now))
            return (nil, s.used)
        }
        waiter?.resume(returning: (data, n))
        counters.queueSize.set(Double(used))
    }

    /// Sends in the caller's task, with retries; for exporters whose queue is disabled.
    public func sendNow(_ data: D) async throws {
        try await send(data)
    }

    /// A full queue is unhealthy: the backend is not keeping up and senders are being refused.
    public var healthProblem: String? {
        guard settings.enabled else { return nil }
        let (used, lastProgress) = state.withLock { ($0.used, $0.lastProgress) }
        let stalled = ContinuousClock.now - lastProgress
        if used > 0 && stalled > stallTimeout {
            return "exporter \(id) (\(D.signal.rawValue)): nothing delivered for \(Int(stalled.seconds)) s with \(used) \(settings.sizer.rawValue) waiting"
        }
        guard used >= settings.queueSize else { return nil }
        return "exporter \(id) (\(D.signal.rawValue)): sending queue full (\(used)/\(settings.queueSize) \(settings.sizer.rawValue))"
    }

    /// Refreshes the gauges that are computed on demand, at scrape time: the queued data is
    /// measured then (its encoded size costs one encoding), not on every request.
    func refreshGauges() {
        let (oldest, queued) = state.withLock { s -> (ContinuousClock.Instant?, [(data: D, size: Int, at: ContinuousClock.Instant)?]) in
            (s.head < s.items.count ? s.items[s.head]?.at : nil, Array(s.items[s.head...]))
        }
        counters.oldestItemAge.set(oldest.map { (ContinuousClock.now - $0).seconds } ?? 0)
        var items = 0
        var bytes = 0
        for case let q? in queued {
            items += q.data.itemCount
            bytes += settings.sizer == .bytes ? q.size : q.data.protobufBytes().count
        }
        counters.queueItems.set(Double(items))
        counters.queueBytes.set(Double(bytes))
    }

    /// With `block_on_overflow`, a full queue refuses the whole request instead of dropping its copy.
    public var blocksOnOverflow: Bool { settings.blockOnOverflow }

    /// Gives up on this exporter's copy of `data` (its siblings took theirs); counted in the ledger.
    public func drop(_ data: D, reason: String) {
        counters.enqueueFailed.increment(by: Int64(data.itemCount))
        counters.dropped(data.itemCount, reason: reason)
    }

    /// Counts data refused because the queue was full.
    public func countRefused(_ data: D) {
        counters.enqueueFailed.increment(by: Int64(data.itemCount))
    }

    public func consume(_ data: D) async throws {
        guard isQueued else {
            try await sendNow(data)
            return
        }
        guard reserve(data) else {
            countRefused(data)
            throw ConsumerError.refused("sending queue of exporter \(id) is full")
        }
        enqueue(data)
    }

    public func start() async throws {
        try await exporter.start()
        guard settings.enabled else { return }
        let tasks = (0..<settings.numConsumers).map { _ in
            Task { [self] in
                while let (data, n) = await next() {
                    do {
                        try await send(data)
                    } catch is Delivery<D>.Cancelled {
                        // Shut down while retrying: a memory queue has nowhere to keep it.
                        counters.sendFailed.increment(by: Int64(data.itemCount))
                        counters.dropped(data.itemCount, reason: "shutdown")
                    } catch {
                        // Delivery counted and logged the failure.
                    }
                    finished(size: n)
                }
            }
        }
        workers.withLock { $0 = tasks }
    }

    private func next() async -> (data: D, size: Int)? {
        await withCheckedContinuation { (c: CheckedContinuation<(data: D, size: Int)?, Never>) in
            let item: (data: D, size: Int)?? = state.withLock { s in
                if s.head < s.items.count, let queued = s.items[s.head] {
                    let item = (data: queued.data, size: queued.size)
                    s.items[s.head] = nil
                    s.head += 1
                    if s.head == s.items.count {
                        s.items.removeAll(keepingCapacity: true)
                        s.head = 0
                    } else if s.head > 64 && s.head * 2 > s.items.count {
                        s.items.removeFirst(s.head)
                        s.head = 0
                    }
                    return .some(item)
                }
                if s.closed { return .some(nil) }
                s.waiters.append(c)
                return nil
            }
            if let item { c.resume(returning: item) }
        }
    }

    private func finished(size n: Int) {
        let used = state.withLock { s in
            s.used -= n
            s.lastProgress = .now
            return s.used
        }
        counters.queueSize.set(Double(used))
        drained.signal(isEmpty: used == 0)
    }

    /// Sends with retries as configured; counts the outcome.
    public func send(_ data: D) async throws {
        try await delivery.send(data)
    }

    /// Stops intake, waits up to the drain timeout for queued data to be sent, then stops the exporter.
    public func shutdown() async {
        defer { scrapeHook.withLock { $0.map(telemetry.removeScrapeHook) } }
        let empty = state.withLock { s -> Bool in
            s.closed = true
            return s.used == 0
        }
        if !empty {
            await drained.wait(timeout: drainTimeout) { [self] in state.withLock { $0.used == 0 } }
        }
        let (waiters, left): ([CheckedContinuation<(data: D, size: Int)?, Never>], Int) = state.withLock { s in
            let w = s.waiters
            s.waiters = []
            let left = s.items[s.head...].reduce(0) { $0 + ($1?.data.itemCount ?? 0) }
            s.items = []
            s.head = 0
            return (w, left)
        }
        for w in waiters { w.resume(returning: nil) }
        let tasks = workers.withLock { $0 }
        for t in tasks { t.cancel() }
        for t in tasks { await t.value }
        if left > 0 {
            counters.sendFailed.increment(by: Int64(left))
            counters.dropped(left, reason: "shutdown")
            logger.error("shutdown deadline passed with data still queued; it is dropped", metadata: ["exporter": "\(id)", "items": "\(left)"])
        }
        await exporter.shutdown()
    }
}
