import OTelModel
import Pipeline
import TailSampling

public struct TailSamplingProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "tail_sampling" }
    public var signals: Set<Signal> { [.traces, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ComponentConfig { TailSamplingConfig(reading: reader) }

    /// One sampler per id in a graph: a logs pipeline that lists the same id as a traces pipeline
    /// shares its decisions.
    public func makeProcessor<D: SignalData>(config: any ComponentConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        let config = config as! TailSamplingConfig
        let hub = try context.shared.value(for: context.id) {
            try TailSamplingHub(id: context.id, config: config, telemetry: context.telemetry, logger: context.logger)
        }
        try hub.attach(next)
        return TailSamplingProcessor<D>(hub: hub)
    }
}

/// A pipeline's door into its ``TailSamplingHub``.
struct TailSamplingProcessor<D: SignalData>: Processor {
    typealias Data = D
    let hub: TailSamplingHub

    func start() async throws { await hub.start() }
    func shutdown() async { await hub.stop(D.signal) }

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
