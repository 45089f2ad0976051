import Configuration
import Foundation
import LokiPush

/// `loki` exporter settings: the push API endpoint, tenancy, how records become streams (labels) and
/// lines, and the shared queue and retry.
public struct LokiExporterConfig: ExporterConfig {
    public enum LineFormat: String, Sendable { case json, logfmt, raw }
    public enum Encoding: String, Sendable { case protobuf, json }

    public var endpoint = ""
    public var headers: [(String, String)] = []
    public var tenantID: String?
    public var timeout: Duration = .seconds(10)
    public var encoding = Encoding.protobuf
    /// For JSON bodies: gzip (default) or none. Protobuf bodies are always snappy.
    public var gzipJSON = true
    public var format = LineFormat.json
    /// Resource and record attributes that become labels, with their label names.
    public var resourceLabels: [(attribute: String, label: String)] = []
    public var attributeLabels: [(attribute: String, label: String)] = []
    /// The collector's default labels: `job`, `instance`, `exporter`, `level`.
    public var defaultJob = true
    public var defaultInstance = true
    public var defaultExporter = true
    public var defaultLevel = true
    /// Record attributes sent as structured metadata (trace_id, span_id and severity always are).
    public var structuredMetadata: [String] = []
    /// Also write ` trace_id=<id>` at the end of raw lines.
    public var traceIDInLine = false
    /// Most label names a stream may have (Loki's `max_label_names_per_series`).
    public var maxLabelNames = 15
    /// Most distinct streams per hour; records that would open more are dropped and counted.
    public var maxStreams = 5000
    /// Requests are cut below this many bytes (before compression).
    public var maxRequestBytes = 4 << 20
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    init(reading r: ConfigReader) {
        endpoint = r.string("endpoint")
        headers = r.stringMap("headers")
        tenantID = r.optionalString("tenant_id").flatMap { $0.isEmpty ? nil : $0 }
        timeout = r.duration("timeout", default: timeout)
        encoding = Encoding(rawValue: r.choice("encoding", ["protobuf", "json"], default: "protobuf")) ?? .protobuf
        gzipJSON = r.choice("compression", ["gzip", "none"], default: "gzip") == "gzip"
        format = LineFormat(rawValue: r.choice("format", ["json", "logfmt", "raw"], default: "json")) ?? .json
        if let labels = r.section("labels") {
            resourceLabels = Self.mapping(labels, "resource")
            attributeLabels = Self.mapping(labels, "attributes")
            labels.finish()
        }
        if let d = r.section("default_labels_enabled") {
            defaultJob = d.bool("job", default: true)
            defaultInstance = d.bool("instance", default: true)
            defaultExporter = d.bool("exporter", default: true)
            defaultLevel = d.bool("level", default: true)
            d.finish()
        }
        structuredMetadata = r.stringList("structured_metadata")
        traceIDInLine = r.bool("trace_id_in_line", default: false)
        maxLabelNames = r.int("max_label_names_per_stream", default: maxLabelNames, min: 1, max: 1000)
        maxStreams = r.int("max_streams", default: maxStreams, min: 1)
        maxRequestBytes = r.int("max_request_bytes", default: maxRequestBytes, min: 1024)
        queue = QueueSettings(reading: r.section("sending_queue"))
        retry = RetrySettings(reading: r.section("retry_on_failure"))
        _ = ClientTLSSettings.read(r)
        if r.has("auth") {
            r.error("'auth' (authenticator extensions) is not supported yet; set an 'authorization' header under 'headers'", key: "auth")
            _ = r.raw("auth")
        }
        if endpoint.isEmpty {
            r.error("'endpoint' is required (for example http://127.0.0.1:3100/loki/api/v1/push)")
        } else if let problem = HTTPTarget.problem(endpoint) {
            r.error("'endpoint': \(problem)", key: "endpoint")
        }
    }

    /// `attribute: label_name` pairs; an empty label name means the attribute name, sanitised.
    private static func mapping(_ r: ConfigReader, _ key: String) -> [(attribute: String, label: String)] {
        r.stringMap(key).map { attribute, label in
            (attribute, LokiLabels.sanitize(label.isEmpty ? attribute : label))
        }
    }
}
