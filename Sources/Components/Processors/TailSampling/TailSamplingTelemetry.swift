import PipelineCore
import Prometheus
import Telemetry

/// The self-metrics of one `tail_sampling` processor, every series resolved when it is built (a
/// policy's series for each policy the configuration names).
struct TailSamplingCounters: Sendable {
    let tracesInMemory: Gauge
    let bytesInMemory: Gauge
    let logRecordsHeld: Gauge
    let newTraces: Counter
    let decisionLatency: ValueHistogram
    /// By policy name, for each vote (`sampled` true, false), in traces and in spans.
    private let policyTraces: (sampled: LabeledCounters, notSampled: LabeledCounters)
    private let policySpans: (sampled: LabeledCounters, notSampled: LabeledCounters)
    private let decidedTraces: LabeledCounters
    private let decidedSpans: LabeledCounters
    private let earlyDecisions: LabeledCounters
    private let late: LabeledCounters
    private let logs: LabeledCounters

    init(telemetry: SelfTelemetry, id: ComponentID, policies: [String]) {
        let labels = [("processor", id.description)]
        let prefix = "otelsw_processor_tail_sampling_"
        tracesInMemory = telemetry.gauge(prefix + "traces_in_memory", labels: labels, help: "Traces waiting for a decision.")
        bytesInMemory = telemetry.gauge(prefix + "bytes_in_memory", labels: labels, help: "Estimated bytes of the spans waiting for a decision.")
        logRecordsHeld = telemetry.gauge(prefix + "log_records_held", labels: labels, help: "Log records waiting for their trace's decision.")
        newTraces = telemetry.counter(prefix + "new_traces_total", labels: labels, help: "Traces seen for the first time.")
        decisionLatency = telemetry.valueHistogram(
            prefix + "decision_latency_seconds", labels: labels, buckets: [0.1, 0.5, 1, 2, 5, 10, 15, 30, 60, 120],
            help: "Time from a trace's first span to its decision.")
        func byPolicy(_ name: String, sampled: Bool, _ help: String) -> LabeledCounters {
            telemetry.counters(prefix + name, labels: labels + [("sampled", sampled ? "true" : "false")], by: "policy", values: policies, help: help)
        }
        let tracesHelp = "Decided traces by policy and that policy's vote."
        let spansHelp = "Spans of decided traces by policy and that policy's vote."
        policyTraces = (byPolicy("policy_traces_total", sampled: true, tracesHelp), byPolicy("policy_traces_total", sampled: false, tracesHelp))
        policySpans = (byPolicy("policy_spans_total", sampled: true, spansHelp), byPolicy("policy_spans_total", sampled: false, spansHelp))
        let sampled = ["true", "false"]
        decidedTraces = telemetry.counters(prefix + "traces_total", labels: labels, by: "sampled", values: sampled, help: "Traces decided, by final decision.")
        decidedSpans = telemetry.counters(prefix + "spans_total", labels: labels, by: "sampled", values: sampled, help: "Spans of decided traces, by final decision.")
        earlyDecisions = telemetry.counters(prefix + "early_decisions_total", labels: labels, by: "reason", values: ["num_traces", "memory"],
                                            help: "Traces decided early because the buffer was full, by limit.")
        late = telemetry.counters(prefix + "late_spans_total", labels: labels, by: "sampled", values: sampled,
                                  help: "Spans arriving after their trace was decided; they follow the decision.")
        logs = telemetry.counters(prefix + "log_records_total", labels: labels, by: "outcome",
                                  values: ["kept", "dropped", "no_trace_id", "unknown_trace_kept", "unknown_trace_dropped", "released_early"],
                                  help: "Log records by what the trace decision did to them.")
    }

    /// A policy's votes on decided traces (`sampled` true or false), in traces and spans.
    func policy(_ policy: String, sampled: Bool, traces: Int, spans: Int) {
        (sampled ? policyTraces.sampled : policyTraces.notSampled).increment(policy, by: traces)
        (sampled ? policySpans.sampled : policySpans.notSampled).increment(policy, by: spans)
    }

    /// Final decisions, in traces and spans.
    func decided(sampled: Bool, traces: Int, spans: Int) {
        decidedTraces.increment(sampled ? "true" : "false", by: traces)
        decidedSpans.increment(sampled ? "true" : "false", by: spans)
    }

    /// Traces decided before their decision_wait was over, by `reason` (`num_traces`, `memory`).
    func early(_ traces: Int, reason: String) {
        earlyDecisions.increment(reason, by: traces)
    }

    /// Spans that arrived after their trace was decided, by that decision.
    func lateSpans(_ spans: Int, sampled: Bool) {
        late.increment(sampled ? "true" : "false", by: spans)
    }

    /// Log records by `outcome`: `kept`, `dropped` (with their trace), `no_trace_id`,
    /// `unknown_trace_kept`, `unknown_trace_dropped`, `released_early` (budget full).
    func logRecords(_ n: Int, outcome: String) {
        logs.increment(outcome, by: n)
    }
}
