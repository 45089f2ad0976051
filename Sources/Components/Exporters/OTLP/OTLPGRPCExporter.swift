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
        if let tls = r.section("tls") {
            insecure = tls.bool("insecure", default: false)
            _ = tls.bool("insecure_skip_verify", default: false)
            for key in ["ca_file", "ca_pem", "cert_file", "cert_pem", "key_file", "key_pem", "server_name_override"] where tls.has(key) {
                tls.error("'tls.\(key)' is not supported yet", key: key)
                _ = tls.raw(key)
            }
            tls.finish()
        }
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
        guard let hp = HostPort.parse(text), !text.hasPrefix(":"), hp.port > 0 else {
            return .failure(EndpointProblem(message: "must be host:port, got '\(endpoint)'"))
        }
        guard plaintext else {
            return .failure(EndpointProblem(message: "TLS is not supported yet; set tls.insecure: true or use an http:// endpoint"))
        }
        return .success(hp)
    }
}

public struct OTLPGRPCExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "otlp" }
    public var aliases: [String] { ["otlp_grpc"] }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ExporterConfig { OTLPGRPCExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: any ExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        let c = config as! OTLPGRPCExporterConfig
        let target = try c.target.mapError { ConsumerError.permanent("invalid endpoint '\(c.endpoint)': \($0.message)") }.get()
        return try OTLPGRPCExporter<D>(config: c, target: target, context: context)
    }
}

/// Sends OTLP/gRPC `Export` calls and classifies failures as otlp.md §2 says: CANCELLED,
/// DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS (and RESOURCE_EXHAUSTED with a
/// `RetryInfo`) are retryable, with the `RetryInfo` delay as hint; every other code is permanent.
final class OTLPGRPCExporter<D: SignalData>: Exporter {
    typealias Data = D
    let config: OTLPGRPCExporterConfig
    let target: HostPort
    let context: ComponentContext
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let options: CallOptions
    let metadata: Metadata
    private let connections = Mutex<Task<Void, Never>?>(nil)

    init(config: OTLPGRPCExporterConfig, target: HostPort, context: ComponentContext) throws {
        self.config = config
        self.target = target
        self.context = context
        let transportConfig = HTTP2ClientTransport.Posix.Config.defaults { c in
            c.http2.maxFrameSize = 1 << 20
            c.http2.targetWindowSize = 16 << 20
            // Per-call compression is only honoured for algorithms enabled here; also accepts compressed responses.
            c.compression = .init(algorithm: .none, enabledAlgorithms: [.gzip, .deflate])
            if !config.authority.isEmpty { c.http2.authority = config.authority }
        }
        let group = context.eventLoopGroup as? MultiThreadedEventLoopGroup ?? .singletonMultiThreadedEventLoopGroup
        let transport = try HTTP2ClientTransport.Posix(
            target: .dns(host: target.host, port: target.port),
            transportSecurity: .plaintext,
            config: transportConfig,
            eventLoopGroup: group
        )
        client = GRPCClient(transport: transport)
        var options = CallOptions.defaults
        options.timeout = config.timeout
        options.waitForReady = config.waitForReady
        options.compression = config.compression == "gzip" ? .gzip : CompressionAlgorithm.none
        self.options = options
        var md = Metadata()
        for (key, value) in config.headers { md.addString(value, forKey: key.lowercased()) }
        md.replaceOrAddString("otelsw/\(context.telemetry.version)", forKey: "user-agent")
        metadata = md
    }

    func start() async throws {
        connections.withLock { task in
            guard task == nil else { return }
            task = Task { [client, context] in
                do {
                    try await client.runConnections()
                } catch {
                    context.logger.error("otlp grpc client stopped", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Lets in-flight calls finish, then closes the connection.
    func shutdown() async {
        client.beginGracefulShutdown()
        await connections.withLock { $0 }?.value
    }

    func export(_ data: D) async throws {
        let response: OTLPExportResponse
        do {
            response = try await client.unary(
                request: ClientRequest(message: data, metadata: metadata),
                descriptor: OTLPGRPC.exportMethod(D.signal),
                serializer: OTLPRequestSerializer<D>(),
                deserializer: OTLPResponseDeserializer(),
                options: options
            ) { try $0.message }
        } catch let error as RPCError {
            throw Self.classify(error, target: "\(target)")
        } catch {
            throw ConsumerError.refused("\(target): \(error)", retryAfter: nil)
        }
        if let partial = response.partialSuccess, partial.rejected > 0 || !partial.errorMessage.isEmpty {
            context.logger.warning("backend rejected part of a request", metadata: ["rejected": "\(partial.rejected)", "message": "\(partial.errorMessage)"])
        }
    }

    /// The OTLP retry table (otlp.md §2) applied to a failed call.
    static func classify(_ error: RPCError, target: String) -> ConsumerError {
        let delay = OTLPGRPC.statusDetails(of: error)?.retryDelay
        let description = "\(target): \(error.code) \(error.message)"
        switch error.code {
        case .cancelled, .deadlineExceeded, .aborted, .outOfRange, .unavailable, .dataLoss:
            return .refused(description, retryAfter: delay)
        case .resourceExhausted where delay != nil:
            return .refused(description, retryAfter: delay)
        default:
            return .permanent(description)
        }
    }
}
