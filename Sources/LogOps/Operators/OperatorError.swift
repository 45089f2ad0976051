/// An operator failed on one entry.
///
/// Carries the failing operator's ``OnError`` so the caller knows whether to pass the entry on
/// (``dropsEntry``) and how loudly to report; ``code`` is for counting failures by cause.
public struct OperatorError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The `parse_from` (or `from`) field is absent.
        case missingField = "missing_field"
        /// The field holds a type the operator cannot parse (a map given to `json_parser`, …).
        case unsupportedType = "unsupported_type"
        /// The text does not parse (bad JSON, no regex match, bad timestamp, …).
        case parseFailed = "parse_failed"
        case invalidTraceID = "invalid_trace_id"
        case invalidSpanID = "invalid_span_id"
        case invalidTraceFlags = "invalid_trace_flags"
        /// The result could not be written (a non-map at the attributes root, …).
        case setFailed = "set_failed"
    }

    public var code: Code
    /// The operator type, e.g. `json_parser`.
    public var operatorType: String
    public var message: String
    public var onError: OnError

    public init(_ code: Code, operatorType: String, message: String, onError: OnError) {
        self.code = code
        self.operatorType = operatorType
        self.message = message
        self.onError = onError
    }

    public var dropsEntry: Bool { onError.dropsEntry }
    public var isQuiet: Bool { onError.isQuiet }

    public var description: String { "\(operatorType): \(message)" }
}

/// An operator configuration that cannot be built; found once, when the pipeline starts.
public struct OperatorConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operatorType: String
    public var reason: String

    public init(operatorType: String, reason: String) {
        self.operatorType = operatorType
        self.reason = reason
    }

    public var description: String { "\(operatorType): \(reason)" }
}
