import Configuration
import Factories
import OTelModel
import PipelineCore

public struct ResourceProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "resource" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public var stability: StabilityLevel { .beta }
    public func makeConfig(_ reader: ConfigReader) -> ResourceConfig { ResourceConfig(reading: reader) }

    public func makeProcessor<D: SignalData>(config: ResourceConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        try SignalDispatch.processor(
            type, next: next,
            traces: { ResourceProcessor(actions: config.actions, next: $0) },
            metrics: { ResourceProcessor(actions: config.actions, next: $0) },
            logs: { ResourceProcessor(actions: config.actions, next: $0) })
    }
}
