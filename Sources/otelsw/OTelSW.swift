import ArgumentParser
import Components
import Configuration
import Foundation
import Logging
import NIOCore
import NIOPosix
import Runtime
import ServiceLifecycle
import Telemetry
import UnixSignals

let otelswVersion = "0.1.0"

/// The pipeline used when no file is given: OTLP/HTTP in, batch, debug out.
let embeddedPipeline = """
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:4318
processors:
  batch: {}
exporters:
  debug:
    verbosity: basic
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
"""

@main
struct OTelSW: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otelsw",
        abstract: "A telemetry pipeline agent: OTLP in, processing, fan-out to backends.",
        version: otelswVersion,
        subcommands: [Run.self, Validate.self, ListComponents.self],
        defaultSubcommand: Run.self
    )
}

struct PipelineOption: ParsableArguments {
    @Option(name: [.customLong("pipeline"), .customLong("config")], help: "The pipeline file (collector YAML shape). Without it, an embedded OTLP → batch → debug pipeline runs.")
    var pipeline: String?

    func load() throws(ConfigError) -> AgentConfig {
        if let pipeline {
            return try AgentConfig.load(path: pipeline, registry: Components.registry)
        }
        return try AgentConfig.parse(embeddedPipeline, file: "<embedded>", registry: Components.registry)
    }
}

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a pipeline file and report every problem as file:line:column: message.")

    @OptionGroup var options: PipelineOption

    func run() async throws {
        do {
            let config = try options.load()
            for w in config.warnings { printError(w.description) }
            print("\(options.pipeline ?? "<embedded>"): valid (\(config.pipelines.count) pipelines)")
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the agent (the default).")

    @OptionGroup var options: PipelineOption

    @Option(name: .customLong("watch"), help: "Reload when the pipeline file changes on disk (polled every second). SIGHUP and POST /-/reload reload in any case.")
    var watch: Bool = true

    func run() async throws {
        let config: AgentConfig
        do {
            config = try options.load()
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let level = Logger.Level(rawValue: config.telemetry.logLevel == "warn" ? "warning" : config.telemetry.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "otelsw")
        for w in config.warnings { logger.warning("\(w.description)") }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))
        let telemetry = SelfTelemetry(version: otelswVersion)
        let options = options
        let reloader = ConfigReloader(
            config: config, telemetry: telemetry, logger: logger,
            load: { try options.load() },
            build: { config, previous in
                try await PipelineGraph.build(config: config, telemetry: telemetry, logger: logger,
                                              eventLoopGroup: group, previous: previous)
            })
        let canReload = options.pipeline != nil
        let reloadByHTTP: (@Sendable () async -> (succeeded: Bool, json: String))?
        if canReload {
            reloadByHTTP = {
                let outcome = await reloader.reload(trigger: "http")
                return (outcome.succeeded, outcome.json)
            }
        } else {
            reloadByHTTP = nil
        }
        let telemetryServer = HostPort.parse(config.telemetry.metricsAddress).map {
            TelemetryServer(address: $0, telemetry: telemetry, group: group, logger: logger, health: { reloader.healthProblems() }, reload: reloadByHTTP)
        }
        let watcher = watch ? options.pipeline.map { ConfigWatcher(path: $0) } : nil
        let agent = AgentService(reloader: reloader, telemetryServer: telemetryServer, watcher: watcher, reloadOnHangUp: canReload, logger: logger)
        let services = ServiceGroup(configuration: .init(
            services: [.init(service: agent)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await services.run()
        } catch {
            logger.error("\(error)")
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        try await group.shutdownGracefully()
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
