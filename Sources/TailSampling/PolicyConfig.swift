import OTelModel

/// One sampling policy as configured: a name and what it votes on.
/// (collector-contrib `processor/tailsamplingprocessor` README, policy types)
public struct PolicyConfig: Sendable, Equatable {
    public var name: String
    public var kind: Kind

    public init(name: String, _ kind: Kind) {
        self.name = name
        self.kind = kind
    }

    public indirect enum Kind: Sendable, Equatable {
        case alwaysSample
        /// Trace duration (latest end − earliest start) at least `thresholdMs`, or in
        /// (`thresholdMs`, `upperThresholdMs`] when an upper bound is set.
        case latency(thresholdMs: Int64, upperThresholdMs: Int64?)
        /// An int attribute of a span or its resource within [min, max].
        case numericAttribute(key: String, min: Int64, max: Int64, invert: Bool)
        /// FNV-1a 64 of salt and trace id bytes at or below `percentage` of the hash range.
        case probabilistic(percentage: Double, salt: String)
        /// Any span's status is one of these.
        case statusCode([StatusCode])
        /// A string attribute of a span or its resource equals (or matches) one of the values.
        case stringAttribute(key: String, values: [String], regex: Bool, invert: Bool)
        case booleanAttribute(key: String, value: Bool, invert: Bool)
        /// Spans kept in each wall-clock second stay at or below the rate (a fixed window, no burst).
        case rateLimiting(spansPerSecond: Int)
        /// The trace has between `min` and `max` spans (inclusive; no upper bound when nil).
        case spanCount(min: Int, max: Int?)
        /// A span's W3C tracestate has `key` with one of the values.
        case traceState(key: String, values: [String])
        /// Any span has the W3C sampled flag.
        case traceFlags
        /// All sub-policies vote to sample.
        case and([PolicyConfig])
        /// A drop vote (which overrides every sample vote) when all sub-policies vote to sample.
        case drop([PolicyConfig])
        /// Sub-policies in `order`, each with a share of `maxTotalSpansPerSecond`.
        case composite(maxTotalSpansPerSecond: Int, order: [String], policies: [PolicyConfig], allocation: [String: Double])
    }
}

/// What one policy says about a trace. (collector-contrib `internal/sampling`)
public enum Vote: Sendable, Equatable {
    case sampled
    case notSampled
    /// Drop the trace whatever other policies say.
    case dropped
    /// From `invert_match`: keep unless another policy says not to keep (deprecated form).
    case invertSampled
    /// From `invert_match`: do not keep, overriding plain sample votes (deprecated form).
    case invertNotSampled

    /// The final decision from all votes: a drop wins, then an inverted "not sampled", then any
    /// "sampled", then an inverted "sampled" when no policy voted "not sampled"; otherwise the
    /// trace is not kept.
    public static func combine(_ votes: some Sequence<Vote>) -> Bool {
        var c = Combination()
        for vote in votes { c.add(vote) }
        return c.keep
    }

    /// Votes gathered one at a time, for ``combine(_:)``.
    public struct Combination: Sendable {
        private var vetoed = false
        private var sampled = false
        private var invertSampled = false
        private var notSampled = false

        public init() {}

        public mutating func add(_ vote: Vote) {
            switch vote {
            case .dropped, .invertNotSampled: vetoed = true
            case .sampled: sampled = true
            case .invertSampled: invertSampled = true
            case .notSampled: notSampled = true
            }
        }

        public var keep: Bool { !vetoed && (sampled || (invertSampled && !notSampled)) }
    }
}
