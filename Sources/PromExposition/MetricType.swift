/// The type of a metric family as declared by its `# TYPE` line.
///
/// Prometheus text 0.0.4 `untyped`, and a family without a `# TYPE` line, map to ``unknown``.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter
    case gauge
    case histogram
    case gaugehistogram
    case summary
    case info
    case stateset
    case unknown
}
