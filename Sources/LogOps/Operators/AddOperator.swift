import OTelModel

/// `add`: sets a field to a fixed value (string, number, bool, map or list). Expressions
/// (`EXPR(…)`) are not supported. (stanza `operators/add.md`)
public struct AddConfig: Sendable, Equatable {
    public var field: String
    public var value: AnyValue
    public var onError: OnError

    public init(field: String, value: AnyValue, onError: OnError = .send) {
        self.field = field
        self.value = value
        self.onError = onError
    }

    public func build() throws(OperatorConfigError) -> AddOperator {
        if case .string(let s) = value, s.string.hasPrefix("EXPR(") {
            throw OperatorConfigError(operatorType: "add", reason: "expressions (EXPR) are not supported")
        }
        return AddOperator(field: try parseField(field, "field", "add"), value: value, onError: onError)
    }
}

public struct AddOperator: LogOperator {
    let field: FieldPath
    let value: AnyValue
    let onError: OnError

    public var type: String { "add" }

    public func process(_ entry: inout LogEntry) throws(OperatorError) {
        do { try entry.set(field, value) } catch {
            throw OperatorError(.setFailed, operatorType: type, message: error.description, onError: onError)
        }
    }
}
