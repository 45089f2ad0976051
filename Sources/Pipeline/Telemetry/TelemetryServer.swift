import Logging
import NIOCore
import NIOHTTP1

/// Serves the agent's own `/metrics` (Prometheus text format 0.0.4) and `/healthz`.
///
/// `/healthz` answers 200 `ok`, or 503 listing what is wrong (for example a full exporter queue), so
/// an orchestrator sees data not flowing, not only a live process.
public final class TelemetryServer: Component {
    let server: HTTPServer

    public init(address: HostPort, telemetry: SelfTelemetry, group: any EventLoopGroup, logger: Logger,
                health: @escaping @Sendable () -> [String] = { [] }) {
        server = HTTPServer(host: address.host, port: address.port, group: group, maxBodySize: 64 << 10, logger: logger) { request in
            switch (request.method, request.path) {
            case (.GET, "/metrics"):
                var body = ByteBuffer()
                body.writeBytes(telemetry.render())
                return HTTPServerResponse(status: .ok, headers: ["content-type": "text/plain; version=0.0.4; charset=utf-8"], body: body)
            case (.GET, "/healthz"), (.GET, "/"):
                let problems = health()
                return problems.isEmpty ? .text(.ok, "ok\n") : .text(.serviceUnavailable, problems.joined(separator: "\n") + "\n")
            case (_, "/metrics"), (_, "/healthz"):
                return .text(.methodNotAllowed, "use GET\n")
            default:
                return .text(.notFound, "not found; try /metrics or /healthz\n")
            }
        }
    }

    public var localAddress: SocketAddress? { server.localAddress }
    public func start() async throws { try await server.start() }
    public func shutdown() async { await server.shutdown() }
}
