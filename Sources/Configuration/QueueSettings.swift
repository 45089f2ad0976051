import PipelineCore
/// `sending_queue` of every exporter (collector field names).
public struct QueueSettings: Sendable, Equatable {
    public enum Sizer: String, Sendable { case requests, items, bytes }

    public var enabled = true
    public var numConsumers = 10
    public var queueSize = 100_000
    /// What `queueSize` counts. Our default is items, so memory stays bounded whatever the batch size.
    /// `bytes` counts the request's encoded protobuf size, which costs one encoding per request.
    public var sizer = Sizer.items
    /// When full: `true` refuses the whole request (clients retry; siblings wait too), `false` drops
    /// this exporter's copy, counted, while siblings with room take theirs. A pipeline whose every
    /// queue is full refuses either way.
    public var blockOnOverflow = false
    /// The `file_storage` extension that makes this queue persistent; nil for a memory queue.
    public var storage: ComponentID?
    /// Where `storage` was written, to report a dangling reference.
    public var storageLocation: SourceLocation?

    public init() {}

    public init(reading r: ConfigReader?) {
        guard let r else { return }
        enabled = r.bool("enabled", default: enabled)
        numConsumers = r.int("num_consumers", default: numConsumers, min: 1, max: 1024)
        sizer = Sizer(rawValue: r.choice("sizer", ["requests", "items", "bytes"], default: sizer.rawValue)) ?? .items
        let defaultSize = switch sizer {
        case .requests: 1000
        case .items: queueSize
        case .bytes: 256 << 20
        }
        queueSize = r.int("queue_size", default: defaultSize, min: 1)
        blockOnOverflow = r.bool("block_on_overflow", default: blockOnOverflow)
        if let text = r.optionalString("storage") {
            storageLocation = r.raw("storage")?.location
            switch ComponentID.parse(text) {
            case .success(let id): storage = id
            case .failure(let e): r.error(e.message, key: "storage")
            }
        }
        r.finish()
    }
}

/// `retry_on_failure` of every exporter (collector field names and defaults).
public struct RetrySettings: Sendable, Equatable {
    public var enabled = true
    public var initialInterval: Duration = .seconds(5)
    public var maxInterval: Duration = .seconds(30)
    /// Zero means retry forever.
    public var maxElapsedTime: Duration = .seconds(300)
    public var multiplier = 1.5
    public var randomizationFactor = 0.5

    public init() {}

    public init(reading r: ConfigReader?) {
        guard let r else { return }
        enabled = r.bool("enabled", default: enabled)
        initialInterval = r.duration("initial_interval", default: initialInterval)
        maxInterval = r.duration("max_interval", default: maxInterval)
        maxElapsedTime = r.duration("max_elapsed_time", default: maxElapsedTime)
        multiplier = r.double("multiplier", default: multiplier, min: 1)
        randomizationFactor = r.double("randomization_factor", default: randomizationFactor, min: 0, max: 1)
        if initialInterval <= .zero { r.error("'initial_interval' must be positive", key: "initial_interval") }
        if maxInterval < initialInterval { r.error("'max_interval' must not be less than 'initial_interval'", key: "max_interval") }
        r.finish()
    }

    /// The delay before retry number `attempt` (1-based), with jitter from `random` in [0, 1).
    public func backoff(attempt: Int, random: Double) -> Duration {
        var base = initialInterval.seconds
        for _ in 1..<max(attempt, 1) { base = min(base * multiplier, maxInterval.seconds) }
        let jitter = base * randomizationFactor * (2 * random - 1)
        return .nanoseconds(Int64(min(max(0, base + jitter) * 1e9, 9.2e18)))
    }
}
