import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A gRPC server on HTTP/2 plaintext for the receivers: binds, serves the given services, and
/// shuts down letting in-flight calls finish within a grace period. Sized for OTLP (requests of
/// hundreds of KiB): large frames and flow-control windows, gzip and deflate accepted.
public final class GRPCListener: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// The transport's own cap on a message; a service checks its configured limit itself (the
        /// transport resets the stream beyond its cap instead of answering RESOURCE_EXHAUSTED).
        public var maxRequestPayloadSize: Int
        /// 0: the transport's default.
        public var maxConcurrentStreams: Int
        /// How long `shutdown` lets in-flight calls finish before closing connections.
        public var gracePeriod: Duration

        public init(host: String, port: Int, maxRequestPayloadSize: Int, maxConcurrentStreams: Int = 0, gracePeriod: Duration = .seconds(5)) {
            self.host = host
            self.port = port
            self.maxRequestPayloadSize = maxRequestPayloadSize
            self.maxConcurrentStreams = maxConcurrentStreams
            self.gracePeriod = gracePeriod
        }
    }

    let settings: Settings
    let services: [any RegistrableRPCService]
    let group: any EventLoopGroup
    let logger: Logger

    private struct Running: Sendable {
        var server: GRPCServer<HTTP2ServerTransport.Posix>
        var task: Task<Void, any Error>
        var address: NIOCore.SocketAddress?
    }

    private let running = Mutex<Running?>(nil)

    public init(settings: Settings, services: [any RegistrableRPCService], group: any EventLoopGroup, logger: Logger) {
        self.settings = settings
        self.services = services
        self.group = group
        self.logger = logger
    }

    /// The bound address (useful with port 0); nil when not running.
    public var localAddress: NIOCore.SocketAddress? { running.withLock { $0?.address } }

    /// Binds and starts serving; throws when the address cannot be bound (in use, unresolvable).
    public func start() async throws {
        let address = try Self.bindAddress(host: settings.host, port: settings.port)
        let settings = settings
        let config = HTTP2ServerTransport.Posix.Config.defaults { c in
            c.compression.enabledAlgorithms = [.gzip, .deflate]
            c.http2.maxFrameSize = 1 << 20
            c.http2.targetWindowSize = 16 << 20
            c.rpc.maxRequestPayloadSize = settings.maxRequestPayloadSize
            if settings.maxConcurrentStreams > 0 { c.http2.maxConcurrentStreams = settings.maxConcurrentStreams }
        }
        let group = group as? MultiThreadedEventLoopGroup ?? .singletonMultiThreadedEventLoopGroup
        let transport = HTTP2ServerTransport.Posix(address: address, transportSecurity: .plaintext, config: config, eventLoopGroup: group)
        let server = GRPCServer(transport: transport, services: services)
        let task = Task { try await server.serve() }

        let bound: GRPCNIOTransportCore.SocketAddress
        do {
            bound = try await transport.listeningAddress
        } catch {
            // `serve()` has failed (address in use, ...): its error says more than "not listening".
            server.beginGracefulShutdown()
            if case .failure(let cause) = await task.result { throw cause }
            throw error
        }
        running.withLock { $0 = Running(server: server, task: task, address: Self.nioAddress(bound)) }
    }

    public func shutdown() async {
        guard let r = running.withLock({ s -> Running? in defer { s = nil }; return s }) else { return }
        r.server.beginGracefulShutdown()
        let grace = settings.gracePeriod
        let deadline = Task {
            try await Task.sleep(for: grace)
            r.task.cancel()  // closes the connections whose calls did not finish in time
        }
        if case .failure(let error) = await r.task.result, !(error is CancellationError) {
            logger.warning("grpc server stopped with an error", metadata: ["error": "\(error)"])
        }
        deadline.cancel()
    }

    /// `host:port` as gRPC's address; names are resolved once, here.
    static func bindAddress(host: String, port: Int) throws -> GRPCNIOTransportCore.SocketAddress {
        let resolved = try NIOCore.SocketAddress.makeAddressResolvingHost(host, port: port)
        switch (resolved, resolved.ipAddress) {
        case (.v4, let ip?): return .ipv4(host: ip, port: port)
        case (.v6, let ip?): return .ipv6(host: ip, port: port)
        default: throw RPCError(code: .invalidArgument, message: "cannot listen on \(host):\(port)")
        }
    }

    static func nioAddress(_ address: GRPCNIOTransportCore.SocketAddress) -> NIOCore.SocketAddress? {
        if let v4 = address.ipv4 { return try? NIOCore.SocketAddress(ipAddress: v4.host, port: v4.port) }
        if let v6 = address.ipv6 { return try? NIOCore.SocketAddress(ipAddress: v6.host, port: v6.port) }
        return nil
    }
}
