import OTelModel

/// `time_parser`: sets the record's timestamp from a field. (stanza `operators/time_parser.md`)
public struct TimeParserConfig: Sendable, Equatable {
    public var timestamp: TimestampConfig
    public var onError: OnError

    public init(_ timestamp: TimestampConfig, onError: OnError = .send) {
        self.timestamp = timestamp
        self.onError = onError
    }

    public func build() throws(OperatorConfigError) -> TimeParserOperator {
        TimeParserOperator(step: try timestamp.build(for: "time_parser"), onError: onError)
    }

    /// Builds with a fixed clock, for layouts without a year in tests.
    func build(now: @escaping @Sendable () -> Int64) throws(OperatorConfigError) -> TimeParserOperator {
        TimeParserOperator(step: try timestamp.build(for: "time_parser", now: now), onError: onError)
    }
}

public struct TimeParserOperator: LogOperator {
    let step: TimestampStep
    let onError: OnError

    public var type: String { "time_parser" }

    public func process(_ entry: inout LogEntry) throws(OperatorError) {
        do { try step.apply(&entry) } catch { throw error.tagged(type, onError) }
    }
}
