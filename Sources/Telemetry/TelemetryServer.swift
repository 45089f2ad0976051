import Configuration
import Logging
import NIOCore
import NIOHTTP1
import PipelineCore
import Transport

/// Serves the agent's own `/metrics` (Prometheus text format 0.0.4), `/healthz` and `POST /-/reload`.
///
/// `/healthz` answers 200 `ok`, or 503 listing what is wrong (for example a full exporter queue), so
/// an orchestrator sees data not flowing, not only a live process. `POST /-/reload` reloads the
/// pipeline file and answers 200 with a JSON summary of what changed, or 400 with the errors.
public final class TelemetryServer: Component {
    let server: HTTPServer

    public init(address: HostPort, telemetry: SelfTelemetry, group: any EventLoopGroup, logger: Logger,
                health: @escaping @Sendable () -> [String] = { [] },
                reload: (@Sendable () async -> (succeeded: Bool, json: String))? = nil) {
        server = HTTPServer(host: address.host, port: address.port, group: group, maxBodySize: 64 << 10, logger: logger) { request in
            switch (request.method, request.path) {
            case (.GET, "/metrics"):
                var body = ByteBuffer()
                body.writeBytes(telemetry.render())
                return HTTPServerResponse(status: .ok, headers: ["content-type": "text/plain; version=0.0.4; charset=utf-8"], body: body)
            case (.GET, "/healthz"), (.GET, "/"):
                let problems = health()
                return problems.isEmpty ? .text(.ok, "ok\n") : .text(.serviceUnavailable, problems.joined(separator: "\n") + "\n")
            case (.POST, "/-/reload"):
                guard let reload else { return .text(.notFound, "reloading is not available: the agent runs without a pipeline file\n") }
                guard Self.isLoopback(request.remoteAddress) else {
                    return .text(.forbidden, "POST /-/reload is answered on loopback only; use SIGHUP or change the file\n")
                }
                let (succeeded, json) = await reload()
                var body = ByteBuffer()
                body.writeString(json)
                return HTTPServerResponse(status: succeeded ? .ok : .badRequest, headers: ["content-type": "application/json"], body: body)
            case (_, "/-/reload"):
                return .text(.methodNotAllowed, "use POST\n")
            case (_, "/metrics"), (_, "/healthz"):
                return .text(.methodNotAllowed, "use GET\n")
            default:
                return .text(.notFound, "not found; try /metrics, /healthz or POST /-/reload\n")
            }
        }
    }

    /// Whether a client connected from this host (127.0.0.0/8, ::1, or IPv4-mapped loopback):
    /// only such a client may trigger a reload, whatever address the server listens on.
    public static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        if ip.hasPrefix("127.") || ip == "::1" { return true }
        return ip.lowercased().hasPrefix("::ffff:127.")
    }

    public var localAddress: SocketAddress? { server.localAddress }
    public func start() async throws { try await server.start() }
    public func shutdown() async { await server.shutdown() }
}
