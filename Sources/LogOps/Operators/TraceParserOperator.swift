import OTelModel

/// `trace_parser`: sets trace id, span id and flags from fields. (stanza `operators/trace_parser.md`)
public struct TraceParserConfig: Sendable, Equatable {
    public var trace: TraceConfig
    public var onError: OnError

    public init(_ trace: TraceConfig = TraceConfig(), onError: OnError = .send) {
        self.trace = trace
        self.onError = onError
    }

    public func build() throws(OperatorConfigError) -> TraceParserOperator {
        TraceParserOperator(step: try trace.build(for: "trace_parser"), onError: onError)
    }
}

public struct TraceParserOperator: LogOperator {
    let step: TraceStep
    let onError: OnError

    public var type: String { "trace_parser" }

    public func process(_ entry: inout LogEntry) throws(OperatorError) {
        do { try step.apply(&entry) } catch { throw error.tagged(type, onError) }
    }
}
