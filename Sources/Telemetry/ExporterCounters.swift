import PipelineCore
import Prometheus

/// What every exporter's sending queue reports, per signal.
public struct ExporterCounters: Sendable {
    public let sent: Counter
    public let sendFailed: Counter
    public let enqueueFailed: Counter
    public let retries: Counter
    public let queueSize: Gauge
    public let queueCapacity: Gauge
    public let queueItems: Gauge
    public let queueBytes: Gauge
    public let inFlight: Gauge
    public let oldestItemAge: Gauge
    let droppedBy: LabeledCounters

    /// Reasons for the loss ledger that are resolved up front.
    static let dropReasons = ["queue_full", "retries_exhausted", "permanent_error", "shutdown", "corrupt_record", "too_large"]

    /// The loss ledger: items this exporter will never deliver, by reason (`queue_full`,
    /// `retries_exhausted`, `permanent_error`, `shutdown`, `corrupt_record`, or a reason the
    /// exporter gave with its error).
    public func dropped(_ items: Int, reason: String) {
        droppedBy.increment(reason, by: items)
    }
}

extension SelfTelemetry {
    public func exporter(_ id: ComponentID, signal: Signal) -> ExporterCounters {
        let labels = [("exporter", id.description)]
        let queueLabels = labels + [("data_type", signal.rawValue)]
        return ExporterCounters(
            sent: counter(
                "otelsw_exporter_sent_\(signal.itemName)_total", labels: labels,
                help: "Items delivered to the backend."),
            sendFailed: counter(
                "otelsw_exporter_send_failed_\(signal.itemName)_total", labels: labels,
                help: "Items given up after a permanent error or exhausted retries."),
            enqueueFailed: counter(
                "otelsw_exporter_enqueue_failed_\(signal.itemName)_total", labels: labels,
                help: "Items refused because the sending queue was full."),
            retries: counter(
                "otelsw_exporter_retries_total", labels: queueLabels,
                help: "Export attempts that failed with a retryable error and were retried."),
            queueSize: gauge(
                "otelsw_exporter_queue_size", labels: queueLabels,
                help: "Current size of the sending queue, in the queue's sizer unit."),
            queueCapacity: gauge(
                "otelsw_exporter_queue_capacity", labels: queueLabels,
                help: "Capacity of the sending queue, in the queue's sizer unit."),
            queueItems: gauge(
                "otelsw_exporter_queue_items", labels: queueLabels,
                help: "Items in the sending queue (memory queues; a persistent queue reports bytes)."),
            queueBytes: gauge(
                "otelsw_exporter_queue_bytes", labels: queueLabels,
                help: "Encoded size of the data in the sending queue, in bytes."),
            inFlight: gauge(
                "otelsw_exporter_in_flight_requests", labels: queueLabels,
                help: "Export requests being sent right now."),
            oldestItemAge: gauge(
                "otelsw_exporter_queue_oldest_item_age_seconds", labels: queueLabels,
                help: "How long the oldest queued data has waited; 0 when the queue is empty."),
            droppedBy: counters(
                "otelsw_exporter_dropped_items_total", labels: [("exporter", id.description), ("signal", signal.rawValue)], by: "reason",
                values: ExporterCounters.dropReasons, help: "Items an exporter will never deliver, by reason."))
    }
}
