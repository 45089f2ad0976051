import Logging
import PipelineCore
import Prometheus
import Synchronization
import Telemetry

/// Measures the agent's memory every `checkInterval` and decides whether data is refused; one per
/// `memory_limiter` id, shared by every pipeline that lists it.
///
/// At or above the soft limit data is refused until a later check finds usage below it again. On the
/// way into refusing, and at every check at or above the hard limit, free heap memory is handed back
/// to the system (at most once per `min_gc_interval_when_*`) and usage measured again, as the
/// Collector forces a garbage collection. The processors read one atomic flag per payload.
final class MemoryLimiter<C: Clock<Duration>>: Sendable {
    let id: ComponentID
    let limits: MemoryLimits
    let config: MemoryLimiterConfig
    let source: any MemorySource
    let clock: C
    let metrics: MemoryLimiterMetrics
    let logger: Logger
    /// What a refused sender is told; the earliest a retry can succeed is after the next check.
    let refusal: ConsumerError

    private let refusingFlag = Atomic<Bool>(false)

    private struct State {
        var users = 0
        var checker: Task<Void, Never>?
        var lastTrim: C.Instant?
        /// Whether the last check found usage over the hard limit (its warning is logged once).
        var overHardLimit = false
    }

    private let state = Mutex(State())

    init(id: ComponentID, config: MemoryLimiterConfig, source: any MemorySource, clock: C, telemetry: SelfTelemetry, logger: Logger) throws {
        self.id = id
        self.config = config
        self.source = source
        self.clock = clock
        self.logger = logger
        limits = try config.limits(totalMemory: source.totalBytes)
        metrics = telemetry.memoryLimiter(id)
        metrics.hardLimit.set(Double(limits.hard))
        metrics.softLimit.set(Double(limits.soft))
        refusal = .refused("data refused due to high memory usage", retryAfter: config.checkInterval, reason: "memory_limit")
    }

    /// Whether data is refused right now.
    var isRefusing: Bool { refusingFlag.load(ordering: .relaxed) }

    /// Checks once and starts the periodic checks; each pipeline's processor calls it.
    func start() {
        let first = state.withLock { s -> Bool in
            s.users += 1
            return s.users == 1
        }
        guard first else { return }
        let mib = 1024.0 * 1024.0
        logger.info("memory limiter configured", metadata: [
            "hard_limit_mib": "\(Double(limits.hard) / mib)", "soft_limit_mib": "\(Double(limits.soft) / mib)",
            "check_interval": "\(config.checkInterval)",
        ])
        check()
        let task = Task { [self] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: config.checkInterval) } catch { return }
                check()
            }
        }
        state.withLock { $0.checker = task }
    }

    /// Stops the periodic checks once the last pipeline using this limiter shuts down.
    func stop() async {
        let task = state.withLock { s -> Task<Void, Never>? in
            s.users -= 1
            guard s.users == 0 else { return nil }
            defer { s.checker = nil }
            return s.checker
        }
        task?.cancel()
        await task?.value
    }

    /// Measures usage once and sets the refusing flag.
    func check() {
        var used = source.usedBytes()
        let overHard = used >= limits.hard
        let newlyOverHard = state.withLock { s in
            defer { s.overHardLimit = overHard }
            return overHard && !s.overHardLimit
        }
        if newlyOverHard {
            logger.warning("memory usage is above the hard limit; returning free heap memory to the system", metadata: ["used_mib": "\(used >> 20)"])
        }
        if overHard && trimAllowed(every: config.minTrimIntervalWhenHardLimited) {
            used = trim()
        }
        let wasRefusing = refusingFlag.load(ordering: .relaxed)
        var mustRefuse = used >= limits.soft
        if mustRefuse && !wasRefusing {
            if trimAllowed(every: config.minTrimIntervalWhenSoftLimited) {
                used = trim()
                mustRefuse = used >= limits.soft
            }
            if mustRefuse {
                metrics.refusalsStarted.increment()
                logger.warning("memory usage is above the soft limit; refusing data", metadata: ["used_mib": "\(used >> 20)"])
            }
        } else if !mustRefuse && wasRefusing {
            logger.info("memory usage is back under the soft limit; accepting data", metadata: ["used_mib": "\(used >> 20)"])
        }
        refusingFlag.store(mustRefuse, ordering: .relaxed)
        metrics.usage.set(Double(used))
        metrics.refusing.set(mustRefuse ? 1.0 : 0.0)
    }

    private func trimAllowed(every interval: Duration) -> Bool {
        let now = clock.now
        return state.withLock { s in
            if let last = s.lastTrim, last.duration(to: now) < interval { return false }
            s.lastTrim = now
            return true
        }
    }

    /// Returns free heap memory to the system and measures again.
    private func trim() -> UInt64 {
        source.releaseFreeMemory()
        metrics.trims.increment()
        let used = source.usedBytes()
        logger.debug("heap trimmed", metadata: ["used_mib": "\(used >> 20)"])
        return used
    }
}
