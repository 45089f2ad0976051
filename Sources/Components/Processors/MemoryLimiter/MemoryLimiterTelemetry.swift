import PipelineCore
import Prometheus
import Telemetry

/// The state of one `memory_limiter` processor, shared by every pipeline that lists it.
public struct MemoryLimiterMetrics: Sendable {
    /// Memory in use at the last check (the resident set), in bytes.
    public let usage: Gauge
    public let softLimit: Gauge
    public let hardLimit: Gauge
    /// 1 while data is refused, else 0.
    public let refusing: Gauge
    /// Times the limiter started refusing.
    public let refusalsStarted: Counter
    /// Times free heap memory was handed back to the system (`malloc_trim`).
    public let trims: Counter
}

extension SelfTelemetry {
    public func memoryLimiter(_ id: ComponentID) -> MemoryLimiterMetrics {
        let labels = [("processor", id.description)]
        let prefix = "otelsw_processor_memory_limiter_"
        return MemoryLimiterMetrics(
            usage: gauge(prefix + "usage_bytes", labels: labels, help: "Memory in use (resident set) at the last check, in bytes."),
            softLimit: gauge(prefix + "soft_limit_bytes", labels: labels, help: "Usage at or above which data is refused, in bytes."),
            hardLimit: gauge(prefix + "hard_limit_bytes", labels: labels, help: "Usage at or above which free heap memory is also trimmed, in bytes."),
            refusing: gauge(prefix + "refusing", labels: labels, help: "1 while the memory limiter refuses data, else 0."),
            refusalsStarted: counter(
                prefix + "refusing_transitions_total", labels: labels, help: "Times the memory limiter went from accepting to refusing."),
            trims: counter(
                prefix + "trims_total", labels: labels, help: "Times free heap memory was returned to the system because usage was over a limit."))
    }
}
