import Configuration
import Factories
import Foundation
import OTelModel
import PipelineCore

/// `file` exporter settings: OTLP/JSON, one request per line, appended to `path`.
public struct FileExporterConfig: ExporterConfig {
    public var path = ""
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    init(reading r: ConfigReader) {
        path = r.string("path")
        if path.isEmpty { r.error("'path' is required", key: "path") }
        _ = r.choice("format", ["json"], default: "json")
        if r.has("rotation") {
            r.error("'rotation' is not supported yet", key: "rotation")
            _ = r.raw("rotation")
        }
        queue = QueueSettings(reading: r.section("sending_queue"))
        retry = RetrySettings(reading: r.section("retry_on_failure"))
    }
}
