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

/// The OTLP/gRPC listener of the `otlp` receiver (otlp.md §2): the three unary `Export` methods on
/// a ``GRPCListener``, gzip accepted, messages capped at `max_recv_msg_size_mib` after decompression
/// (RESOURCE_EXHAUSTED beyond). A refusing pipeline answers UNAVAILABLE with a `RetryInfo`, a
/// permanent failure or malformed data INVALID_ARGUMENT.
final class OTLPGRPCServer: Sendable {
    let listener: GRPCListener

    init(settings: OTLPReceiverConfig.GRPC, context: ComponentContext, consumers: ReceiverConsumers, gracePeriod: Duration = .seconds(5)) {
        let service = OTLPGRPCService(context: context, consumers: consumers, maxMessageBytes: settings.maxRecvMsgSizeMiB * 1024 * 1024,
                                      includeMetadata: settings.includeMetadata)
        listener = GRPCListener(
            settings: .init(host: settings.endpoint.host, port: settings.endpoint.port, maxRequestPayloadSize: Self.hardCap(settings),
                            maxConcurrentStreams: settings.maxConcurrentStreams, gracePeriod: gracePeriod),
            services: [service], group: context.eventLoopGroup, logger: context.logger)
    }

    /// The bound address (useful with port 0); nil when not running.
    var localAddress: NIOCore.SocketAddress? { listener.localAddress }

    func start() async throws { try await listener.start() }
    func shutdown() async { await listener.shutdown() }

    /// The transport's own limit: 4 × `max_recv_msg_size_mib`, at least 16 MiB; the configured
    /// limit is checked by the deserializer, which can answer RESOURCE_EXHAUSTED properly.
    static func hardCap(_ settings: OTLPReceiverConfig.GRPC) -> Int {
        max(settings.maxRecvMsgSizeMiB * 4, 16) * 1024 * 1024
    }
}

/// The three `Export` methods, each pushing into its pipeline through an ``Ingest``. Methods of
/// signals no pipeline takes answer UNIMPLEMENTED.
struct OTLPGRPCService: RegistrableRPCService {
    let context: ComponentContext
    let traces: Ingest<TracesData>?
    let metrics: Ingest<MetricsData>?
    let logs: Ingest<LogsData>?
    /// Largest accepted message after decompression.
    let maxMessageBytes: Int
    /// Bind each call's metadata to ``RequestContext/current`` while its data goes through the pipeline.
    let includeMetadata: Bool

    init(context: ComponentContext, consumers: ReceiverConsumers, maxMessageBytes: Int, includeMetadata: Bool = false) {
        self.context = context
        self.maxMessageBytes = maxMessageBytes
        self.includeMetadata = includeMetadata
        let t = context.telemetry
        traces = consumers.traces.map { Ingest(consumer: $0, counters: t.receiver(context.id, transport: "grpc", signal: .traces)) }
        metrics = consumers.metrics.map { Ingest(consumer: $0, counters: t.receiver(context.id, transport: "grpc", signal: .metrics)) }
        logs = consumers.logs.map { Ingest(consumer: $0, counters: t.receiver(context.id, transport: "grpc", signal: .logs)) }
    }

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        register(traces, with: &router)
        register(metrics, with: &router)
        register(logs, with: &router)
    }

    private func register<D: SignalData, Transport: ServerTransport>(_ ingest: Ingest<D>?, with router: inout RPCRouter<Transport>) {
        let context = context
        let includeMetadata = includeMetadata
        router.registerHandler(
            forMethod: OTLPGRPC.exportMethod(D.signal),
            deserializer: OTLPRequestDeserializer<D>(maxBytes: maxMessageBytes),
            serializer: OTLPResponseSerializer()
        ) { request, serverContext in
            guard let ingest, ingest.isConnected else {
                context.telemetry.receiverRejectedRequest(context.id, transport: "grpc", reason: "not_found")
                return StreamingServerResponse(error: RPCError(code: .unimplemented, message: "no pipeline takes \(D.signal.rawValue) from this receiver"))
            }
            // The client's address always travels with the data; its metadata only with `include_metadata`.
            let client = Self.requestContext(includeMetadata ? request.metadata : [:], remotePeer: serverContext.remotePeer)
            return StreamingServerResponse(single: await RequestContext.$current.withValue(client) { await Self.export(request, ingest) })
        }
    }

    /// The call's metadata (binary values as UTF-8 text) and the client's IP address, taken from the
    /// transport's peer description (`ipv4:127.0.0.1:31415`, `ipv6:[::1]:443`).
    static func requestContext(_ metadata: Metadata, remotePeer: String) -> RequestContext {
        let pairs = metadata.map { key, value -> (String, String) in
            switch value {
            case .string(let s): (key, s)
            case .binary(let b): (key, String(decoding: b, as: UTF8.self))
            }
        }
        var address: String?
        if let colon = remotePeer.firstIndex(of: ":"), remotePeer.hasPrefix("ipv") {
            var rest = remotePeer[remotePeer.index(after: colon)...]
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                rest = rest[rest.index(after: rest.startIndex)..<close]
            } else if let port = rest.lastIndex(of: ":") {
                rest = rest[..<port]
            }
            address = String(rest)
        }
        return RequestContext(pairs: pairs, clientAddress: address)
    }

    private static func export<D: SignalData>(_ request: StreamingServerRequest<D>, _ ingest: Ingest<D>) async -> ServerResponse<OTLPExportResponse> {
        let data: D
        do {
            // Reading the message runs the deserializer and the transport's size and decompression checks.
            data = try await ServerRequest(stream: request).message
        } catch let error as RPCError {
            ingest.counters.rejectedRequest(reason: error.code == .resourceExhausted ? "too_large" : "malformed")
            return ServerResponse(error: error)
        } catch {
            ingest.counters.rejectedRequest(reason: "malformed")
            return ServerResponse(error: RPCError(code: .invalidArgument, message: "\(error)"))
        }
        switch await ingest.push(data) {
        case .accepted:
            return ServerResponse(message: OTLPExportResponse())
        case .refused(let message, let retryAfter, let memoryLimit):
            return ServerResponse(error: OTLPGRPC.error(memoryLimit ? .resourceExhausted : .unavailable, message, retryAfter: retryAfter))
        case .permanent(let message):
            return ServerResponse(error: OTLPGRPC.error(.invalidArgument, message))
        }
    }
}
