import Configuration
import Factories
import Logging
import NIOCore
import PipelineCore
import ServiceLifecycle
import Telemetry
import UnixSignals

/// The agent as one service: starts the telemetry server and the pipeline graph, reloads the
/// pipeline file when asked (SIGHUP, a change on disk, `POST /-/reload`), and on graceful shutdown
/// stops receivers, flushes processors and drains exporters, in that order.
public final class AgentService: Service {
    public let reloader: ConfigReloader
    public let telemetryServer: TelemetryServer?
    /// Polls the pipeline file for changes; nil when watching is off or there is no file.
    let watcher: ConfigWatcher?
    /// Reload on SIGHUP.
    let reloadOnHangUp: Bool
    let logger: Logger

    public init(reloader: ConfigReloader, telemetryServer: TelemetryServer?, watcher: ConfigWatcher?, reloadOnHangUp: Bool, logger: Logger) {
        self.reloader = reloader
        self.telemetryServer = telemetryServer
        self.watcher = watcher
        self.reloadOnHangUp = reloadOnHangUp
        self.logger = logger
    }

    public func run() async throws {
        // Trapped before anything starts: a SIGHUP during a long start must not end the process.
        let hangUps = reloadOnHangUp ? await UnixSignalsSequence(trapping: .sighup) : nil
        try await telemetryServer?.start()
        do {
            try await reloader.start()
        } catch {
            await telemetryServer?.shutdown()
            throw error
        }
        logger.info("otelsw is running", metadata: ["metrics": "\(telemetryServer?.localAddress.map { "\($0)" } ?? "off")"])
        let reloader = reloader
        let triggers = Task {
            await withTaskGroup(of: Void.self) { group in
                if let watcher {
                    let sha1 = await reloader.config.sha1
                    group.addTask {
                        await watcher.run(knownSHA1: sha1) { digest in
                            // Already running when another trigger loaded this content.
                            guard await reloader.config.sha1 != digest else { return }
                            await reloader.reload(trigger: "file")
                        }
                    }
                }
                if let hangUps {
                    group.addTask {
                        for await _ in hangUps {
                            await reloader.reload(trigger: "sighup")
                        }
                    }
                }
            }
        }
        try? await gracefulShutdown()
        triggers.cancel()
        logger.info("shutting down: stopping receivers, flushing processors, draining exporters")
        await reloader.shutdown()
        await telemetryServer?.shutdown()
        logger.info("stopped")
    }
}
