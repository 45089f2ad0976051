import Configuration
import PipelineCore


/// `memory_limiter` processor settings, with the Collector's names and rules: a hard limit
/// (`limit_mib`, or `limit_percentage` of the memory the agent may have) and a spike allowance
/// (`spike_limit_mib` / `spike_limit_percentage`, default a fifth of the limit); the soft limit is the
/// hard limit minus the spike. A value of 0 means "not set", as in the Collector.
public struct MemoryLimiterConfig: ComponentConfig, Equatable {
    /// How often memory is measured; required, greater than zero.
    public var checkInterval: Duration = .zero
    public var limitMiB = 0
    public var spikeLimitMiB = 0
    public var limitPercentage = 0
    public var spikeLimitPercentage = 0
    /// The least time between two trims when usage first goes over the soft limit.
    public var minTrimIntervalWhenSoftLimited: Duration = .seconds(10)
    /// The least time between two trims while usage is over the hard limit (0: at every check).
    public var minTrimIntervalWhenHardLimited: Duration = .zero

    public init() {}

    init(reading r: ConfigReader) {
        // Rules between fields are checked only on fields that were read cleanly, so that one bad
        // value gives one message.
        var problems = r.sink.errors.count
        func readCleanly() -> Bool {
            defer { problems = r.sink.errors.count }
            return r.sink.errors.count == problems
        }
        checkInterval = r.duration("check_interval", default: checkInterval)
        if readCleanly() && checkInterval <= .zero {
            if r.has("check_interval") {
                r.error("'check_interval' must be greater than zero", key: "check_interval")
            } else {
                r.error("'check_interval' is required: how often memory is measured, such as 1s")
            }
        }
        _ = readCleanly()

        limitMiB = r.int("limit_mib", default: 0, min: 0, max: 1 << 30)
        spikeLimitMiB = r.int("spike_limit_mib", default: 0, min: 0, max: 1 << 30)
        limitPercentage = r.int("limit_percentage", default: 0, min: 0)
        spikeLimitPercentage = r.int("spike_limit_percentage", default: 0, min: 0)
        for (key, value) in [("limit_percentage", limitPercentage), ("spike_limit_percentage", spikeLimitPercentage)] where value > 100 {
            r.error("'\(key)' must be between 1 and 100, got \(value)", key: key)
        }
        if readCleanly() { checkLimits(r) }
        _ = readCleanly()

        minTrimIntervalWhenSoftLimited = r.duration("min_gc_interval_when_soft_limited", default: minTrimIntervalWhenSoftLimited)
        minTrimIntervalWhenHardLimited = r.duration("min_gc_interval_when_hard_limited", default: minTrimIntervalWhenHardLimited)
        if readCleanly() && minTrimIntervalWhenSoftLimited < minTrimIntervalWhenHardLimited {
            r.error("'min_gc_interval_when_soft_limited' must be at least 'min_gc_interval_when_hard_limited'", key: "min_gc_interval_when_soft_limited")
        }
    }

    /// One limit, of one form, with a spike allowance below it.
    private func checkLimits(_ r: ConfigReader) {
        switch (limitMiB > 0, limitPercentage > 0) {
        case (false, false):
            r.error("give the memory limit as 'limit_mib' or 'limit_percentage'")
        case (true, true):
            r.error("give 'limit_mib' or 'limit_percentage', not both", key: "limit_percentage")
        case (true, false):
            if spikeLimitPercentage > 0 {
                r.error("'spike_limit_percentage' goes with 'limit_percentage'; with 'limit_mib' use 'spike_limit_mib'", key: "spike_limit_percentage")
            } else if spikeLimitMiB >= limitMiB {
                r.error("'spike_limit_mib' (\(spikeLimitMiB)) must be less than 'limit_mib' (\(limitMiB))", key: "spike_limit_mib")
            }
        case (false, true):
            if spikeLimitMiB > 0 {
                r.error("'spike_limit_mib' goes with 'limit_mib'; with 'limit_percentage' use 'spike_limit_percentage'", key: "spike_limit_mib")
            } else if spikeLimitPercentage >= limitPercentage {
                r.error("'spike_limit_percentage' (\(spikeLimitPercentage)) must be less than 'limit_percentage' (\(limitPercentage))",
                        key: "spike_limit_percentage")
            }
        }
    }

    /// Whether the limits depend on how much memory there is.
    public var usesPercentages: Bool { limitMiB == 0 }

    /// The limits in bytes; `totalMemory` is asked only for the percentage forms.
    public func limits(totalMemory: () -> UInt64?) throws -> MemoryLimits {
        let mib: UInt64 = 1 << 20
        let hard: UInt64
        var spike: UInt64
        if limitMiB > 0 {
            hard = UInt64(limitMiB) * mib
            spike = UInt64(spikeLimitMiB) * mib
        } else {
            guard let total = totalMemory(), total > 0 else {
                throw ConsumerError.permanent("'limit_percentage' needs the total memory, which could not be read; use 'limit_mib'")
            }
            hard = Self.percent(limitPercentage, of: total)
            spike = Self.percent(spikeLimitPercentage, of: total)
        }
        if spike == 0 { spike = hard / 5 }
        return MemoryLimits(hard: hard, soft: hard - min(spike, hard))
    }

    /// `percent`% of `total`, rounded down, without overflow.
    static func percent(_ percent: Int, of total: UInt64) -> UInt64 {
        let p = UInt64(percent)
        return total / 100 * p + total % 100 * p / 100
    }
}

/// Memory limits in bytes: refuse at or above `soft`, also trim at or above `hard`.
public struct MemoryLimits: Sendable, Equatable {
    public var hard: UInt64
    public var soft: UInt64

    public init(hard: UInt64, soft: UInt64) {
        self.hard = hard
        self.soft = soft
    }
}
