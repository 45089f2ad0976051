import PipelineCore
import Prometheus

/// What every receiver reports, per transport and signal.
public struct ReceiverCounters: Sendable {
    /// Items pushed into the pipeline.
    public let accepted: Counter
    /// Items refused with `backpressure`, the common reason.
    public let refused: Counter
    private let refusedBy: LabeledCounters
    private let rejected: LabeledCounters

    init(telemetry: SelfTelemetry, id: ComponentID, transport: String, signal: Signal) {
        let labels = [("receiver", id.description), ("transport", transport)]
        accepted = telemetry.counter("otelsw_receiver_accepted_\(signal.itemName)_total", labels: labels,
                                     help: "Items successfully pushed into the pipeline.")
        refusedBy = telemetry.counters("otelsw_receiver_refused_\(signal.itemName)_total", labels: labels, by: "reason",
                                       values: ReceiverCounters.refusalReasons,
                                       help: "Items the receiver could not push into the pipeline, by reason.")
        refused = refusedBy["backpressure"]
        rejected = telemetry.counters("otelsw_receiver_refused_requests_total", labels: labels, by: "reason",
                                      values: ReceiverCounters.rejectionReasons,
                                      help: "Requests the receiver rejected before decoding their items, by reason.")
    }

    /// Reasons for refusing items that are resolved up front.
    static let refusalReasons = ["backpressure", "memory_limit", "permanent_error"]
    /// Reasons for rejecting a whole request that are resolved up front.
    static let rejectionReasons = [
        "malformed", "too_large", "incomplete", "unsupported_media_type", "unsupported_encoding", "method_not_allowed", "not_found",
    ]

    /// Counts items refused for `reason` (`backpressure`, `permanent_error`, ...).
    public func refused(_ items: Int, reason: String) {
        refusedBy.increment(reason, by: items)
    }

    /// Counts a request rejected before its items could be counted (`malformed`, `too_large`, ...).
    public func rejectedRequest(reason: String) {
        rejected.increment(reason)
    }
}

extension SelfTelemetry {
    public func receiver(_ id: ComponentID, transport: String, signal: Signal) -> ReceiverCounters {
        ReceiverCounters(telemetry: self, id: id, transport: transport, signal: signal)
    }

    /// Counts a request rejected by a receiver before its signal is known (unknown path, bad content
    /// type); a rare path, so the series is looked up when it happens.
    public func receiverRejectedRequest(_ id: ComponentID, transport: String, reason: String) {
        counter("otelsw_receiver_refused_requests_total",
                labels: [("receiver", id.description), ("transport", transport), ("reason", reason)],
                help: "Requests the receiver rejected before decoding their items, by reason.").increment()
    }
}
