/// The entries of one label set (`StreamAdapter` in `logproto`).
public struct LokiStream: Sendable, Equatable {
    /// Index labels, sorted by name (byte order) with unique names. The encoders sort a copy when
    /// they are not sorted; duplicate names are sent as they are (Loki rejects them with 400).
    public var labels: [LokiLabel]
    public var entries: [LokiEntry]

    /// Creates a stream; `labels` may come in any order and are sorted by name here. Of duplicate
    /// names the last one wins.
    public init(labels: [LokiLabel], entries: [LokiEntry] = []) {
        self.labels = LokiLabels.canonical(labels)
        self.entries = entries
    }
}
