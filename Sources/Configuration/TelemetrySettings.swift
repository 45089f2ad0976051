/// `service.telemetry`.
public struct TelemetrySettings: Sendable, Equatable {
    /// host:port of the /metrics and /healthz server; empty disables it.
    public var metricsAddress = "127.0.0.1:8888"
    public var logLevel = "info"
    /// An exporter holding data without delivering any for this long makes `/healthz` unhealthy.
    public var exporterStallTimeout: Duration = .seconds(120)

    public init() {}

    /// Reads `service.telemetry`.
    public init(reading r: ConfigReader) {
        var t = TelemetrySettings()
        if let metrics = r.section("metrics") {
            t.metricsAddress = metrics.string("address", default: t.metricsAddress)
            if metrics.choice("level", ["none", "basic", "normal", "detailed"], default: "normal") != "normal" {
                metrics.sink.warning("'level' in \(metrics.context) has no effect: otelsw always reports every family",
                                     at: metrics.raw("level")?.location ?? metrics.location)
            }
            if !t.metricsAddress.isEmpty, HostPort.parse(t.metricsAddress) == nil {
                metrics.error("'address' must be host:port, got '\(t.metricsAddress)'", key: "address")
            }
            metrics.finish()
        }
        if let health = r.section("health") {
            t.exporterStallTimeout = health.duration("exporter_stall_timeout", default: t.exporterStallTimeout)
            health.finish()
        }
        if let logs = r.section("logs") {
            t.logLevel = logs.choice("level", ["debug", "info", "warn", "error"], default: t.logLevel)
            if logs.choice("encoding", ["console", "json"], default: "console") == "json" {
                logs.sink.warning("'encoding: json' in \(logs.context) has no effect: the agent logs text lines", at: logs.raw("encoding")?.location ?? logs.location)
            }
            logs.finish()
        }
        r.finish()
        self = t
    }
}
