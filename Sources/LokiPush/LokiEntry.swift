/// One log line of a Loki stream (`EntryAdapter` in `logproto`).
public struct LokiEntry: Sendable, Equatable {
    /// Unix epoch time in nanoseconds; negative values are times before 1970.
    public var timestampNanos: Int64
    public var line: String
    /// Structured metadata: not indexed, queryable with `| name="value"`.
    public var structuredMetadata: [LokiLabel]

    public init(timestampNanos: Int64, line: String, structuredMetadata: [LokiLabel] = []) {
        self.timestampNanos = timestampNanos
        self.line = line
        self.structuredMetadata = structuredMetadata
    }
}
