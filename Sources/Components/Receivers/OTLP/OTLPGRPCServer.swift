import NIOCore
import Pipeline

/// OTLP/gRPC listener of the `otlp` receiver.
///
/// Not available in this build yet: the config loader rejects `protocols.grpc` (see
/// ``OTLPReceiverConfig``), so this is never constructed with a live configuration.
final class OTLPGRPCServer: Sendable {
    init(settings: OTLPReceiverConfig.GRPC, context: ComponentContext, consumers: ReceiverConsumers) {}
    var localAddress: SocketAddress? { nil }
    func start() async throws {}
    func shutdown() async {}
}
