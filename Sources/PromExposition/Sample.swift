/// One sample line of an exposition.
public struct Sample: Sendable {
    /// Index into ``Exposition/families`` of the family this sample belongs to.
    public var family: Int
    /// The full sample name as written, e.g. `foo_bucket`, `foo_total` or `foo_created`.
    public var name: String
    /// The sample's labels in exposition order, values unescaped.
    public var labels: [Label]
    /// The parsed value. `NaN` is the ordinary quiet NaN; it is never the staleness marker.
    public var value: Double
    /// The explicit timestamp in milliseconds since the Unix epoch, if the line has one.
    ///
    /// Prometheus text carries integer milliseconds; OpenMetrics carries float seconds, converted
    /// exactly from the decimal text and truncated toward zero to whole milliseconds.
    public var timestampMs: Int64?
    /// The exemplar on this line (OpenMetrics only).
    public var exemplar: Exemplar?
}

extension Sample {
    /// Creates a sample without timestamp and exemplar; set those through their properties.
    ///
    /// (The full memberwise initializer stays internal: it is the one the parser's hot path uses.)
    public init(family: Int, name: String, labels: [Label], value: Double) {
        self.init(family: family, name: name, labels: labels, value: value, timestampMs: nil, exemplar: nil)
    }
}
