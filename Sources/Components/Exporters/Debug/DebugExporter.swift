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

public struct DebugExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "debug" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ExporterConfig { DebugExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: any ExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        DebugExporter<D>(verbosity: (config as! DebugExporterConfig).verbosity, logger: context.logger)
    }
}

final class DebugExporter<D: SignalData>: Exporter {
    typealias Data = D
    let verbosity: String
    let logger: Logger

    init(verbosity: String, logger: Logger) {
        self.verbosity = verbosity
        self.logger = logger
    }

    func start() async throws {}
    func shutdown() async {}

    func export(_ data: D) async throws {
        logger.info("\(D.signal.rawValue)", metadata: [D.signal.itemName: "\(data.itemCount)"])
        switch verbosity {
        case "detailed":
            logger.info("\(String(decoding: data.jsonBytes(), as: UTF8.self))")
        case "normal":
            if let traces = data as? TracesData {
                for rs in traces.resourceSpans { for ss in rs.scopeSpans { for s in ss.spans {
                    logger.info("span \(s.name) trace_id=\(s.traceID) span_id=\(s.spanID)")
                } } }
            } else if let logs = data as? LogsData {
                for rl in logs.resourceLogs { for sl in rl.scopeLogs { for l in sl.logRecords {
                    logger.info("log severity=\(l.severityNumber.rawValue) trace_id=\(l.traceID)")
                } } }
            } else if let metrics = data as? MetricsData {
                for rm in metrics.resourceMetrics { for sm in rm.scopeMetrics { for m in sm.metrics {
                    logger.info("metric \(m.name) points=\(m.data.dataPointCount)")
                } } }
            }
        default: break
        }
    }
}
