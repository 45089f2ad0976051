/// An OpenMetrics exemplar attached to a counter `_total` or histogram `_bucket` sample.
public struct Exemplar: Sendable, Equatable {
    /// The exemplar's label set in exposition order (at most 128 code points of names and values).
    public var labels: [Label]
    public var value: Double
    /// The exemplar timestamp in seconds since the Unix epoch, if given.
    public var timestamp: Double?

    public init(labels: [Label], value: Double, timestamp: Double? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}
