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
