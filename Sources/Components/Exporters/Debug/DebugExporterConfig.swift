import Configuration
import Factories
import Logging
import OTelModel
import PipelineCore

/// `debug` exporter: logs what passes, at `verbosity` basic (counts), normal (one line per item)
/// or detailed (the OTLP/JSON of each request).
public struct DebugExporterConfig: ExporterConfig {
    public var verbosity = "basic"
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    init(reading r: ConfigReader) {
        verbosity = r.choice("verbosity", ["basic", "normal", "detailed"], default: verbosity)
        _ = r.int("sampling_initial", default: 2, min: 0)
        _ = r.int("sampling_thereafter", default: 1, min: 0)
        queue = QueueSettings(reading: r.section("sending_queue"))
        retry = RetrySettings(reading: r.section("retry_on_failure"))
    }
}
