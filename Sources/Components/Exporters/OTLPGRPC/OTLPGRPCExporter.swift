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
import Transport

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
        client = try GRPCConnection.client(host: target.host, port: target.port, authority: config.authority, group: context.eventLoopGroup)
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
