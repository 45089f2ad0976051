/// A metric family: the metadata shared by a contiguous group of samples.
public struct Family: Sendable, Hashable {
    /// The family name from the metadata lines, or the sample name for a family that has none.
    ///
    /// In OpenMetrics this is the base name (`foo` for `foo_total`).
    public var name: String
    /// The declared type; ``MetricType/unknown`` without a `# TYPE` line.
    public var type: MetricType
    /// The unescaped `# HELP` text, or `nil` when absent or empty.
    public var help: String?
    /// The `# UNIT` word (OpenMetrics only), or `nil` when absent or empty.
    public var unit: String?

    public init(name: String, type: MetricType, help: String? = nil, unit: String? = nil) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
    }
}
