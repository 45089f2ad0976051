import Configuration
import Factories
import OTelModel
import PipelineCore

public struct AttributesProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "attributes" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public var stability: StabilityLevel { .beta }
    public func makeConfig(_ reader: ConfigReader) -> AttributesConfig { AttributesConfig(reading: reader) }

    public func makeProcessor<D: SignalData>(config: AttributesConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        try SignalDispatch.processor(
            type, next: next,
            traces: { AttributesProcessor(config: config, next: $0) },
            metrics: { AttributesProcessor(config: config, next: $0) },
            logs: { AttributesProcessor(config: config, next: $0) })
    }
}
