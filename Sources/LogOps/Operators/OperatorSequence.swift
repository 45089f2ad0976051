/// Operators run one after another on each entry, with `on_error` applied between them.
public struct OperatorSequence: Sendable {
    public var operators: [any LogOperator]

    public init(_ operators: [any LogOperator]) {
        self.operators = operators
    }

    /// Runs every operator on `entry` and returns false when one of them drops it. Each error,
    /// kept or dropped, is passed to `report`.
    public func process(_ entry: inout LogEntry, report: (OperatorError) -> Void = { _ in }) -> Bool {
        for op in operators {
            do {
                try op.process(&entry)
            } catch {
                report(error)
                if error.dropsEntry { return false }
            }
        }
        return true
    }
}
