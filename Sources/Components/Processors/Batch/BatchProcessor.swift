import Logging
import PipelineCore
import Prometheus
import Telemetry

/// Groups data into batches by size and time before handing it on.
///
/// By default `consume` returns as soon as the data is held here, so clients are not slowed by the
/// batching wait. Downstream errors are not hidden: a batch the next stage refuses is kept and retried
/// on the next tick, and while it is held new data is refused with a retryable error (backpressure
/// reaches the client). Data is never dropped for a refusal; a permanent error is counted and logged.
///
/// With `waitForDelivery` (set when the pipeline ends in a persistent queue) data is handed on at once
/// and `consume` returns the next stage's answer: a client is acknowledged only for data that is on
/// disk, and a crash cannot lose what sat in a batch. The persistent queue batches on its way out.
public actor BatchProcessor<D: SignalData, C: Clock>: Processor where C.Duration == Duration {
    public typealias Data = D

    let id: ComponentID
    let config: BatchConfig
    let next: any Consumer<D>
    let clock: C
    let counters: BatchCounters
    let logger: Logger
    let dropped: Counter
    let droppedAtShutdown: Counter

    private var pending = D()
    private var pendingItems = 0
    /// A batch the next stage refused; sent again before anything else.
    private var held: D?
    private var flushing = false
    private var ticker: Task<Void, Never>?
    private var stopped = false

    let waitForDelivery: Bool

    public init(id: ComponentID, config: BatchConfig, next: any Consumer<D>, clock: C, telemetry: SelfTelemetry, logger: Logger,
                waitForDelivery: Bool = false) {
        self.waitForDelivery = waitForDelivery
        self.id = id
        self.config = config
        self.next = next
        self.clock = clock
        self.logger = logger
        counters = telemetry.batchProcessor(id, signal: D.signal)
        dropped = telemetry.processorDropped(id, signal: D.signal, reason: "permanent_error")
        droppedAtShutdown = telemetry.processorDropped(id, signal: D.signal, reason: "shutdown")
    }

    /// Most items held here before new data is refused.
    private var capacity: Int {
        let unit = max(config.sendBatchMaxSize, config.sendBatchSize, 1)
        return unit * 2
    }

    public func start() async throws {
        ticker = Task { [clock, timeout = config.timeout] in
            while !Task.isCancelled {
                do {
                    try await clock.sleep(until: clock.now.advanced(by: timeout), tolerance: nil)
                } catch {
                    return
                }
                await self.tick()
            }
        }
    }

    public func consume(_ data: D) async throws {
        let n = data.itemCount
        guard n > 0 else { return }
        if stopped { throw ConsumerError.refused("processor \(id) is shutting down") }
        if waitForDelivery {
            try await next.consume(data)
            counters.sendSize.record(Double(n))
            return
        }
        // A request larger than the capacity is still taken when nothing is pending; it is split below.
        if held != nil || (pendingItems > 0 && pendingItems + n > capacity) {
            throw ConsumerError.refused("processor \(id): the next stage is refusing data")
        }
        pending.append(contentsOf: data)
        pendingItems += n
        if config.sendBatchSize > 0 && pendingItems >= config.sendBatchSize {
            await flush(trigger: .size)
        }
    }

    enum Trigger { case size, timeout, shutdown }

    func tick() async {
        await flush(trigger: .timeout)
    }

    /// Sends what is due: the held batch first, then full batches (or everything on timeout/shutdown).
    private func flush(trigger: Trigger) async {
        guard !flushing else { return }
        flushing = true
        defer { flushing = false }
        if let batch = held {
            held = nil
            guard await send(batch) else { return }
        }
        while pendingItems > 0 {
            if trigger == .size && pendingItems < config.sendBatchSize { return }
            let batch: D
            if config.sendBatchMaxSize > 0 && pendingItems > config.sendBatchMaxSize {
                batch = pending.removeFirst(items: config.sendBatchMaxSize)
                pendingItems -= batch.itemCount
            } else {
                batch = pending
                pending = D()
                pendingItems = 0
            }
            if trigger == .timeout { counters.timeoutTrigger.increment() } else { counters.sizeTrigger.increment() }
            guard await send(batch) else { return }
        }
    }

    /// Hands `batch` on; false (with the batch held) when the next stage refused it.
    private func send(_ batch: D) async -> Bool {
        switch await HandOn.send(batch, to: next, dropped: dropped, logger: logger) {
        case .taken:
            counters.sendSize.record(Double(batch.itemCount))
            return true
        case .refused:
            held = batch
            return false
        case .rejected:
            return true
        }
    }

    /// Stops the timer and sends everything held; a batch still refused is counted as dropped.
    public func shutdown() async {
        stopped = true
        ticker?.cancel()
        await flush(trigger: .shutdown)
        if let batch = held {
            held = nil
            if !(await send(batch)) { held = batch }
        }
        let left = (held?.itemCount ?? 0) + pendingItems
        if left > 0 {
            telemetryDrop(left)
        }

    }

    private func telemetryDrop(_ items: Int) {
        droppedAtShutdown.increment(by: Int64(items))
        logger.error("shut down with data the next stage refused; dropped", metadata: ["items": "\(items)"])
    }

    /// Items currently held (for tests and health).
    public var heldItems: Int { pendingItems + (held?.itemCount ?? 0) }
}
