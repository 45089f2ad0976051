import Configuration
import Factories
import Logging
import OTelModel
import PipelineCore

/// `debug` exporter: logs what passes, at `verbosity` basic (counts), normal (one line per item)
/// or detailed (the OTLP/JSON of each request). In each second the first `sampling_initial`
/// requests are logged, then every `sampling_thereafter`-th (0: none more), as in the Collector.
public struct DebugExporterConfig: ExporterConfig {
    public var verbosity = "basic"
    public var samplingInitial = 2
    public var samplingThereafter = 1
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    init(reading r: ConfigReader) {
        verbosity = r.choice("verbosity", ["basic", "normal", "detailed"], default: verbosity)
        samplingInitial = r.int("sampling_initial", default: samplingInitial, min: 0)
        samplingThereafter = r.int("sampling_thereafter", default: samplingThereafter, min: 0)
        queue = QueueSettings(reading: r.section("sending_queue"))
        retry = RetrySettings(reading: r.section("retry_on_failure"))
    }
}
