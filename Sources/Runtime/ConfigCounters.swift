import Foundation
import Prometheus
import Synchronization
import Telemetry

/// The running pipeline file and its reloads.
final class ConfigCounters: Sendable {
    let telemetry: SelfTelemetry
    let succeeded: Counter
    let failed: Counter
    let lastSuccess: Gauge
    let lastDuration: Gauge
    let started: Gauge
    let stopped: Gauge
    let kept: Gauge
    private let info = Mutex<Gauge?>(nil)

    init(telemetry: SelfTelemetry) {
        self.telemetry = telemetry
        let reloads = "otelsw_config_reloads_total"
        let help = "Reloads of the pipeline file, by result."
        succeeded = telemetry.counter(reloads, labels: [("result", "success")], help: help)
        failed = telemetry.counter(reloads, labels: [("result", "failure")], help: help)
        lastSuccess = telemetry.gauge("otelsw_config_last_reload_success_timestamp_seconds",
                                     help: "When the running pipeline file was loaded (Unix time).")
        lastDuration = telemetry.gauge("otelsw_config_last_reload_duration_seconds",
                                      help: "Time from the trigger to the new graph in place, for the last successful reload.")
        let components = "otelsw_config_last_reload_components"
        let componentsHelp = "Components the last successful reload started, stopped and kept running."
        started = telemetry.gauge(components, labels: [("action", "started")], help: componentsHelp)
        stopped = telemetry.gauge(components, labels: [("action", "stopped")], help: componentsHelp)
        kept = telemetry.gauge(components, labels: [("action", "kept")], help: componentsHelp)
    }

    /// Marks `sha1` as the running file's digest (`otelsw_config_info{sha1}` is 1 for it only).
    func running(sha1: String) {
        info.withLock { gauge in
            if let gauge { telemetry.registry.unregisterGauge(gauge) }
            let g = telemetry.gauge("otelsw_config_info", labels: [("sha1", sha1)],
                                   help: "The running pipeline file: its SHA-1 (as sha1sum prints it); the value is always 1.")
            g.set(1.0)
            gauge = g
        }
        lastSuccess.set(Date().timeIntervalSince1970)
    }
}
