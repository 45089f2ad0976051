/// The Prometheus type of a translated metric family; it decides the type suffix and the `_ratio` rule.
///
/// OTLP → Prometheus (spec "OTLP Metric points to Prometheus"): a cumulative monotonic Sum is a ``counter``;
/// a Gauge or a cumulative non-monotonic Sum is a ``gauge``, unless `Metric.metadata["prometheus.type"]`
/// says ``unknown`` (Gauge), ``info`` or ``stateset`` (non-monotonic Sum).
public enum PromMetricKind: Sendable, Hashable, CaseIterable {
    case counter
    case gauge
    case histogram
    case summary
    case info
    case stateset
    case unknown
}
