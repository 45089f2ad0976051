import Configuration
import Factories
import Logging
import OTelModel
import PipelineCore

public struct DebugExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "debug" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public var stability: StabilityLevel { .development }
    public func makeConfig(_ reader: ConfigReader) -> DebugExporterConfig { DebugExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: DebugExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        DebugExporter<D>(verbosity: config.verbosity,
                         sampling: LogSampling(initial: config.samplingInitial, thereafter: config.samplingThereafter, clock: ContinuousClock()),
                         logger: context.logger)
    }
}
