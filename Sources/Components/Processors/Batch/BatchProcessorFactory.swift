import Configuration
import Factories
import PipelineCore

public struct BatchProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "batch" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public var stability: StabilityLevel { .stable }
    public func makeConfig(_ reader: ConfigReader) -> BatchConfig { BatchConfig(reading: reader) }

    public func makeProcessor<D: SignalData>(config: BatchConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        BatchProcessor<D, ContinuousClock>(id: context.id, config: config, next: next, clock: ContinuousClock(),
                                           telemetry: context.telemetry, logger: context.logger, waitForDelivery: context.durableDownstream)
    }
}
