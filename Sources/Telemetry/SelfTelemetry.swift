import Foundation
import PipelineCore
import Prometheus
import Synchronization

/// The agent's own metrics: every family is defined here, nowhere else.
///
/// Names follow the collector's families with our prefix, e.g.
/// `otelsw_receiver_accepted_spans_total{receiver="otlp",transport="grpc"}`.
/// Handles are created once per component, so counting costs an atomic add per batch.
public final class SelfTelemetry: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let version: String
    private let started = Date()
    private let scrapeHooks = Mutex<[@Sendable () -> Void]>([])

    /// Runs `hook` before every render, to refresh gauges that are cheaper to compute on demand
    /// (queue ages, bytes on disk) than to keep current.
    public func addScrapeHook(_ hook: @escaping @Sendable () -> Void) {
        scrapeHooks.withLock { $0.append(hook) }
    }

    public init(version: String) {
        registry = PrometheusCollectorRegistry()
        self.version = version
        registry.gauge(name: "otelsw_build_info", labels: [("version", version)], help: "Build information; the value is always 1.").set(1.0)
    }

    // MARK: Receivers

    public struct ReceiverCounters: Sendable {
        public let accepted: Counter
        public let refused: Counter
        let telemetry: SelfTelemetry
        let labels: [(String, String)]
        let signal: Signal

        /// Counts items refused for `reason` (backpressure, permanent_error, ...).
        public func refused(_ items: Int, reason: String) {
            telemetry.registry.counter(
                name: "otelsw_receiver_refused_\(signal.itemName)_total", labels: labels + [("reason", reason)],
                help: "Items the receiver could not push into the pipeline, by reason."
            ).increment(by: Int64(items))
        }

        /// Counts a request rejected before its items could be counted (malformed, too large, ...).
        public func rejectedRequest(reason: String) {
            telemetry.registry.counter(
                name: "otelsw_receiver_refused_requests_total", labels: labels + [("reason", reason)],
                help: "Requests the receiver rejected before decoding their items, by reason."
            ).increment()
        }
    }

    public func receiver(_ id: ComponentID, transport: String, signal: Signal) -> ReceiverCounters {
        let labels = [("receiver", id.description), ("transport", transport)]
        return ReceiverCounters(
            accepted: registry.counter(
                name: "otelsw_receiver_accepted_\(signal.itemName)_total", labels: labels,
                help: "Items successfully pushed into the pipeline."),
            refused: registry.counter(
                name: "otelsw_receiver_refused_\(signal.itemName)_total", labels: labels + [("reason", "backpressure")],
                help: "Items the receiver could not push into the pipeline, by reason."),
            telemetry: self, labels: labels, signal: signal)
    }

    /// Counts one scrape of a target of `job` by its result: `success`, a failure reason (`unreachable`,
    /// `timeout`, `http_status`, `too_large`, `malformed`, `sample_limit`) or `skipped_backpressure`.
    public func scrape(_ id: ComponentID, job: String, result: String) {
        registry.counter(
            name: "otelsw_receiver_scrapes_total", labels: [("receiver", id.description), ("scrape_job", job), ("result", result)],
            help: "Scrapes by job and result: success, a failure reason, or skipped_backpressure."
        ).increment()
    }

    /// The number of targets a scrape receiver is scraping for `job`.
    public func scrapeTargets(_ id: ComponentID, job: String) -> Gauge {
        registry.gauge(
            name: "otelsw_receiver_scrape_targets", labels: [("receiver", id.description), ("scrape_job", job)],
            help: "Targets being scraped, by job.")
    }

    /// Counts a request rejected by a receiver for a signal not yet known (unknown path, bad content type).
    public func receiverRejectedRequest(_ id: ComponentID, transport: String, reason: String) {
        registry.counter(
            name: "otelsw_receiver_refused_requests_total",
            labels: [("receiver", id.description), ("transport", transport), ("reason", reason)],
            help: "Requests the receiver rejected before decoding their items, by reason."
        ).increment()
    }

    /// What a `filelog` receiver reports beyond accepted and refused records.
    public struct FileLogCounters: Sendable {
        /// Files open for reading (followed, or finishing after a rotation).
        public let files: Gauge
        public let bytesRead: Counter
        let telemetry: SelfTelemetry
        let labels: [(String, String)]

        /// Records changed on the way in, by reason: `max_log_size` (cut), `invalid_utf8` (bytes replaced).
        public func records(_ n: Int, reason: String) {
            telemetry.registry.counter(
                name: "otelsw_receiver_filelog_altered_records_total", labels: labels + [("reason", reason)],
                help: "Records cut at max_log_size or with invalid UTF-8 replaced, by reason."
            ).increment(by: Int64(n))
        }

        /// An operator failed on a record (`error` is its code: `parse_failed`, `missing_field`, ...).
        public func operatorError(_ operatorType: String, error: String) {
            telemetry.registry.counter(
                name: "otelsw_receiver_filelog_operator_errors_total", labels: labels + [("operator", operatorType), ("error", error)],
                help: "Records an operator failed on, by operator type and error; on_error decides whether they went on."
            ).increment()
        }

        /// A file event: `opened`, `rotated` (found under another name), `closed` (gone from the
        /// matched paths, finished through its open handle), `truncated` (content replaced in place;
        /// what was not read yet is gone from it), `copy_followed` (reading went on in the copy of a
        /// truncated file), `read_error`.
        public func event(_ event: String) {
            telemetry.registry.counter(
                name: "otelsw_receiver_filelog_file_events_total", labels: labels + [("event", event)],
                help: "Files opened, rotated, truncated, followed into their copy, or failing to read."
            ).increment()
        }
    }

    public func fileLog(_ id: ComponentID) -> FileLogCounters {
        let labels = [("receiver", id.description)]
        return FileLogCounters(
            files: registry.gauge(name: "otelsw_receiver_filelog_open_files", labels: labels, help: "Files the receiver has open."),
            bytesRead: registry.counter(name: "otelsw_receiver_filelog_read_bytes_total", labels: labels, help: "Bytes read from files."),
            telemetry: self, labels: labels)
    }

    // MARK: Tail sampling

    /// The self-metrics of one `tail_sampling` processor.
    public struct TailSamplingCounters: Sendable {
        public let tracesInMemory: Gauge
        public let bytesInMemory: Gauge
        public let logRecordsHeld: Gauge
        public let newTraces: Counter
        public let decisionLatency: ValueHistogram
        let telemetry: SelfTelemetry
        let labels: [(String, String)]

        private func counter(_ name: String, _ extra: [(String, String)], _ help: String) -> Counter {
            telemetry.registry.counter(name: "otelsw_processor_tail_sampling_\(name)", labels: labels + extra, help: help)
        }

        /// A policy's votes on decided traces (`sampled` true or false), in traces and spans.
        public func policy(_ policy: String, sampled: Bool, traces: Int, spans: Int) {
            let extra = [("policy", policy), ("sampled", sampled ? "true" : "false")]
            counter("policy_traces_total", extra, "Decided traces by policy and that policy's vote.").increment(by: Int64(traces))
            counter("policy_spans_total", extra, "Spans of decided traces by policy and that policy's vote.").increment(by: Int64(spans))
        }

        /// Final decisions, in traces and spans.
        public func decided(sampled: Bool, traces: Int, spans: Int) {
            let extra = [("sampled", sampled ? "true" : "false")]
            counter("traces_total", extra, "Traces decided, by final decision.").increment(by: Int64(traces))
            counter("spans_total", extra, "Spans of decided traces, by final decision.").increment(by: Int64(spans))
        }

        /// Traces decided before their decision_wait was over, by `reason` (`num_traces`, `memory`).
        public func early(_ traces: Int, reason: String) {
            counter("early_decisions_total", [("reason", reason)], "Traces decided early because the buffer was full, by limit.").increment(by: Int64(traces))
        }

        /// Spans that arrived after their trace was decided, by that decision.
        public func lateSpans(_ spans: Int, sampled: Bool) {
            counter("late_spans_total", [("sampled", sampled ? "true" : "false")], "Spans arriving after their trace was decided; they follow the decision.").increment(by: Int64(spans))
        }

        /// Log records by `outcome`: `kept`, `dropped` (with their trace), `no_trace_id`,
        /// `unknown_trace_kept`, `unknown_trace_dropped`, `released_early` (budget full).
        public func logRecords(_ n: Int, outcome: String) {
            counter("log_records_total", [("outcome", outcome)], "Log records by what the trace decision did to them.").increment(by: Int64(n))
        }
    }

    public func tailSampling(_ id: ComponentID) -> TailSamplingCounters {
        let labels = [("processor", id.description)]
        let prefix = "otelsw_processor_tail_sampling_"
        return TailSamplingCounters(
            tracesInMemory: registry.gauge(name: prefix + "traces_in_memory", labels: labels, help: "Traces waiting for a decision."),
            bytesInMemory: registry.gauge(name: prefix + "bytes_in_memory", labels: labels, help: "Estimated bytes of the spans waiting for a decision."),
            logRecordsHeld: registry.gauge(name: prefix + "log_records_held", labels: labels, help: "Log records waiting for their trace's decision."),
            newTraces: registry.counter(name: prefix + "new_traces_total", labels: labels, help: "Traces seen for the first time."),
            decisionLatency: registry.valueHistogram(
                name: prefix + "decision_latency_seconds", labels: labels,
                buckets: [0.1, 0.5, 1, 2, 5, 10, 15, 30, 60, 120],
                help: "Time from a trace's first span to its decision."),
            telemetry: self, labels: labels)
    }

    // MARK: Configuration

    /// The running pipeline file and its reloads.
    public final class ConfigCounters: Sendable {
        let registry: PrometheusCollectorRegistry
        public let succeeded: Counter
        public let failed: Counter
        public let lastSuccess: Gauge
        public let lastDuration: Gauge
        public let started: Gauge
        public let stopped: Gauge
        public let kept: Gauge
        private let info = Mutex<Gauge?>(nil)

        init(registry: PrometheusCollectorRegistry) {
            self.registry = registry
            let reloads = "otelsw_config_reloads_total"
            let help = "Reloads of the pipeline file, by result."
            succeeded = registry.counter(name: reloads, labels: [("result", "success")], help: help)
            failed = registry.counter(name: reloads, labels: [("result", "failure")], help: help)
            lastSuccess = registry.gauge(name: "otelsw_config_last_reload_success_timestamp_seconds",
                                         help: "When the running pipeline file was loaded (Unix time).")
            lastDuration = registry.gauge(name: "otelsw_config_last_reload_duration_seconds",
                                          help: "Time from the trigger to the new graph in place, for the last successful reload.")
            let components = "otelsw_config_last_reload_components"
            let componentsHelp = "Components the last successful reload started, stopped and kept running."
            started = registry.gauge(name: components, labels: [("action", "started")], help: componentsHelp)
            stopped = registry.gauge(name: components, labels: [("action", "stopped")], help: componentsHelp)
            kept = registry.gauge(name: components, labels: [("action", "kept")], help: componentsHelp)
        }

        /// Marks `sha1` as the running file's digest (`otelsw_config_info{sha1}` is 1 for it only).
        public func running(sha1: String) {
            info.withLock { gauge in
                if let gauge { registry.unregisterGauge(gauge) }
                let g = registry.gauge(name: "otelsw_config_info", labels: [("sha1", sha1)],
                                       help: "The running pipeline file: its SHA-1 (as sha1sum prints it); the value is always 1.")
                g.set(1.0)
                gauge = g
            }
            lastSuccess.set(Date().timeIntervalSince1970)
        }
    }

    public func config() -> ConfigCounters { ConfigCounters(registry: registry) }

    // MARK: Exporters

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
        let telemetry: SelfTelemetry
        let exporterID: ComponentID
        let signal: Signal

        /// The loss ledger: items this exporter will never deliver, by reason (`queue_full`,
        /// `retries_exhausted`, `permanent_error`, `shutdown`, `corrupt_record`).
        public func dropped(_ items: Int, reason: String) {
            telemetry.registry.counter(
                name: "otelsw_exporter_dropped_items_total",
                labels: [("exporter", exporterID.description), ("signal", signal.rawValue), ("reason", reason)],
                help: "Items an exporter will never deliver, by reason."
            ).increment(by: Int64(items))
        }
    }

    public func exporter(_ id: ComponentID, signal: Signal) -> ExporterCounters {
        let labels = [("exporter", id.description)]
        let queueLabels = labels + [("data_type", signal.rawValue)]
        return ExporterCounters(
            sent: registry.counter(
                name: "otelsw_exporter_sent_\(signal.itemName)_total", labels: labels,
                help: "Items delivered to the backend."),
            sendFailed: registry.counter(
                name: "otelsw_exporter_send_failed_\(signal.itemName)_total", labels: labels,
                help: "Items given up after a permanent error or exhausted retries."),
            enqueueFailed: registry.counter(
                name: "otelsw_exporter_enqueue_failed_\(signal.itemName)_total", labels: labels,
                help: "Items refused because the sending queue was full."),
            retries: registry.counter(
                name: "otelsw_exporter_retries_total", labels: queueLabels,
                help: "Export attempts that failed with a retryable error and were retried."),
            queueSize: registry.gauge(
                name: "otelsw_exporter_queue_size", labels: queueLabels,
                help: "Current size of the sending queue, in the queue's sizer unit."),
            queueCapacity: registry.gauge(
                name: "otelsw_exporter_queue_capacity", labels: queueLabels,
                help: "Capacity of the sending queue, in the queue's sizer unit."),
            queueItems: registry.gauge(
                name: "otelsw_exporter_queue_items", labels: queueLabels,
                help: "Items in the sending queue (memory queues; a persistent queue reports bytes)."),
            queueBytes: registry.gauge(
                name: "otelsw_exporter_queue_bytes", labels: queueLabels,
                help: "Encoded size of the data in the sending queue, in bytes."),
            inFlight: registry.gauge(
                name: "otelsw_exporter_in_flight_requests", labels: queueLabels,
                help: "Export requests being sent right now."),
            oldestItemAge: registry.gauge(
                name: "otelsw_exporter_queue_oldest_item_age_seconds", labels: queueLabels,
                help: "How long the oldest queued data has waited; 0 when the queue is empty."),
            telemetry: self, exporterID: id, signal: signal)
    }

    // MARK: Processors

    public struct BatchCounters: Sendable {
        public let sendSize: ValueHistogram
        public let sizeTrigger: Counter
        public let timeoutTrigger: Counter
    }

    public func batchProcessor(_ id: ComponentID, signal: Signal) -> BatchCounters {
        let labels = [("processor", id.description), ("data_type", signal.rawValue)]
        return BatchCounters(
            sendSize: registry.valueHistogram(
                name: "otelsw_processor_batch_batch_send_size", labels: labels,
                buckets: [10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000, 50000, 100000],
                help: "Number of items in each batch sent downstream."),
            sizeTrigger: registry.counter(
                name: "otelsw_processor_batch_batch_size_trigger_send_total", labels: labels,
                help: "Batches sent because they reached send_batch_size."),
            timeoutTrigger: registry.counter(
                name: "otelsw_processor_batch_timeout_trigger_send_total", labels: labels,
                help: "Batches sent because the timeout elapsed."))
    }

    /// Log records a `trace_context` processor looked at, by outcome (`extracted`, `already_set`,
    /// `not_found`, `invalid_trace_id`, `invalid_span_id`, `invalid_trace_flags`, `invalid_traceparent`).
    public func traceContextOutcome(_ id: ComponentID, outcome: String, count: Int) {
        registry.counter(
            name: "otelsw_processor_trace_context_records_total", labels: [("processor", id.description), ("outcome", outcome)],
            help: "Log records the trace_context processor looked at, by outcome."
        ).increment(by: Int64(count))
    }

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

    public func memoryLimiter(_ id: ComponentID) -> MemoryLimiterMetrics {
        let labels = [("processor", id.description)]
        let prefix = "otelsw_processor_memory_limiter_"
        return MemoryLimiterMetrics(
            usage: registry.gauge(name: prefix + "usage_bytes", labels: labels, help: "Memory in use (resident set) at the last check, in bytes."),
            softLimit: registry.gauge(name: prefix + "soft_limit_bytes", labels: labels, help: "Usage at or above which data is refused, in bytes."),
            hardLimit: registry.gauge(name: prefix + "hard_limit_bytes", labels: labels, help: "Usage at or above which free heap memory is also trimmed, in bytes."),
            refusing: registry.gauge(name: prefix + "refusing", labels: labels, help: "1 while the memory limiter refuses data, else 0."),
            refusalsStarted: registry.counter(
                name: prefix + "refusing_transitions_total", labels: labels, help: "Times the memory limiter went from accepting to refusing."),
            trims: registry.counter(
                name: prefix + "trims_total", labels: labels, help: "Times free heap memory was returned to the system because usage was over a limit."))
    }

    // MARK: Processors and persistent queues

    /// Items a processor dropped for `reason` (`permanent_error`, `shutdown`).
    public func processorDropped(_ id: ComponentID, signal: Signal, reason: String) -> Counter {
        registry.counter(
            name: "otelsw_processor_dropped_\(signal.itemName)_total", labels: [("processor", id.description), ("reason", reason)],
            help: "Items a processor dropped, by reason.")
    }

    /// Items a processor refused for `reason` (`memory_limit`); the sender is told to retry.
    public func processorRefused(_ id: ComponentID, signal: Signal, reason: String) -> Counter {
        registry.counter(
            name: "otelsw_processor_refused_\(signal.itemName)_total", labels: [("processor", id.description), ("reason", reason)],
            help: "Items a processor refused with a retryable error, by reason.")
    }

    /// Bytes of a persistent queue's files.
    public func persistedBytes(_ id: ComponentID, signal: Signal) -> Gauge {
        registry.gauge(
            name: "otelsw_exporter_persisted_bytes", labels: [("exporter", id.description), ("data_type", signal.rawValue)],
            help: "Bytes of the persistent queue's files on disk.")
    }

    /// Bytes of a persistent queue's files that recovery could not use: `corrupt_record` (failed its
    /// checksum or unreadable) and `torn_tail` (an incomplete last record, cut off).
    public func persistentQueueSkippedBytes(_ id: ComponentID, signal: Signal, reason: String) -> Counter {
        registry.counter(
            name: "otelsw_exporter_persistent_queue_skipped_bytes_total",
            labels: [("exporter", id.description), ("data_type", signal.rawValue), ("reason", reason)],
            help: "Bytes of persistent queue files skipped on recovery, by reason.")
    }

    // MARK: Process

    /// Refreshes process gauges and renders every family in the Prometheus text format.
    public func render() -> [UInt8] {
        for hook in scrapeHooks.withLock({ $0 }) { hook() }
        let usage = ProcessUsage.current()
        registry.gauge(name: "otelsw_process_cpu_seconds", help: "Total user and system CPU time of the agent.").set(usage.cpuSeconds)
        registry.gauge(name: "otelsw_process_memory_rss_bytes", help: "Resident set size of the agent.").set(Double(usage.rssBytes))
        registry.gauge(name: "otelsw_process_uptime_seconds", help: "Seconds since the agent started.").set(Date().timeIntervalSince(started))
        return registry.emitToBuffer()
    }
}

/// CPU time and resident memory of this process.
public struct ProcessUsage: Sendable {
    public var cpuSeconds: Double
    public var rssBytes: Int
    public var peakRSSBytes: Int

    public static func current() -> ProcessUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        var rss = 0
        var peak = Int(usage.ru_maxrss) * 1024
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            for line in status.split(separator: "\n") {
                if line.hasPrefix("VmRSS:") { rss = kib(line) }
                if line.hasPrefix("VmHWM:") { peak = kib(line) }
            }
        }
        return ProcessUsage(cpuSeconds: cpu, rssBytes: rss, peakRSSBytes: peak)
    }

    private static func kib(_ line: Substring) -> Int {
        (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}

/// The registry's calls by name, label set and help text (the same name and labels give the same series).
extension PrometheusCollectorRegistry {
    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func counter(name: String, labels: [(String, String)] = [], help: String) -> Counter {
        makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    func gauge(name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }

    func valueHistogram(name: String, labels: [(String, String)], buckets: [Double], help: String) -> ValueHistogram {
        makeValueHistogram(descriptor: Self.descriptor(name, help), labels: labels, buckets: buckets)
    }
}
