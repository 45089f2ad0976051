/// Any operator's configuration, tagged by its `type`, as a pipeline lists them.
public enum OperatorConfig: Sendable, Equatable {
    case jsonParser(JSONParserConfig)
    case regexParser(RegexParserConfig)
    case severityParser(SeverityParserConfig)
    case timeParser(TimeParserConfig)
    case traceParser(TraceParserConfig)
    case move(MoveConfig)
    case add(AddConfig)
    case remove(RemoveConfig)

    /// The `type` name in configuration.
    public var type: String {
        switch self {
        case .jsonParser: "json_parser"
        case .regexParser: "regex_parser"
        case .severityParser: "severity_parser"
        case .timeParser: "time_parser"
        case .traceParser: "trace_parser"
        case .move: "move"
        case .add: "add"
        case .remove: "remove"
        }
    }

    public func build() throws(OperatorConfigError) -> any LogOperator {
        switch self {
        case .jsonParser(let c): try c.build()
        case .regexParser(let c): try c.build()
        case .severityParser(let c): try c.build()
        case .timeParser(let c): try c.build()
        case .traceParser(let c): try c.build()
        case .move(let c): try c.build()
        case .add(let c): try c.build()
        case .remove(let c): try c.build()
        }
    }
}

extension OperatorSequence {
    /// Builds every operator; the first configuration error stops it.
    public init(building configs: [OperatorConfig]) throws(OperatorConfigError) {
        var ops: [any LogOperator] = []
        for c in configs { ops.append(try c.build()) }
        self.init(ops)
    }
}
