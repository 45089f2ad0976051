import Logging
import NIOCore
import OTelModel

/// The running shape of a configuration: receivers → per-pipeline processor chains → exporter queues.
///
/// Built from a validated ``AgentConfig``. Receivers are shared by every pipeline that names them,
/// processors are instantiated per pipeline, and each exporter gets one queue per signal, shared by the
/// pipelines of that signal.
public final class PipelineGraph: Sendable {
    public let receivers: [(id: ComponentID, component: any Component)]
    /// Processor instances in pipeline order, so shutdown flushes upstream stages first.
    public let processors: [(id: ComponentID, component: any Component)]
    public let exporters: [(id: ComponentID, component: any Component)]
    let logger: Logger

    init(receivers: [(ComponentID, any Component)], processors: [(ComponentID, any Component)],
         exporters: [(ComponentID, any Component)], logger: Logger) {
        self.receivers = receivers.map { ($0.0, $0.1) }
        self.processors = processors.map { ($0.0, $0.1) }
        self.exporters = exporters.map { ($0.0, $0.1) }
        self.logger = logger
    }

    public static func build(
        config: AgentConfig,
        registry: ComponentRegistry,
        telemetry: SelfTelemetry,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup,
        drainTimeout: Duration = .seconds(10)
    ) throws -> PipelineGraph {
        var builder = GraphBuilder(config: config, registry: registry, telemetry: telemetry, logger: logger, group: eventLoopGroup)
        builder.drainTimeout = drainTimeout
        let traces = try builder.buildPipelines(TracesData.self)
        let metrics = try builder.buildPipelines(MetricsData.self)
        let logs = try builder.buildPipelines(LogsData.self)

        var receivers: [(ComponentID, any Component)] = []
        for (id, receiverConfig) in config.receivers {
            let named = config.pipelines.filter { $0.receivers.contains(id) }
            guard !named.isEmpty, let factory = registry.receivers[id.type] else { continue }
            func entry<D: SignalData>(_ table: [PipelineID: any Consumer<D>]) -> (any Consumer<D>)? {
                let consumers = named.filter { $0.id.signal == D.signal }.compactMap { table[$0.id] }
                switch consumers.count {
                case 0: return nil
                case 1: return consumers[0]
                default: return FanOut<D>(queues: [], others: consumers)
                }
            }
            let consumers = ReceiverConsumers(traces: entry(traces), metrics: entry(metrics), logs: entry(logs))
            let receiver = try factory.makeReceiver(config: receiverConfig, context: builder.context(id, kind: "receiver"), consumers: consumers)
            receivers.append((id, receiver))
        }
        return PipelineGraph(receivers: receivers, processors: builder.processors, exporters: builder.exporters, logger: logger)
    }

    /// Starts exporters, then processors, then receivers, so nothing is accepted before it can flow.
    /// When something fails to start, what already started is shut down and the error rethrown.
    public func start() async throws {
        var started: [any Component] = []
        do {
            for (_, c) in exporters {
                try await c.start()
                started.append(c)
            }
            for (_, c) in processors {
                try await c.start()
                started.append(c)
            }
            for (id, c) in receivers {
                do {
                    try await c.start()
                } catch {
                    throw StartError(id: id, underlying: error)
                }
                started.append(c)
            }
        } catch {
            for c in started.reversed() { await c.shutdown() }
            throw error
        }
    }

    /// What makes the agent unhealthy now (full exporter queues); empty when healthy.
    public func healthProblems() -> [String] {
        (receivers + processors + exporters).compactMap { ($0.component as? any HealthReporting)?.healthProblem }
    }

    /// Receivers stop accepting first, then processors flush in pipeline order, then exporters drain.
    public func shutdown() async {
        for (_, c) in receivers { await c.shutdown() }
        for (_, c) in processors { await c.shutdown() }
        await withTaskGroup(of: Void.self) { group in
            for (_, c) in exporters { group.addTask { await c.shutdown() } }
        }
    }
}

/// A component that could not start (for example, its address is in use).
public struct StartError: Error, CustomStringConvertible {
    public var id: ComponentID
    public var underlying: any Error
    public var description: String { "\(id) failed to start: \(underlying)" }
}

struct GraphBuilder {
    let config: AgentConfig
    let registry: ComponentRegistry
    let telemetry: SelfTelemetry
    let logger: Logger
    let group: any EventLoopGroup
    var processors: [(ComponentID, any Component)] = []
    var exporters: [(ComponentID, any Component)] = []
    let shared = SharedComponents()
    /// How long each exporter queue may take to deliver what it holds at shutdown.
    var drainTimeout: Duration = .seconds(10)

    init(config: AgentConfig, registry: ComponentRegistry, telemetry: SelfTelemetry, logger: Logger, group: any EventLoopGroup) {
        self.config = config
        self.registry = registry
        self.telemetry = telemetry
        self.logger = logger
        self.group = group
    }

    func context(_ id: ComponentID, kind: String) -> ComponentContext {
        var l = logger
        l[metadataKey: kind] = "\(id)"
        return ComponentContext(id: id, logger: l, telemetry: telemetry, eventLoopGroup: group, storages: config.storages, shared: shared)
    }

    /// Builds every pipeline of one signal and returns each pipeline's entry consumer.
    mutating func buildPipelines<D: SignalData>(_: D.Type) throws -> [PipelineID: any Consumer<D>] {
        var queues: [ComponentID: ExporterQueue<D>] = [:]
        var persistentQueues: [ComponentID: PersistentQueue<D>] = [:]
        var entries: [PipelineID: any Consumer<D>] = [:]
        for pipeline in config.pipelines where pipeline.id.signal == D.signal {
            var pipelineQueues: [ExporterQueue<D>] = []
            var pipelinePersistent: [PersistentQueue<D>] = []
            for id in pipeline.exporters {
                if let q = queues[id] {
                    pipelineQueues.append(q)
                    continue
                }
                if let p = persistentQueues[id] {
                    pipelinePersistent.append(p)
                    continue
                }
                guard let exporterConfig = config.exporters.first(where: { $0.id == id })?.config,
                      let factory = registry.exporters[id.type] else { continue }
                let ctx = context(id, kind: "exporter")
                let exporter = try factory.makeExporter(config: exporterConfig, context: ctx, signal: D.self)
                if let storageID = exporterConfig.queue.storage, exporterConfig.queue.enabled, let storage = config.storages[storageID] {
                    let (log, report) = try WriteAheadLog.open(storage.walOptions(exporter: id, signal: D.signal), logger: ctx.logger)
                    let p = PersistentQueue<D>(id: id, exporter: exporter, log: log, recovered: report, numConsumers: exporterConfig.queue.numConsumers,
                                               blockOnOverflow: exporterConfig.queue.blockOnOverflow, retry: exporterConfig.retry, telemetry: telemetry, logger: ctx.logger, drainTimeout: drainTimeout,
                                               stallTimeout: config.telemetry.exporterStallTimeout)
                    persistentQueues[id] = p
                    exporters.append((id, p))
                    pipelinePersistent.append(p)
                    continue
                }
                let q = ExporterQueue<D>(id: id, exporter: exporter, settings: exporterConfig.queue, retry: exporterConfig.retry,
                                         telemetry: telemetry, logger: ctx.logger, drainTimeout: drainTimeout,
                                         stallTimeout: config.telemetry.exporterStallTimeout)
                queues[id] = q
                exporters.append((id, q))
                pipelineQueues.append(q)
            }
            var next: any Consumer<D> = FanOut<D>(queues: pipelineQueues, persistent: pipelinePersistent)
            var chain: [(ComponentID, any Component)] = []
            for id in pipeline.processors.reversed() {
                guard let processorConfig = config.processors.first(where: { $0.id == id })?.config,
                      let factory = registry.processors[id.type] else { continue }
                var ctx = context(id, kind: "processor")
                ctx.durableDownstream = !pipelinePersistent.isEmpty
                let p = try factory.makeProcessor(config: processorConfig, context: ctx, next: next)
                chain.insert((id, p), at: 0)
                next = p
            }
            processors.append(contentsOf: chain)
            entries[pipeline.id] = next
        }
        return entries
    }
}
