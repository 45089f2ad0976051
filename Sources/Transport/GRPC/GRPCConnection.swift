import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix

/// The gRPC client the exporters use: HTTP/2 plaintext to `host:port` (resolved by DNS), with
/// large frames and windows for OTLP-sized requests, and gzip/deflate usable per call and accepted
/// in responses. `authority` overrides the `:authority` header when not empty.
public enum GRPCConnection {
    public static func client(host: String, port: Int, authority: String = "", group: any EventLoopGroup) throws -> GRPCClient<HTTP2ClientTransport.Posix> {
        let config = HTTP2ClientTransport.Posix.Config.defaults { c in
            c.http2.maxFrameSize = 1 << 20
            c.http2.targetWindowSize = 16 << 20
            // Per-call compression is only honoured for algorithms enabled here.
            c.compression = .init(algorithm: .none, enabledAlgorithms: [.gzip, .deflate])
            if !authority.isEmpty { c.http2.authority = authority }
        }
        let group = group as? MultiThreadedEventLoopGroup ?? .singletonMultiThreadedEventLoopGroup
        let transport = try HTTP2ClientTransport.Posix(target: .dns(host: host, port: port), transportSecurity: .plaintext,
                                                       config: config, eventLoopGroup: group)
        return GRPCClient(transport: transport)
    }
}
