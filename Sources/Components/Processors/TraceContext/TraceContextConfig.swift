import Configuration
import Factories
import LogOps
import OTelModel
import PipelineCore
import Prometheus
import Telemetry

/// `trace_context` processor settings: where to look for a trace context in log records that have
/// none, and under which keys.
public struct TraceContextConfig: ComponentConfig {
    var settings = TraceContext.Settings()

    init(reading r: ConfigReader) {
        let d = TraceContext.Settings()
        func keys(_ name: String, _ defaults: [String]) -> [String] {
            r.has(name) ? r.stringList(name) : defaults
        }
        settings = TraceContext.Settings(
            traceIDKeys: keys("trace_id_keys", d.traceIDKeys),
            spanIDKeys: keys("span_id_keys", d.spanIDKeys),
            traceFlagsKeys: keys("trace_flags_keys", d.traceFlagsKeys),
            traceparentKeys: keys("traceparent_keys", d.traceparentKeys),
            fromAttributes: r.bool("from_attributes", default: true),
            fromBodyMap: r.bool("from_body_map", default: true),
            fromBodyText: r.bool("from_body_text", default: true),
            maxBodyTextBytes: r.byteSize("max_body_text_bytes", default: d.maxBodyTextBytes, min: 1))
        if settings.traceIDKeys.isEmpty && settings.traceparentKeys.isEmpty {
            r.error("give at least one of 'trace_id_keys' and 'traceparent_keys'")
        }
    }
}
