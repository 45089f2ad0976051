/// A malformed OTLP/JSON payload: what was wrong and at which byte offset.
///
/// Thrown by the `init(json:)` initialisers of ``TracesData``, ``MetricsData`` and ``LogsData`` for
/// invalid JSON (RFC 8259), invalid UTF-8, nesting deeper than 64 levels, and values that do not fit
/// their OTLP field (bad hex ids, out-of-range integers, bad base64). (otlp.md §5)
public struct JSONDecodingError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    /// Offset of the offending byte in the input.
    public var offset: Int

    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "malformed OTLP/JSON at byte \(offset): \(reason)" }
}
