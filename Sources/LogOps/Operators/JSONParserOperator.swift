import OTelModel

/// `json_parser`: parses a JSON object string into a map. (stanza `operators/json_parser.md`)
public struct JSONParserConfig: Sendable, Equatable {
    public var parseFrom: String
    public var parseTo: String
    public var onError: OnError
    public var timestamp: TimestampConfig?
    public var severity: SeverityConfig?
    public var trace: TraceConfig?
    /// Deepest nesting accepted (an extension; the collector has no limit).
    public var maxDepth: Int

    public init(
        parseFrom: String = "body", parseTo: String = "attributes", onError: OnError = .send,
        timestamp: TimestampConfig? = nil, severity: SeverityConfig? = nil, trace: TraceConfig? = nil,
        maxDepth: Int = 64
    ) {
        self.parseFrom = parseFrom
        self.parseTo = parseTo
        self.onError = onError
        self.timestamp = timestamp
        self.severity = severity
        self.trace = trace
        self.maxDepth = maxDepth
    }

    public func build() throws(OperatorConfigError) -> JSONParserOperator {
        guard maxDepth >= 1 else { throw OperatorConfigError(operatorType: "json_parser", reason: "max_depth must be at least 1") }
        let core = try ParserCore(
            type: "json_parser", parseFrom: parseFrom, parseTo: parseTo, onError: onError,
            timestamp: timestamp, severity: severity, trace: trace)
        return JSONParserOperator(core: core, parser: JSONObjectParser(maxDepth: maxDepth))
    }
}

public struct JSONParserOperator: LogOperator {
    let core: ParserCore
    let parser: JSONObjectParser

    public var type: String { "json_parser" }

    public func process(_ entry: inout LogEntry) throws(OperatorError) {
        let text = try core.text(of: entry)
        // With `parse_to: attributes` the parsed members land behind the existing attributes in
        // one new array.
        let merging = core.parsesToAttributes
        let members: [KeyValue]
        do {
            members = try parser.parse(text, prefix: merging ? entry.record.attributes.list : [])
        } catch {
            throw OperatorError(.parseFailed, operatorType: type, message: error.description, onError: core.onError)
        }
        if merging {
            entry.record.attributes = Attributes(consume members)
            try core.runSteps(&entry)
        } else {
            try core.finish(&entry, parsed: consume members)
        }
    }
}
