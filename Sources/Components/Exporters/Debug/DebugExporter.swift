import Configuration
import Factories
import Logging
import OTelModel
import PipelineCore

final class DebugExporter<D: SignalData>: Exporter {
    typealias Data = D
    let verbosity: String
    let logger: Logger
    let sampling: LogSampling<ContinuousClock>

    init(verbosity: String, sampling: LogSampling<ContinuousClock>, logger: Logger) {
        self.verbosity = verbosity
        self.sampling = sampling
        self.logger = logger
    }

    func start() async throws {}
    func shutdown() async {}

    func export(_ data: D) async throws {
        guard sampling.admit() else { return }
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
