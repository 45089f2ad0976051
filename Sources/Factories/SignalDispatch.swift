import OTelModel
import PipelineCore

/// Builds a component whose implementation is written per signal (a logs-only processor, a
/// metrics-only exporter) for a graph that builds generically over the signal.
///
/// The loader refuses a component in a pipeline of a signal its factory does not declare, at the
/// pipeline's line; so a missing builder here means a factory that declares a signal it cannot
/// build, and is reported as a permanent error rather than a crash.
public enum SignalDispatch {
    public static func processor<D: SignalData>(
        _ type: String, next: any Consumer<D>,
        traces: ((any Consumer<TracesData>) throws -> any Processor<TracesData>)? = nil,
        metrics: ((any Consumer<MetricsData>) throws -> any Processor<MetricsData>)? = nil,
        logs: ((any Consumer<LogsData>) throws -> any Processor<LogsData>)? = nil
    ) throws -> any Processor<D> {
        let built: (any Sendable)? = switch D.signal {
        case .traces: try traces.flatMap { build in try (next as? any Consumer<TracesData>).map(build) }
        case .metrics: try metrics.flatMap { build in try (next as? any Consumer<MetricsData>).map(build) }
        case .logs: try logs.flatMap { build in try (next as? any Consumer<LogsData>).map(build) }
        }
        guard let processor = built as? any Processor<D> else { throw unsupported(type, D.signal) }
        return processor
    }

    public static func exporter<D: SignalData>(
        _ type: String, signal: D.Type,
        traces: (() throws -> any Exporter<TracesData>)? = nil,
        metrics: (() throws -> any Exporter<MetricsData>)? = nil,
        logs: (() throws -> any Exporter<LogsData>)? = nil
    ) throws -> any Exporter<D> {
        let built: (any Sendable)? = switch D.signal {
        case .traces: try traces?()
        case .metrics: try metrics?()
        case .logs: try logs?()
        }
        guard let exporter = built as? any Exporter<D> else { throw unsupported(type, D.signal) }
        return exporter
    }

    private static func unsupported(_ type: String, _ signal: Signal) -> ConsumerError {
        .permanent("\(type) does not support \(signal.rawValue)")
    }
}
