import PipelineCore
import Telemetry

extension SelfTelemetry {
    /// Log records a `trace_context` processor looked at, by outcome (`extracted`, `already_set`,
    /// `not_found`, `invalid_trace_id`, `invalid_span_id`, `invalid_trace_flags`, `invalid_traceparent`).
    func traceContextOutcomes(_ id: ComponentID) -> LabeledCounters {
        counters("otelsw_processor_trace_context_records_total", labels: [("processor", id.description)], by: "outcome",
                 values: ["extracted", "already_set", "not_found", "invalid_trace_id", "invalid_span_id", "invalid_trace_flags", "invalid_traceparent"],
                 help: "Log records the trace_context processor looked at, by outcome.")
    }
}
