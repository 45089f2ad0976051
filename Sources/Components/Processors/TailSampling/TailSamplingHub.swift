import Logging
import OTelModel
import PipelineCore
import Prometheus
import Synchronization
import TailSampling
import Telemetry

/// One tail sampler, shared by the traces pipeline and the logs pipelines that list its id.
///
/// Spans wait in the sampler until their trace is decided; log records with a trace id wait in the
/// hold until then too, and follow the decision. A ticker decides what is due. What the next stage
/// refuses is kept and offered again, and while anything is kept new data is refused with a
/// retryable error, so backpressure reaches the senders and nothing is dropped for a refusal.
actor TailSamplingHub {
    struct Next: Sendable {
        var traces: (any Consumer<TracesData>)?
        var logs: (any Consumer<LogsData>)?
        /// The graph (its shared-state store) whose pipeline each side sends to.
        var tracesGraph: UInt64?
        var logsGraph: UInt64?
        /// Pipelines of a newer graph (a reload that kept this sampler), until it takes over.
        var waiting: [UInt64: (traces: (any Consumer<TracesData>)?, logs: (any Consumer<LogsData>)?)] = [:]
    }

    let id: ComponentID
    let config: TailSamplingConfig
    let counters: TailSamplingCounters
    let logger: Logger
    let droppedAtShutdown: (traces: Counter, logs: Counter)
    let droppedPermanently: (traces: Counter, logs: Counter)
    nonisolated let next = Mutex(Next())
    private let sampler: TailSampler
    private let hold: LogHold
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    private var stopped = (traces: false, logs: false)
    /// The next stage of a signal refused the last thing offered to it.
    private var refusing = (traces: false, logs: false)
    private var ticker: Task<Void, Never>?
    /// What the next stages refused, offered again before anything else.
    private var outTraces: [ResourceSpans] = []
    private var outLogs: [ResourceLogs] = []
    private var flushing = false
    /// Callers waiting for the flush in progress to end.
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []

    init(id: ComponentID, config: TailSamplingConfig, telemetry: SelfTelemetry, logger: Logger) throws {
        self.id = id
        self.config = config
        self.logger = logger
        counters = TailSamplingCounters(telemetry: telemetry, id: id, policies: config.sampler.policies.map(\.name))
        droppedAtShutdown = (telemetry.processorDropped(id, signal: .traces, reason: "shutdown"), telemetry.processorDropped(id, signal: .logs, reason: "shutdown"))
        droppedPermanently = (
            telemetry.processorDropped(id, signal: .traces, reason: "permanent_error"), telemetry.processorDropped(id, signal: .logs, reason: "permanent_error"))
        sampler = try TailSampler(config.sampler)
        hold = LogHold(config.logs)
        origin = clock.now
    }

    /// Connects the next stage of a pipeline of the graph whose shared-state store is `graph`; one
    /// traces and one logs pipeline per sampler in a graph. The first graph's pipelines are
    /// connected at once; those of a newer graph (a reload that kept this sampler) wait for
    /// ``takeOver(graph:)``.
    nonisolated func attach<D: SignalData>(_ consumer: any Consumer<D>, graph: UInt64) throws {
        try next.withLock { next in
            if let t = consumer as? any Consumer<TracesData> {
                guard next.tracesGraph != graph, next.waiting[graph]?.traces == nil else {
                    throw ConsumerError.permanent("\(id) is listed in more than one traces pipeline; give each pipeline its own tail_sampling id")
                }
                if next.tracesGraph == nil {
                    next.traces = t
                    next.tracesGraph = graph
                } else {
                    next.waiting[graph, default: (nil, nil)].traces = t
                }
            } else if let l = consumer as? any Consumer<LogsData> {
                guard next.logsGraph != graph, next.waiting[graph]?.logs == nil else {
                    throw ConsumerError.permanent("\(id) is listed in more than one logs pipeline; give each pipeline its own tail_sampling id")
                }
                if next.logsGraph == nil {
                    next.logs = l
                    next.logsGraph = graph
                } else {
                    next.waiting[graph, default: (nil, nil)].logs = l
                }
            } else {
                throw ConsumerError.permanent("tail_sampling works on traces and logs")
            }
        }
    }

    /// Sends what this sampler decides to the pipelines `graph` attached, from now on. Pipelines of
    /// older graphs still waiting (their reload failed) are forgotten.
    nonisolated func takeOver(graph: UInt64) {
        next.withLock { next in
            let waiting = next.waiting[graph]
            next.waiting = next.waiting.filter { $0.key > graph }
            guard let waiting else { return }
            if let t = waiting.traces {
                next.traces = t
                next.tracesGraph = graph
            }
            if let l = waiting.logs {
                next.logs = l
                next.logsGraph = graph
            }
        }
    }

    private var now: UInt64 {
        let d = origin.duration(to: clock.now)
        return UInt64(max(0, d.nanoseconds))
    }

    // MARK: Lifecycle

    /// Starts (or, for a pipeline that lists this sampler again after a reload removed it, restarts)
    /// one side, and the ticker.
    func start(_ signal: Signal) {
        if signal == .traces { stopped.traces = false } else { stopped.logs = false }
        guard ticker == nil else { return }
        let wait = config.sampler.decisionWait
        let interval = Duration.nanoseconds(Int64(min(max(wait / 20, 5_000_000), 100_000_000)))
        ticker = Task { [clock] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: interval) } catch { return }
                await self.tick()
            }
        }
    }

    /// Stops one side. The traces side decides every pending trace on what has arrived and hands
    /// the kept ones on while the stages after it still run (a pipeline stops in order); the
    /// records waiting for those traces follow. The logs side releases the records still held.
    /// When both sides are stopped, whatever the next stages still refuse is counted as dropped.
    /// A pipeline of `graph` that no longer owns its side (a newer graph took the sampler over, or
    /// never did because its reload failed) stops nothing: the sampler goes on with what it holds.
    func stop(_ signal: Signal, graph: UInt64) async {
        let owner = next.withLock { next in
            next.waiting[graph] = nil
            return signal == .traces ? next.tracesGraph : next.logsGraph
        }
        guard owner == graph else { return }
        let attached = next.withLock { (traces: $0.traces != nil, logs: $0.logs != nil) }
        if signal == .traces {
            guard !stopped.traces else { return }
            stopped.traces = true
            if config.dropPendingOnShutdown {
                // As configured: what waits for a decision is dropped, and counted.
                let pending = sampler.decideAll(now: now)
                droppedAtShutdown.traces.increment(by: Int64(pending.keptSpans + pending.droppedSpans))
                take(hold.apply(pending.decided.map { ($0.0, false) }))
            } else {
                let out = sampler.decideAll(now: now)
                record(out)
                take(hold.apply(out.decided))
                outTraces += out.forward
            }
        } else {
            guard !stopped.logs else { return }
            stopped.logs = true
            take(hold.releaseAll(state: state))
        }
        let done = (stopped.traces || !attached.traces) && (stopped.logs || !attached.logs)
        if done, let t = ticker {
            ticker = nil
            t.cancel()
            await t.value
        }
        await flushWhenIdle()
        gauges()
        guard done else { return }
        let leftSpans = outTraces.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } }
        let leftLogs = outLogs.reduce(0) { $0 + $1.scopeLogs.reduce(0) { $0 + $1.logRecords.count } }
        if leftSpans > 0 { droppedAtShutdown.traces.increment(by: Int64(leftSpans)) }
        if leftLogs > 0 { droppedAtShutdown.logs.increment(by: Int64(leftLogs)) }
        if leftSpans + leftLogs > 0 {
            logger.error("shut down with data the next stage refused; dropped", metadata: ["spans": "\(leftSpans)", "log_records": "\(leftLogs)"])
        }
        outTraces = []
        outLogs = []
    }

    /// Waits for a flush in progress (another caller's), then flushes what is left.
    private func flushWhenIdle() async {
        while flushing { await withCheckedContinuation { flushWaiters.append($0) } }
        await flush()
    }

    // MARK: Data

    func consume(_ data: TracesData) async throws {
        try admit(.traces)
        let out = sampler.add(data, now: now)
        record(out)
        take(hold.apply(out.decided))
        outTraces += out.forward
        gauges()
        await flush()
    }

    func consume(_ data: LogsData) async throws {
        try admit(.logs)
        take(hold.add(data, now: now, state: state))
        gauges()
        await flush()
    }

    func tick() async {
        let t = now
        let out = sampler.decideDue(now: t)
        record(out)
        take(hold.apply(out.decided))
        take(hold.releaseDue(now: t, state: state))
        outTraces += out.forward
        gauges()
        await flush()
    }

    /// Refuses new data of a signal once its side stopped, or while its next stage is refusing.
    private func admit(_ signal: Signal) throws {
        let (isStopped, isRefusing) = signal == .traces ? (stopped.traces, refusing.traces) : (stopped.logs, refusing.logs)
        if isStopped { throw ConsumerError.refused("processor \(id) is shutting down") }
        if isRefusing { throw ConsumerError.refused("processor \(id): the next stage is refusing data") }
    }

    private func state(_ id: TraceID) -> TraceState {
        if sampler.isPending(id) { return .pending }
        switch sampler.decision(for: id) {
        case true?: return .kept
        case false?: return .dropped
        case nil: return .unknown
        }
    }

    /// Hands on what is waiting; what is refused stays for the next try.
    private func flush() async {
        guard !flushing else { return }
        flushing = true
        defer {
            flushing = false
            let waiting = flushWaiters
            flushWaiters = []
            for w in waiting { w.resume() }
        }
        let (tracesNext, logsNext) = next.withLock { ($0.traces, $0.logs) }
        while !outTraces.isEmpty {
            let batch = outTraces
            outTraces = []
            guard let tracesNext else { break }
            let taken = await send(TracesData(resourceSpans: batch), to: tracesNext, dropped: droppedPermanently.traces)
            refusing.traces = !taken
            if !taken {
                outTraces = batch + outTraces
                break
            }
        }
        while !outLogs.isEmpty {
            let batch = outLogs
            outLogs = []
            guard let logsNext else {
                // No logs pipeline lists this sampler (cannot happen for held records; kept safe).
                break
            }
            let taken = await send(LogsData(resourceLogs: batch), to: logsNext, dropped: droppedPermanently.logs)
            refusing.logs = !taken
            if !taken {
                outLogs = batch + outLogs
                break
            }
        }
    }

    /// Hands `data` on; false when the next stage refused it (retryable), true when it took it or
    /// rejected it for good (counted as dropped).
    private func send<D: SignalData>(_ data: D, to consumer: any Consumer<D>, dropped: Counter) async -> Bool {
        await HandOn.send(data, to: consumer, dropped: dropped, logger: logger) != .refused
    }

    // MARK: Metrics

    private func record(_ out: TailSampler.Outcome) {
        if out.newTraces > 0 { counters.newTraces.increment(by: Int64(out.newTraces)) }
        for (policy, t) in out.policies {
            if t.sampledTraces > 0 { counters.policy(policy, sampled: true, traces: t.sampledTraces, spans: t.sampledSpans) }
            if t.notSampledTraces > 0 { counters.policy(policy, sampled: false, traces: t.notSampledTraces, spans: t.notSampledSpans) }
        }
        if out.keptTraces > 0 { counters.decided(sampled: true, traces: out.keptTraces, spans: out.keptSpans) }
        if out.droppedTraces > 0 { counters.decided(sampled: false, traces: out.droppedTraces, spans: out.droppedSpans) }
        for (reason, n) in out.early { counters.early(n, reason: reason) }
        if out.lateKeptSpans > 0 { counters.lateSpans(out.lateKeptSpans, sampled: true) }
        if out.lateDroppedSpans > 0 { counters.lateSpans(out.lateDroppedSpans, sampled: false) }
        for l in out.decisionLatencies { counters.decisionLatency.record(Double(l) / 1e9) }
    }

    /// Counts what the hold did and queues the records it let through.
    private func take(_ out: LogHold.Outcome) {
        let outcomes = [
            ("kept", out.kept), ("dropped", out.dropped), ("no_trace_id", out.untraced),
            ("unknown_trace_kept", out.unknownKept), ("unknown_trace_dropped", out.unknownDropped), ("released_early", out.early),
        ]
        for (name, n) in outcomes where n > 0 { counters.logRecords(n, outcome: name) }
        outLogs += out.forward
    }

    private func gauges() {
        counters.tracesInMemory.set(Double(sampler.pendingTraces))
        counters.bytesInMemory.set(Double(sampler.bytes))
        counters.logRecordsHeld.set(Double(hold.records))
    }
}
