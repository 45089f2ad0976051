import Configuration
import Factories
import LogOps
import OTelModel
import PipelineCore
import Prometheus
import Telemetry

public struct TraceContextProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "trace_context" }
    public var signals: Set<Signal> { [.logs] }
    public var stability: StabilityLevel { .alpha }
    public func makeConfig(_ reader: ConfigReader) -> TraceContextConfig { TraceContextConfig(reading: reader) }

    public func makeProcessor<D: SignalData>(config: TraceContextConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        try SignalDispatch.processor(type, next: next, logs: { TraceContextProcessor(config: config, context: context, next: $0) })
    }
}
