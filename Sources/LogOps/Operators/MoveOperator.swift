import OTelModel

/// `move`: moves (renames) a field. (stanza `operators/move.md`)
public struct MoveConfig: Sendable, Equatable {
    public var from: String
    public var to: String
    public var onError: OnError

    public init(from: String, to: String, onError: OnError = .send) {
        self.from = from
        self.to = to
        self.onError = onError
    }

    public func build() throws(OperatorConfigError) -> MoveOperator {
        MoveOperator(from: try parseField(from, "from", "move"), to: try parseField(to, "to", "move"), onError: onError)
    }
}

public struct MoveOperator: LogOperator {
    let from: FieldPath
    let to: FieldPath
    let onError: OnError

    public var type: String { "move" }

    /// Fails, leaving the entry unchanged, when `from` is missing or the value cannot go to `to`.
    public func process(_ entry: inout LogEntry) throws(OperatorError) {
        var moved = entry
        guard let value = moved.delete(from) else {
            throw OperatorError(.missingField, operatorType: type, message: "entry has no field \(from)", onError: onError)
        }
        do { try moved.set(to, value) } catch {
            throw OperatorError(.setFailed, operatorType: type, message: error.description, onError: onError)
        }
        entry = moved
    }
}
