import Foundation
import PipelineCore
import Prometheus
import Synchronization

/// The agent's own metrics: the registry behind `/metrics`.
///
/// The families every receiver, processor and exporter reports are declared in this module
/// (`ReceiverCounters`, `ProcessorCounters`, `ExporterCounters`); a component with families of its
/// own declares them beside its implementation through ``counter(_:labels:help:)`` and its siblings.
/// Names follow the collector's families with our prefix, e.g.
/// `otelsw_receiver_accepted_spans_total{receiver="otlp",transport="grpc"}`.
/// Every handle is resolved when its component is built, so counting costs an atomic add.
public final class SelfTelemetry: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let version: String
    private let started = Date()
    private let scrapeHooks = Mutex<(next: Int, hooks: [Int: @Sendable () -> Void])>((0, [:]))

    public init(version: String) {
        registry = PrometheusCollectorRegistry()
        self.version = version
        gauge("otelsw_build_info", labels: [("version", version)], help: "Build information; the value is always 1.").set(1.0)
    }

    /// Runs `hook` before every render, to refresh gauges that are cheaper to compute on demand
    /// (queue ages, bytes on disk) than to keep current. The component that added it removes it
    /// with ``removeScrapeHook(_:)`` when it stops.
    public func addScrapeHook(_ hook: @escaping @Sendable () -> Void) -> ScrapeHook {
        scrapeHooks.withLock { state in
            state.next += 1
            state.hooks[state.next] = hook
            return ScrapeHook(id: state.next)
        }
    }

    public func removeScrapeHook(_ hook: ScrapeHook) {
        _ = scrapeHooks.withLock { $0.hooks.removeValue(forKey: hook.id) }
    }

    /// How many scrape hooks are registered (components running now).
    public var scrapeHookCount: Int { scrapeHooks.withLock { $0.hooks.count } }

    /// A counter, made once per name and label set (the same name and labels give the same series).
    public func counter(_ name: String, labels: [(String, String)] = [], help: String) -> Counter {
        registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    public func gauge(_ name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }

    public func valueHistogram(_ name: String, labels: [(String, String)], buckets: [Double], help: String) -> ValueHistogram {
        registry.makeValueHistogram(descriptor: Self.descriptor(name, help), labels: labels, buckets: buckets)
    }

    /// One counter per value of the label `label`, resolved now for `values`; see ``LabeledCounters``.
    public func counters(_ name: String, labels: [(String, String)] = [], by label: String, values: [String], help: String) -> LabeledCounters {
        LabeledCounters(values: values) { [self] value in counter(name, labels: labels + [(label, value)], help: help) }
    }

    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// Refreshes process gauges and renders every family in the Prometheus text format.
    public func render() -> [UInt8] {
        for hook in scrapeHooks.withLock({ Array($0.hooks.values) }) { hook() }
        let usage = ProcessUsage.current()
        gauge("otelsw_process_cpu_seconds", help: "Total user and system CPU time of the agent.").set(usage.cpuSeconds)
        gauge("otelsw_process_memory_rss_bytes", help: "Resident set size of the agent.").set(Double(usage.rssBytes))
        gauge("otelsw_process_uptime_seconds", help: "Seconds since the agent started.").set(Date().timeIntervalSince(started))
        return registry.emitToBuffer()
    }
}

/// A registered scrape hook, to remove it with.
public struct ScrapeHook: Sendable, Hashable {
    let id: Int
}
