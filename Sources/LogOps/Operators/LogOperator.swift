/// One stage of a log pipeline, like a stanza operator: it changes an entry in place.
///
/// When it fails it throws an ``OperatorError`` that carries the operator's `on_error` setting, and
/// leaves the entry as it should travel on if the setting is `send`: unchanged when the main work
/// failed, or with whatever succeeded when only an embedded step (`timestamp`, `severity`, `trace`)
/// failed, as the collector does. Use ``OperatorSequence`` to run several and apply `on_error`.
public protocol LogOperator: Sendable {
    /// The operator type, as in configuration (`json_parser`, `move`, …).
    var type: String { get }
    func process(_ entry: inout LogEntry) throws(OperatorError)
}

/// What to do with an entry an operator failed on. (stanza `docs/types/on_error.md`)
public enum OnError: String, Sendable, Hashable, CaseIterable {
    /// Pass the entry on; report the error.
    case send
    /// Pass the entry on; report at debug level only.
    case sendQuiet = "send_quiet"
    /// Drop the entry; report the error.
    case drop
    /// Drop the entry; report at debug level only.
    case dropQuiet = "drop_quiet"

    public var dropsEntry: Bool { self == .drop || self == .dropQuiet }
    public var isQuiet: Bool { self == .sendQuiet || self == .dropQuiet }
}
