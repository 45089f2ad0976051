import Configuration
import Factories
import OTelModel
import PipelineCore
import TailSampling

public struct TailSamplingProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "tail_sampling" }
    public var signals: Set<Signal> { [.traces, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ComponentConfig { TailSamplingConfig(reading: reader) }

    /// One sampler per id in a graph: a logs pipeline that lists the same id as a traces pipeline
    /// shares its decisions. A reload that leaves the id's settings unchanged carries the sampler
    /// (and the traces waiting in it) into the new graph.
    public func makeProcessor<D: SignalData>(config: any ComponentConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        let config = config as! TailSamplingConfig
        let hub = try context.shared.value(for: context.id) {
            try TailSamplingHub(id: context.id, config: config, telemetry: context.telemetry, logger: context.logger)
        }
        let graph = context.shared.generation
        try hub.attach(next, graph: graph)
        return TailSamplingProcessor<D>(hub: hub, graph: graph)
    }
}

/// A pipeline's door into its ``TailSamplingHub``.
struct TailSamplingProcessor<D: SignalData>: Processor, StateTakeover {
    typealias Data = D
    let hub: TailSamplingHub
    /// The generation of the graph this pipeline belongs to.
    let graph: UInt64

    func start() async throws { await hub.start(D.signal) }
    func takeOver() async { hub.takeOver(graph: graph) }
    func shutdown() async { await hub.stop(D.signal, graph: graph) }

    func consume(_ data: D) async throws {
        if let traces = data as? TracesData {
            try await hub.consume(traces)
        } else if let logs = data as? LogsData {
            try await hub.consume(logs)
        } else {
            throw ConsumerError.permanent("tail_sampling works on traces and logs")
        }
    }
}
