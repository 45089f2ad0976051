import Configuration
import Factories
import PipelineCore

/// `otlp` receiver settings: `protocols.grpc` and/or `protocols.http` (collector names and defaults).
public struct OTLPReceiverConfig: ComponentConfig {
    public struct GRPC: Sendable, Equatable {
        public var endpoint = HostPort(host: "127.0.0.1", port: 4317)
        /// Largest accepted message after decompression, in MiB.
        public var maxRecvMsgSizeMiB = 4
        public var maxConcurrentStreams = 0
        /// Bind the request's metadata and client address to ``RequestContext/current`` for the pipeline.
        public var includeMetadata = false
    }

    public struct HTTP: Sendable, Equatable {
        public var endpoint = HostPort(host: "127.0.0.1", port: 4318)
        /// Largest accepted body, in bytes, both as received and after decompression.
        public var maxRequestBodySize = 20 * 1024 * 1024
        public var tracesPath = "/v1/traces"
        public var metricsPath = "/v1/metrics"
        public var logsPath = "/v1/logs"
        /// Bind the request's headers and client address to ``RequestContext/current`` for the pipeline.
        public var includeMetadata = false
    }

    public var grpc: GRPC?
    public var http: HTTP?

    public init(grpc: GRPC? = nil, http: HTTP? = nil) {
        self.grpc = grpc
        self.http = http
    }

    init(reading r: ConfigReader) {
        guard let protocols = r.section("protocols") else {
            r.error("\(r.context) needs 'protocols' with 'grpc' and/or 'http'")
            return
        }
        if let g = protocols.presentSection("grpc") {
            var s = GRPC()
            s.endpoint = endpoint(g, default: s.endpoint)
            s.maxRecvMsgSizeMiB = g.int("max_recv_msg_size_mib", default: s.maxRecvMsgSizeMiB, min: 1, max: 2047)
            s.maxConcurrentStreams = g.int("max_concurrent_streams", default: 0, min: 0)
            _ = g.string("transport", default: "tcp")
            s.includeMetadata = g.bool("include_metadata", default: false)
            for unsupported in ["tls", "auth", "keepalive", "read_buffer_size", "write_buffer_size"] where g.has(unsupported) {
                g.error("'\(unsupported)' is not supported yet", key: unsupported)
                _ = g.raw(unsupported)
            }
            g.finish()
            grpc = s
        }
        if let h = protocols.presentSection("http") {
            var s = HTTP()
            s.endpoint = endpoint(h, default: s.endpoint)
            s.maxRequestBodySize = h.int("max_request_body_size", default: s.maxRequestBodySize, min: 1)
            s.tracesPath = urlPath(h, "traces_url_path", default: s.tracesPath)
            s.metricsPath = urlPath(h, "metrics_url_path", default: s.metricsPath)
            s.logsPath = urlPath(h, "logs_url_path", default: s.logsPath)
            s.includeMetadata = h.bool("include_metadata", default: false)
            for unsupported in ["tls", "auth", "cors"] where h.has(unsupported) {
                h.error("'\(unsupported)' is not supported yet", key: unsupported)
                _ = h.raw(unsupported)
            }
            h.finish()
            http = s
        }
        protocols.finish()
        if grpc == nil && http == nil {
            r.error("'protocols' must enable at least one of grpc, http", at: protocols.location)
        }
        if let g = grpc, let h = http, g.endpoint == h.endpoint, g.endpoint.port != 0 {
            r.error("grpc and http cannot listen on the same endpoint \(g.endpoint)", at: protocols.location)
        }
    }

    private func endpoint(_ r: ConfigReader, default value: HostPort) -> HostPort {
        guard let text = r.optionalString("endpoint") else { return value }
        guard let hp = HostPort.parse(text) else {
            r.error("'endpoint' must be host:port, got '\(text)'", key: "endpoint")
            return value
        }
        return hp
    }

    private func urlPath(_ r: ConfigReader, _ key: String, default value: String) -> String {
        let path = r.string(key, default: value)
        return path.hasPrefix("/") ? path : "/" + path
    }
}

