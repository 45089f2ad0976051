import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import Telemetry
import Transport

/// `otlphttp` / `otlp_http` exporter settings (collector names and defaults).
public struct OTLPHTTPExporterConfig: ExporterConfig {
    public var endpoint = ""
    public var tracesEndpoint = ""
    public var metricsEndpoint = ""
    public var logsEndpoint = ""
    public var headers: [(String, String)] = []
    public var compression = "gzip"
    public var encoding = "proto"
    public var timeout: Duration = .seconds(30)
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    init(reading r: ConfigReader) {
        endpoint = r.string("endpoint")
        tracesEndpoint = r.string("traces_endpoint")
        metricsEndpoint = r.string("metrics_endpoint")
        logsEndpoint = r.string("logs_endpoint")
        headers = r.stringMap("headers")
        compression = r.choice("compression", ["gzip", "none"], default: compression)
        encoding = r.choice("encoding", ["proto", "json"], default: encoding)
        timeout = r.duration("timeout", default: timeout)
        queue = QueueSettings(reading: r.section("sending_queue"))
        retry = RetrySettings(reading: r.section("retry_on_failure"))
        _ = ClientTLSSettings.read(r)
        if endpoint.isEmpty && tracesEndpoint.isEmpty && metricsEndpoint.isEmpty && logsEndpoint.isEmpty {
            r.error("'endpoint' is required (for example http://127.0.0.1:4318)")
        }
        for (key, value) in [("endpoint", endpoint), ("traces_endpoint", tracesEndpoint), ("metrics_endpoint", metricsEndpoint), ("logs_endpoint", logsEndpoint)] where !value.isEmpty {
            if let problem = HTTPTarget.problem(value) { r.error("'\(key)': \(problem)", key: key) }
        }
    }

    /// The full URL for one signal: the per-signal endpoint verbatim, else `endpoint` + `/v1/<signal>`.
    func url(for signal: Signal) -> String {
        let specific = [Signal.traces: tracesEndpoint, .metrics: metricsEndpoint, .logs: logsEndpoint][signal] ?? ""
        if !specific.isEmpty { return specific }
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        return base + "/v1/" + signal.rawValue
    }
}
