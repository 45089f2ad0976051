import PipelineCore
import Prometheus
import Telemetry

/// The `batch` processor's families.
public struct BatchCounters: Sendable {
    public let sendSize: ValueHistogram
    public let sizeTrigger: Counter
    public let timeoutTrigger: Counter
}

extension SelfTelemetry {
    public func batchProcessor(_ id: ComponentID, signal: Signal) -> BatchCounters {
        let labels = [("processor", id.description), ("data_type", signal.rawValue)]
        return BatchCounters(
            sendSize: valueHistogram(
                "otelsw_processor_batch_batch_send_size", labels: labels,
                buckets: [10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000, 50000, 100000],
                help: "Number of items in each batch sent downstream."),
            sizeTrigger: counter(
                "otelsw_processor_batch_batch_size_trigger_send_total", labels: labels,
                help: "Batches sent because they reached send_batch_size."),
            timeoutTrigger: counter(
                "otelsw_processor_batch_timeout_trigger_send_total", labels: labels,
                help: "Batches sent because the timeout elapsed."))
    }
}
