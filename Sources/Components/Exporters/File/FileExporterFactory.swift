import Configuration
import Factories
import Foundation
import OTelModel
import PipelineCore

public struct FileExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "file" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public var stability: StabilityLevel { .alpha }
    public func makeConfig(_ reader: ConfigReader) -> FileExporterConfig { FileExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: FileExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        let c = config
        return FileExporter<D>(sink: try FileSink.shared(path: c.path))
    }
}
