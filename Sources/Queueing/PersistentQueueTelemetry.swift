import PipelineCore
import Prometheus
import Telemetry

/// The families of persistent sending queues beyond every exporter's.
extension SelfTelemetry {
    /// Bytes of a persistent queue's files.
    public func persistedBytes(_ id: ComponentID, signal: Signal) -> Gauge {
        gauge(
            "otelsw_exporter_persisted_bytes", labels: [("exporter", id.description), ("data_type", signal.rawValue)],
            help: "Bytes of the persistent queue's files on disk.")
    }

    /// Bytes of a persistent queue's files that recovery could not use: `corrupt_record` (failed its
    /// checksum or unreadable) and `torn_tail` (an incomplete last record, cut off).
    public func persistentQueueSkippedBytes(_ id: ComponentID, signal: Signal, reason: String) -> Counter {
        counter(
            "otelsw_exporter_persistent_queue_skipped_bytes_total",
            labels: [("exporter", id.description), ("data_type", signal.rawValue), ("reason", reason)],
            help: "Bytes of persistent queue files skipped on recovery, by reason.")
    }
}
