import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import OTelModel
import PipelineCore
import Queueing
import Telemetry

/// The running shape of a configuration: receivers → per-pipeline processor chains → exporter queues.
///
/// Built from a validated ``AgentConfig``. Receivers are shared by every pipeline that names them,
/// processors are instantiated per pipeline, and each exporter gets one queue per signal, shared by the
/// pipelines of that signal.
///
/// A graph can be built from the one running before it (a reload): every part whose settings did not
/// change is taken over as it runs (see ``GraphParts``), and ``apply(replacing:)`` swaps the two.
public final class PipelineGraph: Sendable {
    let receiverSlots: [ReceiverSlot]
    let chains: [ChainSlot]
    let exporterSlots: [ExporterSlot]
    /// Queues of the previous graph already closed while this one was built (persistent queues
    /// whose files the new queue opens).
    let closedEarly: Set<ObjectIdentifier>
    /// Re-points the parts taken over from the previous graph at this graph's parts.
    let rewiring: [@Sendable () async -> Void]
    /// State shared by processor ids, and the settings of each processor id, for the next reload.
    let shared: SharedComponents
    let processorFingerprints: [ComponentID: String]
    let logger: Logger

    public var receivers: [(id: ComponentID, component: any Component)] { receiverSlots.map { ($0.id, $0.component) } }
    /// Processor instances in pipeline order, so shutdown flushes upstream stages first.
    public var processors: [(id: ComponentID, component: any Component)] { chains.flatMap(\.processors) }
    public var exporters: [(id: ComponentID, component: any Component)] { exporterSlots.map { ($0.id, $0.component) } }

    init(receivers: [ReceiverSlot], chains: [ChainSlot], exporters: [ExporterSlot], closedEarly: Set<ObjectIdentifier> = [], rewiring: [@Sendable () async -> Void],
         shared: SharedComponents, processorFingerprints: [ComponentID: String], logger: Logger) {
        receiverSlots = receivers
        self.closedEarly = closedEarly
        self.chains = chains
        exporterSlots = exporters
        self.rewiring = rewiring
        self.shared = shared
        self.processorFingerprints = processorFingerprints
        self.logger = logger
    }

    /// Builds the graph of `config`. With `previous`, the parts of that (running) graph whose
    /// settings are unchanged are taken over instead of built.
    public static func build(
        config: AgentConfig,
        telemetry: SelfTelemetry,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup,
        drainTimeout: Duration = .seconds(10),
        previous: PipelineGraph? = nil
    ) async throws -> PipelineGraph {
        var builder = GraphBuilder(config: config, telemetry: telemetry, logger: logger, group: eventLoopGroup, previous: previous)
        builder.drainTimeout = drainTimeout
        let traces = try await builder.buildPipelines(TracesData.self)
        let metrics = try await builder.buildPipelines(MetricsData.self)
        let logs = try await builder.buildPipelines(LogsData.self)
        try builder.buildReceivers(traces: traces, metrics: metrics, logs: logs)
        return PipelineGraph(receivers: builder.receivers, chains: builder.chains, exporters: builder.exporters, closedEarly: builder.closedEarly, rewiring: builder.rewiring,
                             shared: builder.shared, processorFingerprints: config.fingerprints.processors, logger: logger)
    }

    /// Starts exporters, then processors, then receivers, so nothing is accepted before it can flow.
    /// When something fails to start, what already started is shut down and the error rethrown.
    public func start() async throws {
        _ = try await apply(replacing: nil)
    }

    /// Puts this graph in the place of `previous` (running) without losing data:
    ///
    /// 1. the parts new in this graph start: exporters, processors, then receivers (a receiver that
    ///    replaces one on the same address binds after the old one let go of it);
    /// 2. state carried over (a tail sampler whose settings did not change) is taken over by the
    ///    new parts, then the parts taken over are re-pointed at this graph's parts, each switch
    ///    waiting for the calls already on their way through the old target;
    /// 3. the parts of `previous` that are not in this graph stop in flow order: receivers stop
    ///    accepting, processors flush downstream, exporters deliver (or keep on disk) what they hold.
    ///
    /// When a new part fails to start, the new parts started so far are shut down, `previous` keeps
    /// running as it was, and the error is rethrown.
    public func apply(replacing previous: PipelineGraph?) async throws -> GraphChange {
        let oldReceivers = Set((previous?.receiverSlots ?? []).map(ObjectIdentifier.init))
        let oldChains = Set((previous?.chains ?? []).map(ObjectIdentifier.init))
        let oldExporters = Set((previous?.exporterSlots ?? []).map(ObjectIdentifier.init))
        let newExporters = exporterSlots.filter { !oldExporters.contains(ObjectIdentifier($0)) }
        let newChains = chains.filter { !oldChains.contains(ObjectIdentifier($0)) }
        let newReceivers = receiverSlots.filter { !oldReceivers.contains(ObjectIdentifier($0)) }
        let keptReceivers = Set(receiverSlots.map(ObjectIdentifier.init))
        let keptChains = Set(chains.map(ObjectIdentifier.init))
        let keptExporters = Set(exporterSlots.map(ObjectIdentifier.init))
        let replacedReceivers = (previous?.receiverSlots ?? []).filter { !keptReceivers.contains(ObjectIdentifier($0)) }
        var goneReceivers = replacedReceivers
        let goneChains = (previous?.chains ?? []).filter { !keptChains.contains(ObjectIdentifier($0)) }
        let goneExporters = (previous?.exporterSlots ?? []).filter { !keptExporters.contains(ObjectIdentifier($0)) }
        let exportersToStop = goneExporters.filter { !closedEarly.contains(ObjectIdentifier($0)) }

        var started: [any Component] = []
        do {
            for slot in newExporters {
                try await slot.component.start()
                started.append(slot.component)
            }
            for chain in newChains {
                for (_, c) in chain.processors {
                    try await c.start()
                    started.append(c)
                }
            }
            for slot in newReceivers {
                if !(slot.component is any ListensOnAddress), let old = goneReceivers.firstIndex(where: { $0.id == slot.id }) {
                    // Tailing or scraping: the old one stops first (and saves its checkpoints), so that
                    // the two never do the same work.
                    await goneReceivers[old].component.shutdown()
                    goneReceivers.remove(at: old)
                }
                do {
                    try await slot.component.start()
                } catch {
                    // The receiver it replaces may hold the address: let that one go, then bind.
                    guard Self.isAddressInUse(error), let old = goneReceivers.firstIndex(where: { $0.id == slot.id }) else {
                        throw StartError(id: slot.id, underlying: error)
                    }
                    logger.info("binding after the receiver it replaces stops", metadata: ["receiver": "\(slot.id)", "first_attempt": "\(error)"])
                    await goneReceivers[old].component.shutdown()
                    goneReceivers.remove(at: old)
                    do {
                        try await slot.component.start()
                    } catch {
                        throw StartError(id: slot.id, underlying: error)
                    }
                }
                started.append(slot.component)
            }
        } catch {
            for c in started.reversed() { await c.shutdown() }
            throw error
        }
        for chain in newChains {
            for (_, c) in chain.processors { await (c as? any StateTakeover)?.takeOver() }
        }
        for rewire in rewiring { await rewire() }
        for slot in goneReceivers { await slot.component.shutdown() }
        for chain in goneChains {
            for (_, c) in chain.processors { await c.shutdown() }
        }
        await withTaskGroup(of: Void.self) { group in
            for slot in exportersToStop { group.addTask { await slot.component.shutdown() } }
        }
        let startedIDs = Self.ids(newReceivers, newChains, newExporters)
        let stoppedIDs = Self.ids(replacedReceivers, goneChains, goneExporters)
        let all = receiverSlots.count + chains.reduce(0) { $0 + $1.processors.count } + exporterSlots.count
        return GraphChange(startedIDs: startedIDs, stoppedIDs: stoppedIDs, kept: all - startedIDs.count)
    }

    static func isAddressInUse(_ error: any Error) -> Bool {
        if let io = error as? IOError, io.errnoCode == EADDRINUSE { return true }
        return "\(error)".contains("Address already in use")
    }

    private static func ids(_ receivers: [ReceiverSlot], _ chains: [ChainSlot], _ exporters: [ExporterSlot]) -> [String] {
        var out: [String] = receivers.map { "receiver \($0.id)" }
        for chain in chains { out += chain.processors.map { "processor \($0.id) in \(chain.id)" } }
        out += exporters.map { "exporter \($0.id) (\($0.signal.rawValue))" }
        return out
    }

    /// What makes the agent unhealthy now (full exporter queues); empty when healthy.
    public func healthProblems() -> [String] {
        (receivers + processors + exporters).compactMap { ($0.component as? any HealthReporting)?.healthProblem }
    }

    /// Receivers stop accepting first, then processors flush in pipeline order, then exporters drain.
    public func shutdown() async {
        for slot in receiverSlots { await slot.component.shutdown() }
        for chain in chains {
            for (_, c) in chain.processors { await c.shutdown() }
        }
        await withTaskGroup(of: Void.self) { group in
            for slot in exporterSlots { group.addTask { await slot.component.shutdown() } }
        }
    }
}

/// What ``PipelineGraph/apply(replacing:)`` did: components started, stopped and kept running.
public struct GraphChange: Sendable, Equatable {
    public var startedIDs: [String]
    public var stoppedIDs: [String]
    public var kept: Int
    public var started: Int { startedIDs.count }
    public var stopped: Int { stoppedIDs.count }
}

/// A component that could not start (for example, its address is in use).
public struct StartError: Error, CustomStringConvertible {
    public var id: ComponentID
    public var underlying: any Error
    public var description: String { "\(id) failed to start: \(underlying)" }
}

/// A receiver and the switchable doors it sends through, one per signal it supports.
final class ReceiverSlot: Sendable {
    let id: ComponentID
    let component: any Component
    /// Its settings (and its storage's): a receiver is taken over when they are the same.
    let fingerprint: String
    let traces: SwitchableConsumer<TracesData>?
    let metrics: SwitchableConsumer<MetricsData>?
    let logs: SwitchableConsumer<LogsData>?

    init(id: ComponentID, component: any Component, fingerprint: String,
         traces: SwitchableConsumer<TracesData>?, metrics: SwitchableConsumer<MetricsData>?, logs: SwitchableConsumer<LogsData>?) {
        self.id = id
        self.component = component
        self.fingerprint = fingerprint
        self.traces = traces
        self.metrics = metrics
        self.logs = logs
    }
}

/// One pipeline's processors, built together; the last one sends through a switchable door to the
/// pipeline's exporters, so a chain can be taken over when only the exporters change.
final class ChainSlot: Sendable {
    let id: PipelineID
    let processors: [(id: ComponentID, component: any Component)]
    /// The processors' settings in order, and whether the pipeline writes to a persistent queue.
    let fingerprint: String
    /// The chain's entry (`any Consumer<D>`) and its door to the exporters (`SwitchableConsumer<D>`).
    let entry: any Sendable
    let exit: any Sendable

    init(id: PipelineID, processors: [(id: ComponentID, component: any Component)], fingerprint: String, entry: any Sendable, exit: any Sendable) {
        self.id = id
        self.processors = processors
        self.fingerprint = fingerprint
        self.entry = entry
        self.exit = exit
    }
}

/// One exporter's queue for one signal.
final class ExporterSlot: Sendable {
    let id: ComponentID
    let signal: Signal
    /// The exporter's settings and those of the storage its queue keeps on.
    let fingerprint: String
    /// The exporter's ``SendingQueue`` for the signal.
    let component: any Component

    init(id: ComponentID, signal: Signal, fingerprint: String, component: any Component) {
        self.id = id
        self.signal = signal
        self.fingerprint = fingerprint
        self.component = component
    }
}

struct GraphBuilder {
    let config: AgentConfig
    let telemetry: SelfTelemetry
    let logger: Logger
    let group: any EventLoopGroup
    let previous: PipelineGraph?
    var receivers: [ReceiverSlot] = []
    var chains: [ChainSlot] = []
    var exporters: [ExporterSlot] = []
    var rewiring: [@Sendable () async -> Void] = []
    var closedEarly: Set<ObjectIdentifier> = []
    /// State shared by the instances of one id in the chains built here. (Chains that share an id
    /// are built or taken over together, so a chain taken over keeps the state it had.) A processor
    /// id whose settings did not change carries its state over from the previous graph: a rebuilt
    /// chain attaches to the tail sampler that holds the traces waiting for a decision.
    let shared: SharedComponents
    /// How long each exporter queue may take to deliver what it holds at shutdown.
    var drainTimeout: Duration = .seconds(10)
    /// Pipelines whose chain is rebuilt although its own settings did not change: they share a
    /// processor id with a pipeline that is rebuilt (a tail sampler feeding traces and logs).
    private var rebuilt: Set<PipelineID> = []

    init(config: AgentConfig, telemetry: SelfTelemetry, logger: Logger, group: any EventLoopGroup, previous: PipelineGraph?) {
        self.config = config
        self.telemetry = telemetry
        self.logger = logger
        self.group = group
        self.previous = previous
        rebuilt = Self.chainsToRebuild(config: config, previous: previous)
        if let previous {
            // Only state that a chain of the previous graph used: a component taken out of every
            // pipeline stopped with its chain and starts afresh when a pipeline lists it again.
            let used = Set(previous.chains.flatMap { $0.processors.map(\.id) })
            let unchanged = Set(config.fingerprints.processors.filter { previous.processorFingerprints[$0.key] == $0.value && used.contains($0.key) }.keys)
            shared = SharedComponents(carrying: unchanged, from: previous.shared)
        } else {
            shared = SharedComponents()
        }
    }

    func context(_ id: ComponentID, kind: String) -> ComponentContext {
        var l = logger
        l[metadataKey: kind] = "\(id)"
        return ComponentContext(id: id, logger: l, telemetry: telemetry, eventLoopGroup: group, storages: config.storages, shared: shared)
    }

    static func exporterFingerprint(_ id: ComponentID, config: AgentConfig) -> String {
        var text = config.fingerprints.exporters[id] ?? ""
        if let exporterConfig = config.exporters.first(where: { $0.id == id })?.config,
           let storage = exporterConfig.queue.storage, exporterConfig.queue.enabled {
            text += " storage " + (config.fingerprints.storages[storage] ?? "")
        }
        return text
    }

    static func chainFingerprint(_ pipeline: PipelineSpec, config: AgentConfig) -> String {
        let persistent = pipeline.exporters.contains { id in
            guard let q = config.exporters.first(where: { $0.id == id })?.config.queue else { return false }
            return q.enabled && q.storage.map { config.storages[$0] != nil } == true
        }
        return pipeline.processors.map { "\($0) \(config.fingerprints.processors[$0] ?? "")" }.joined(separator: " | ") + (persistent ? " durable" : "")
    }

    /// The pipelines whose chain cannot be taken over: new, or changed, or sharing a processor id
    /// with one of those or with a chain that goes away (state shared by an id belongs to all of
    /// the chains that list it, so they are rebuilt together).
    static func chainsToRebuild(config: AgentConfig, previous: PipelineGraph?) -> Set<PipelineID> {
        var rebuild: Set<PipelineID> = []
        for pipeline in config.pipelines {
            let old = previous?.chains.first { $0.id == pipeline.id }
            if old == nil || old!.fingerprint != chainFingerprint(pipeline, config: config) { rebuild.insert(pipeline.id) }
        }
        // Only ids with state shared between pipelines tie chains together (a `batch` listed in
        // every pipeline is one instance per pipeline, and ties nothing).
        let sharing = previous?.shared.ids ?? []
        var tainted = Set(config.pipelines.filter { rebuild.contains($0.id) }.flatMap(\.processors)).intersection(sharing)
        for old in previous?.chains ?? [] where !config.pipelines.contains(where: { $0.id == old.id }) {
            tainted.formUnion(Set(old.processors.map(\.id)).intersection(sharing))
        }
        var changed = true
        while changed {
            changed = false
            for pipeline in config.pipelines where !rebuild.contains(pipeline.id) && pipeline.processors.contains(where: tainted.contains) {
                rebuild.insert(pipeline.id)
                tainted.formUnion(Set(pipeline.processors).intersection(sharing))
                changed = true
            }
        }
        return rebuild
    }

    /// Builds (or takes over) every pipeline of one signal and returns each pipeline's entry consumer.
    mutating func buildPipelines<D: SignalData>(_: D.Type) async throws -> [PipelineID: any Consumer<D>] {
        var queues: [ComponentID: any SendingQueue<D>] = [:]
        var entries: [PipelineID: any Consumer<D>] = [:]
        for pipeline in config.pipelines where pipeline.id.signal == D.signal {
            var pipelineQueues: [any SendingQueue<D>] = []
            for id in pipeline.exporters {
                if let q = queues[id] {
                    pipelineQueues.append(q)
                    continue
                }
                let fingerprint = Self.exporterFingerprint(id, config: config)
                if let old = previous?.exporterSlots.first(where: { $0.id == id && $0.signal == D.signal }),
                   let queue = old.component as? any SendingQueue<D> {
                    if old.fingerprint == fingerprint {
                        exporters.append(old)
                        queues[id] = queue
                        pipelineQueues.append(queue)
                        continue
                    }
                    if queue.admission == .write {
                        // Its log on disk is opened by the new queue: the old one closes it first,
                        // keeping what it holds there (refusing, retryably, in the meantime).
                        logger.info("closing the persistent queue before reopening it with new settings", metadata: ["exporter": "\(id)"])
                        await old.component.shutdown()
                        closedEarly.insert(ObjectIdentifier(old))
                    }
                }
                guard let configured = config.exporters.first(where: { $0.id == id }) else { continue }
                let exporterConfig = configured.config
                let ctx = context(id, kind: "exporter")
                let exporter = try configured.makeExporter(context: ctx, signal: D.self)
                let queue: any SendingQueue<D>
                if let storageID = exporterConfig.queue.storage, exporterConfig.queue.enabled, let storage = config.storages[storageID] {
                    let (log, report) = try WriteAheadLog.open(storage.walOptions(exporter: id, signal: D.signal), logger: ctx.logger)
                    queue = PersistentQueue<D>(id: id, exporter: exporter, log: log, recovered: report, numConsumers: exporterConfig.queue.numConsumers,
                                               blockOnOverflow: exporterConfig.queue.blockOnOverflow, retry: exporterConfig.retry, telemetry: telemetry,
                                               logger: ctx.logger, drainTimeout: drainTimeout, stallTimeout: config.telemetry.exporterStallTimeout)
                } else {
                    queue = ExporterQueue<D>(id: id, exporter: exporter, settings: exporterConfig.queue, retry: exporterConfig.retry,
                                             telemetry: telemetry, logger: ctx.logger, drainTimeout: drainTimeout,
                                             stallTimeout: config.telemetry.exporterStallTimeout)
                }
                queues[id] = queue
                exporters.append(ExporterSlot(id: id, signal: D.signal, fingerprint: fingerprint, component: queue))
                pipelineQueues.append(queue)
            }
            let fanOut = FanOut<D>(queues: pipelineQueues)
            if !rebuilt.contains(pipeline.id), let old = previous?.chains.first(where: { $0.id == pipeline.id }),
               let exit = old.exit as? SwitchableConsumer<D>, let entry = old.entry as? any Consumer<D> {
                chains.append(old)
                rewiring.append { await exit.replace(with: fanOut) }
                entries[pipeline.id] = entry
                continue
            }
            let exit = SwitchableConsumer<D>(fanOut)
            var next: any Consumer<D> = exit
            var chain: [(ComponentID, any Component)] = []
            for id in pipeline.processors.reversed() {
                guard let configured = config.processors.first(where: { $0.id == id }) else { continue }
                var ctx = context(id, kind: "processor")
                ctx.durableDownstream = pipelineQueues.contains { $0.admission == .write }
                let p = try configured.makeProcessor(context: ctx, next: next)
                chain.insert((id, p), at: 0)
                next = p
            }
            chains.append(ChainSlot(id: pipeline.id, processors: chain.map { ($0.0, $0.1) }, fingerprint: Self.chainFingerprint(pipeline, config: config), entry: next, exit: exit))
            entries[pipeline.id] = next
        }
        return entries
    }

    /// Builds (or takes over and re-points) every receiver that some pipeline names.
    mutating func buildReceivers(traces: [PipelineID: any Consumer<TracesData>], metrics: [PipelineID: any Consumer<MetricsData>],
                                 logs: [PipelineID: any Consumer<LogsData>]) throws {
        for configured in config.receivers {
            let id = configured.id
            let named = config.pipelines.filter { $0.receivers.contains(id) }
            guard !named.isEmpty else { continue }
            func entry<D: SignalData>(_ table: [PipelineID: any Consumer<D>]) -> (any Consumer<D>)? {
                let consumers = named.filter { $0.id.signal == D.signal }.compactMap { table[$0.id] }
                switch consumers.count {
                case 0: return nil
                case 1: return consumers[0]
                default: return FanOut<D>(queues: [], others: consumers)
                }
            }
            let targets = (traces: entry(traces), metrics: entry(metrics), logs: entry(logs))
            // The pipelines it feeds are not part of it: a receiver is re-pointed when they change.
            var fingerprint = config.fingerprints.receivers[id] ?? ""
            if let storage = (configured.config as? any StorageReferencing)?.storageReference?.id {
                fingerprint += " storage " + (config.fingerprints.storages[storage] ?? "")
            }
            if let old = previous?.receiverSlots.first(where: { $0.id == id }), old.fingerprint == fingerprint {
                receivers.append(old)
                if let sw = old.traces { rewiring.append { await sw.replace(with: targets.traces) } }
                if let sw = old.metrics { rewiring.append { await sw.replace(with: targets.metrics) } }
                if let sw = old.logs { rewiring.append { await sw.replace(with: targets.logs) } }
                continue
            }
            // A door for every signal the receiver supports, connected or not, so that a reload can
            // connect a signal without restarting the receiver.
            let signals = configured.signals
            let doors = (traces: signals.contains(.traces) ? SwitchableConsumer(targets.traces) : nil,
                         metrics: signals.contains(.metrics) ? SwitchableConsumer(targets.metrics) : nil,
                         logs: signals.contains(.logs) ? SwitchableConsumer(targets.logs) : nil)
            let consumers = ReceiverConsumers(traces: doors.traces, metrics: doors.metrics, logs: doors.logs)
            let receiver = try configured.makeReceiver(context: context(id, kind: "receiver"), consumers: consumers)
            receivers.append(ReceiverSlot(id: id, component: receiver, fingerprint: fingerprint, traces: doors.traces, metrics: doors.metrics, logs: doors.logs))
        }
    }
}
