import Configuration
import Factories
import Foundation
import Logging
import PipelineCore
import Prometheus
import Synchronization
import Telemetry

/// Runs the agent's graph and replaces it with the graph of a newly loaded pipeline file.
///
/// A reload loads and validates the file with the same strict loader as at start; on any error the
/// running graph is left untouched, and every error is logged as `file:line:column: message` and
/// counted. Otherwise the new graph is built from the running one (unchanged parts are taken over)
/// and swapped in by ``PipelineGraph/apply(replacing:)``. Reloads run one at a time, and at most
/// one waits: a request that comes while one is waiting joins it (that reload reads the file after
/// the request came, so it applies what the request asked for), so a burst of requests costs two
/// reloads at most and cannot queue without bound.
public actor ConfigReloader {
    /// What one reload did.
    public struct Outcome: Sendable {
        public var trigger: String
        /// Why the reload was refused; empty when it succeeded.
        public var errors: [String]
        public var change: GraphChange?
        /// The digest of the file now running.
        public var sha1: String
        /// From the trigger to the new graph in place.
        public var duration: Duration
        public var succeeded: Bool { errors.isEmpty }

        /// The outcome as a JSON object, for `POST /-/reload`.
        public var json: String {
            var object: [String: Any] = ["result": succeeded ? "success" : "failure", "trigger": trigger, "sha1": sha1,
                                         "duration_seconds": duration.seconds]
            if succeeded, let change {
                object["started"] = change.startedIDs
                object["stopped"] = change.stoppedIDs
                object["kept"] = change.kept
            } else {
                object["errors"] = errors
            }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    public typealias Loader = @Sendable () throws -> AgentConfig
    public typealias Builder = @Sendable (_ config: AgentConfig, _ previous: PipelineGraph?) async throws -> PipelineGraph

    private let load: Loader
    private let build: Builder
    private let logger: Logger
    private let counters: ConfigCounters
    private let clock = ContinuousClock()
    public private(set) var config: AgentConfig
    private var graph: PipelineGraph?
    private let running = RunningGraph()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var stopped = false
    /// The reload waiting for its turn, which later requests join.
    private var next: Task<Outcome, Never>?
    /// Requests waiting for the reload that waits for its turn (the one that made it included).
    public private(set) var waitingRequests = 0

    /// `config` is the file as loaded at start; `load` loads it again (strictly), `build` builds a
    /// graph from a config and the graph it replaces.
    public init(config: AgentConfig, telemetry: SelfTelemetry, logger: Logger, load: @escaping Loader, build: @escaping Builder) {
        self.config = config
        self.load = load
        self.build = build
        self.logger = logger
        counters = ConfigCounters(telemetry: telemetry)
    }

    /// The graph running now (nil before ``start()`` and after ``shutdown()``).
    public nonisolated var current: PipelineGraph? { running.graph }

    /// What makes the running graph unhealthy; empty when healthy.
    public nonisolated func healthProblems() -> [String] { running.graph?.healthProblems() ?? [] }

    /// Builds and starts the graph of the config given at init.
    public func start() async throws {
        let g = try await build(config, nil)
        try await g.start()
        graph = g
        running.graph = g
        counters.running(sha1: config.sha1)
    }

    /// Loads the file again and swaps in its graph; see the type's comment.
    @discardableResult
    public func reload(trigger: String) async -> Outcome {
        let task: Task<Outcome, Never>
        if let next {
            task = next
        } else {
            task = Task { await self.runReload(trigger: trigger, requested: clock.now) }
            next = task
        }
        waitingRequests += 1
        return await task.value
    }

    private func runReload(trigger: String, requested begin: ContinuousClock.Instant) async -> Outcome {
        await acquire()
        // Started: a request from now on waits for a reload of its own.
        next = nil
        waitingRequests = 0
        defer { release() }
        func failure(_ errors: [String]) -> Outcome {
            counters.failed.increment()
            for e in errors { logger.error("reload (\(trigger)) refused: \(e)") }
            logger.error("reload (\(trigger)) failed; the running pipelines are unchanged", metadata: ["errors": "\(errors.count)", "sha1": "\(config.sha1)"])
            return Outcome(trigger: trigger, errors: errors, change: nil, sha1: config.sha1, duration: begin.duration(to: clock.now))
        }
        guard !stopped, let old = graph else { return failure(["the agent is shutting down"]) }
        var new: AgentConfig
        do {
            new = try load()
        } catch let error as ConfigError {
            return failure(error.diagnostics.filter { $0.severity == .error }.map(\.description))
        } catch {
            return failure(["\(error)"])
        }
        for w in new.warnings { logger.warning("\(w.description)") }
        if new.telemetry != config.telemetry {
            logger.warning("service.telemetry changed; it takes effect when the agent restarts")
            new.telemetry = config.telemetry
        }
        let change: GraphChange
        let next: PipelineGraph
        do {
            next = try await build(new, old)
            change = try await next.apply(replacing: old)
        } catch {
            return failure(["\(error)"])
        }
        graph = next
        running.graph = next
        config = new
        let duration = begin.duration(to: clock.now)
        counters.succeeded.increment()
        counters.running(sha1: new.sha1)
        counters.lastDuration.set(duration.seconds)
        counters.started.set(Double(change.started))
        counters.stopped.set(Double(change.stopped))
        counters.kept.set(Double(change.kept))
        logger.info("reloaded the pipeline file", metadata: [
            "trigger": "\(trigger)", "sha1": "\(new.sha1)", "duration": "\(duration)",
            "started": "\(change.started)", "stopped": "\(change.stopped)", "kept": "\(change.kept)",
            "changes": "\((change.startedIDs.map { "+" + $0 } + change.stoppedIDs.map { "-" + $0 }).joined(separator: "; "))",
        ])
        return Outcome(trigger: trigger, errors: [], change: change, sha1: new.sha1, duration: duration)
    }

    /// Waits for a reload in progress, then shuts the graph down; later reloads are refused.
    public func shutdown() async {
        await acquire()
        defer { release() }
        stopped = true
        await graph?.shutdown()
        graph = nil
        running.graph = nil
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// The running graph, readable from any thread (health checks).
final class RunningGraph: Sendable {
    private let value = Mutex<PipelineGraph?>(nil)
    var graph: PipelineGraph? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
