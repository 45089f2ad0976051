import OTelModel

/// `severity_parser`: sets severity number and text from a field. (stanza `operators/severity_parser.md`)
public struct SeverityParserConfig: Sendable, Equatable {
    public var severity: SeverityConfig
    public var onError: OnError

    public init(_ severity: SeverityConfig, onError: OnError = .send) {
        self.severity = severity
        self.onError = onError
    }

    public func build() throws(OperatorConfigError) -> SeverityParserOperator {
        SeverityParserOperator(step: try severity.build(for: "severity_parser"), onError: onError)
    }
}

public struct SeverityParserOperator: LogOperator {
    let step: SeverityStep
    let onError: OnError

    public var type: String { "severity_parser" }

    public func process(_ entry: inout LogEntry) throws(OperatorError) {
        do { try step.apply(&entry) } catch { throw error.tagged(type, onError) }
    }
}
