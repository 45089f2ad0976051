import Components
import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import NIOPosix
import OTelModel
import OTelTestSupport
import Runtime
import Telemetry

/// An agent built from YAML text, running in-process on 127.0.0.1 with port 0 everywhere.
public final class TestAgent: Sendable {
    public let graph: PipelineGraph
    public let telemetry: SelfTelemetry
    public let telemetryServer: TelemetryServer
    public let group: MultiThreadedEventLoopGroup

    /// `registry` defaults to the real one; tests swap in factories built with fakes.
    public init(yaml: String, environment: [String: String] = [:], telemetryPort: Int = 0, registry: ComponentRegistry = Components.registry) async throws {
        let config = try AgentConfig.parse(yaml, file: "test.yaml", registry: registry, environment: environment)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        telemetry = SelfTelemetry(version: "test")
        var logger = Logger(label: "test-agent")
        logger.logLevel = .warning
        graph = try await PipelineGraph.build(config: config, telemetry: telemetry, logger: logger, eventLoopGroup: group, drainTimeout: .milliseconds(500))
        let graph = graph
        telemetryServer = TelemetryServer(address: HostPort(host: "127.0.0.1", port: telemetryPort), telemetry: telemetry, group: group, logger: logger,
                                          health: { graph.healthProblems() })
        try await telemetryServer.start()
        try await graph.start()
    }

    public var otlpReceiver: OTLPReceiver { graph.receivers.compactMap { $0.component as? OTLPReceiver }.first! }
    public var httpPort: Int { otlpReceiver.httpAddress!.port! }
    public var grpcPort: Int { otlpReceiver.grpcAddress!.port! }
    public var metricsPort: Int { telemetryServer.localAddress!.port! }

    public func stop() async {
        await graph.shutdown()
        await telemetryServer.shutdown()
        try? await group.shutdownGracefully()
    }

    /// A sample from the agent's registry directly (works after `stop`).
    public func renderedMetric(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        PrometheusText.value(in: String(decoding: telemetry.render(), as: UTF8.self), name: name, labels: labels)
    }

    /// The sum of every sample of `name` whose labels include `labels`, from the registry directly;
    /// 0 when there is none.
    public func renderedTotal(_ name: String, _ labels: [String: String] = [:]) -> Double {
        PrometheusText.total(in: String(decoding: telemetry.render(), as: UTF8.self), name: name, labels: labels)
    }

    /// The sum of every sample of `name` whose labels include `labels` on /metrics, read over HTTP.
    public func total(_ name: String, _ labels: [String: String] = [:]) async throws -> Double {
        let text = try await HTTPTestClient.get(port: metricsPort, path: "/metrics").bodyString
        return PrometheusText.total(in: text, name: name, labels: labels)
    }

    /// The value of one sample on /metrics, read over HTTP; nil when absent.
    public func metric(_ name: String, _ labels: [String: String] = [:]) async throws -> Double? {
        let text = try await HTTPTestClient.get(port: metricsPort, path: "/metrics").bodyString
        return PrometheusText.value(in: text, name: name, labels: labels)
    }
}

