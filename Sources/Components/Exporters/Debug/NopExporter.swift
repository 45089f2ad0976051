import Configuration
import Factories
import OTelModel
import PipelineCore

/// `nop` exporter: takes everything and sends it nowhere (for benchmarks and for pipelines that
/// only need their receivers' side effects).
public struct NopExporterConfig: ExporterConfig {
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    init(reading r: ConfigReader) {
        queue.enabled = false
    }
}

public struct NopExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "nop" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ExporterConfig { NopExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: any ExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        NopExporter<D>()
    }
}

struct NopExporter<D: SignalData>: Exporter {
    typealias Data = D
    func start() async throws {}
    func shutdown() async {}
    func export(_ data: D) async throws {}
}
