import PipelineCore
import Prometheus

/// What any processor reports when it drops or refuses items.
extension SelfTelemetry {
    /// Items a processor dropped for `reason` (`permanent_error`, `shutdown`).
    public func processorDropped(_ id: ComponentID, signal: Signal, reason: String) -> Counter {
        counter(
            "otelsw_processor_dropped_\(signal.itemName)_total", labels: [("processor", id.description), ("reason", reason)],
            help: "Items a processor dropped, by reason.")
    }

    /// Items a processor refused for `reason` (`memory_limit`); the sender is told to retry.
    public func processorRefused(_ id: ComponentID, signal: Signal, reason: String) -> Counter {
        counter(
            "otelsw_processor_refused_\(signal.itemName)_total", labels: [("processor", id.description), ("reason", reason)],
            help: "Items a processor refused with a retryable error, by reason.")
    }
}
