import Configuration
import Factories
import Logging
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import Prometheus
import Telemetry
import Transport

/// The `otlp` receiver: OTLP/HTTP (protobuf and JSON) and OTLP/gRPC.
public final class OTLPReceiver: Component, ListensOnAddress {
    let config: OTLPReceiverConfig
    let context: ComponentContext
    let consumers: ReceiverConsumers
    let httpServer: HTTPServer?
    let grpcServer: OTLPGRPCServer?

    init(config: OTLPReceiverConfig, context: ComponentContext, consumers: ReceiverConsumers) {
        self.config = config
        self.context = context
        self.consumers = consumers
        if let http = config.http {
            let handler = OTLPHTTPHandler(settings: http, context: context, consumers: consumers)
            httpServer = HTTPServer(host: http.endpoint.host, port: http.endpoint.port, group: context.eventLoopGroup,
                                    maxBodySize: http.maxRequestBodySize, logger: context.logger) { await handler.handle($0) }
        } else {
            httpServer = nil
        }
        if let grpc = config.grpc {
            grpcServer = OTLPGRPCServer(settings: grpc, context: context, consumers: consumers)
        } else {
            grpcServer = nil
        }
    }

    /// Bound addresses, useful when configured with port 0.
    public var httpAddress: SocketAddress? { httpServer?.localAddress }
    public var grpcAddress: SocketAddress? { grpcServer?.localAddress }

    public func start() async throws {
        try await grpcServer?.start()
        do {
            try await httpServer?.start()
        } catch {
            await grpcServer?.shutdown()
            throw error
        }
        context.logger.info("otlp receiver listening", metadata: [
            "grpc": "\(grpcServer?.localAddress.map { "\($0)" } ?? "off")",
            "http": "\(httpServer?.localAddress.map { "\($0)" } ?? "off")",
        ])
    }

    public func shutdown() async {
        async let g: Void = grpcServer?.shutdown() ?? ()
        async let h: Void = httpServer?.shutdown() ?? ()
        _ = await (g, h)
    }
}

/// What became of one export request, in transport-neutral terms.
enum IngestOutcome {
    case accepted
    /// Retryable; the client should come back after `retryAfter`. `memoryLimit` when a memory
    /// limiter refused (gRPC answers `RESOURCE_EXHAUSTED` then, `UNAVAILABLE` otherwise).
    case refused(String, retryAfter: Duration, memoryLimit: Bool = false)
    case permanent(String)
}

/// Pushes one decoded request into the pipeline and counts the outcome.
struct Ingest<D: SignalData> {
    let consumer: any Consumer<D>
    let counters: ReceiverCounters

    /// Some pipeline takes this signal from the receiver now.
    var isConnected: Bool { (consumer as? any ConnectionReporting)?.isConnected ?? true }

    func push(_ data: D) async -> IngestOutcome {
        let n = data.itemCount
        do {
            try await consumer.consume(data)
            counters.accepted.increment(by: Int64(n))
            return .accepted
        } catch let error as ConsumerError where error.isRetryable {
            if let reason = error.refusalReason {
                counters.refused(n, reason: reason)
            } else {
                counters.refused.increment(by: Int64(n))
            }
            return .refused(error.message, retryAfter: error.retryAfter ?? .seconds(1), memoryLimit: error.refusalReason == "memory_limit")
        } catch {
            counters.refused(n, reason: "permanent_error")
            return .permanent("\(error)")
        }
    }
}
