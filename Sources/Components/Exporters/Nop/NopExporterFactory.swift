import Configuration
import Factories
import OTelModel
import PipelineCore

public struct NopExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "nop" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public var stability: StabilityLevel { .development }
    public func makeConfig(_ reader: ConfigReader) -> NopExporterConfig { NopExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: NopExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        NopExporter<D>()
    }
}
