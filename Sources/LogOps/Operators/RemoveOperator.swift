import OTelModel

/// `remove`: deletes a field; `attributes` or `resource` alone removes all of them. A missing
/// field is not an error. (stanza `operators/remove.md`)
public struct RemoveConfig: Sendable, Equatable {
    public var field: String
    public var onError: OnError

    public init(field: String, onError: OnError = .send) {
        self.field = field
        self.onError = onError
    }

    public func build() throws(OperatorConfigError) -> RemoveOperator {
        RemoveOperator(field: try parseField(field, "field", "remove"), onError: onError)
    }
}

public struct RemoveOperator: LogOperator {
    let field: FieldPath
    let onError: OnError

    public var type: String { "remove" }

    public func process(_ entry: inout LogEntry) throws(OperatorError) {
        entry.delete(field)
    }
}
