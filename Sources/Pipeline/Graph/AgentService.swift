import Logging
import NIOCore
import ServiceLifecycle

/// The agent as one service: starts the telemetry server and the pipeline graph, and on graceful
/// shutdown stops receivers, flushes processors and drains exporters, in that order.
public final class AgentService: Service {
    public let graph: PipelineGraph
    public let telemetryServer: TelemetryServer?
    let logger: Logger

    public init(graph: PipelineGraph, telemetryServer: TelemetryServer?, logger: Logger) {
        self.graph = graph
        self.telemetryServer = telemetryServer
        self.logger = logger
    }

    public func run() async throws {
        try await telemetryServer?.start()
        do {
            try await graph.start()
        } catch {
            await telemetryServer?.shutdown()
            throw error
        }
        logger.info("otelsw is running", metadata: ["metrics": "\(telemetryServer?.localAddress.map { "\($0)" } ?? "off")"])
        try? await gracefulShutdown()
        logger.info("shutting down: stopping receivers, flushing processors, draining exporters")
        await graph.shutdown()
        await telemetryServer?.shutdown()
        logger.info("stopped")
    }
}
