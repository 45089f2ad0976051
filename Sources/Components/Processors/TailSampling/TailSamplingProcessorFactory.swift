import Configuration
import Factories
import OTelModel
import PipelineCore
import TailSampling

public struct TailSamplingProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "tail_sampling" }
    public var signals: Set<Signal> { [.traces, .logs] }
    public var stability: StabilityLevel { .beta }
    public func makeConfig(_ reader: ConfigReader) -> TailSamplingConfig { TailSamplingConfig(reading: reader) }

    /// One sampler per id in a graph: a logs pipeline that lists the same id as a traces pipeline
    /// shares its decisions. A reload that leaves the id's settings unchanged carries the sampler
    /// (and the traces waiting in it) into the new graph.
    public func makeProcessor<D: SignalData>(config: TailSamplingConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        let hub = try context.shared.value(for: context.id) {
            try TailSamplingHub(id: context.id, config: config, telemetry: context.telemetry, logger: context.logger)
        }
        let graph = context.shared.generation
        try hub.attach(next, graph: graph)
        return TailSamplingProcessor<D>(hub: hub, graph: graph)
    }
}
