import Configuration
import Factories
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NIOCore
import NIOPosix
import OTelModel
import PipelineCore
import Synchronization
import Telemetry

/// `otlp` / `otlp_grpc` exporter settings (collector names and defaults). Plaintext only: the
/// endpoint must be `http://host:port`, or `host:port` with `tls.insecure: true`.
public struct OTLPGRPCExporterConfig: ExporterConfig {
    public var endpoint = ""
    public var headers: [(String, String)] = []
    public var compression = "gzip"
    public var timeout: Duration = .seconds(5)
    public var waitForReady = false
    /// The `:authority` sent; empty means `host:port` of the endpoint.
    public var authority = ""
    public var insecure = false
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    public init() {}

    init(reading r: ConfigReader) {
        endpoint = r.string("endpoint")
        headers = r.stringMap("headers")
        compression = r.choice("compression", ["gzip", "none"], default: compression)
        timeout = r.duration("timeout", default: timeout)
        waitForReady = r.bool("wait_for_ready", default: false)
        authority = r.string("authority")
        _ = r.choice("balancer_name", ["pick_first", "round_robin"], default: "pick_first")
        queue = QueueSettings(reading: r.section("sending_queue"))
        retry = RetrySettings(reading: r.section("retry_on_failure"))
        insecure = ClientTLSSettings.read(r)
        for unsupported in ["keepalive", "auth", "read_buffer_size", "write_buffer_size"] where r.has(unsupported) {
            r.error("'\(unsupported)' is not supported yet", key: unsupported)
            _ = r.raw(unsupported)
        }
        if timeout <= .zero { r.error("'timeout' must be positive", key: "timeout") }
        if endpoint.isEmpty {
            r.error("'endpoint' is required (for example 127.0.0.1:4317)")
        } else if case .failure(let problem) = target {
            r.error("'endpoint': \(problem.message)", key: "endpoint")
        }
    }

    struct EndpointProblem: Error { var message: String }

    /// Where to connect: `host:port`, optionally with an `http://` scheme (which implies plaintext).
    var target: Result<HostPort, EndpointProblem> {
        var text = endpoint
        var plaintext = insecure
        if text.hasPrefix("https://") {
            return .failure(EndpointProblem(message: "TLS is not supported yet; use an http:// endpoint or tls.insecure: true"))
        }
        if text.hasPrefix("http://") {
            text.removeFirst("http://".count)
            plaintext = true
        }
        if text.hasSuffix("/") { text.removeLast() }
        guard let hp = HostPort.parseTarget(text) else {
            return .failure(EndpointProblem(message: "must be host:port, got '\(endpoint)'"))
        }
        guard plaintext else {
            return .failure(EndpointProblem(message: "TLS is not supported yet; set tls.insecure: true or use an http:// endpoint"))
        }
        return .success(hp)
    }
}
