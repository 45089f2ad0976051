import Foundation
import OTelModel
import RE2

/// `regex_parser`: matches a string against a regular expression and turns its named capture
/// groups into a map; a group that did not take part in the match gives an empty string, as in the
/// collector. (stanza `operators/regex_parser.md`)
///
/// The pattern is RE2, as in the Collector (``RE2Regex``): groups are named `(?P<name>…)` or
/// `(?<name>…)`, with letters, digits and `_`. The pattern must have at least one named group.
public struct RegexParserConfig: Sendable, Equatable {
    public var regex: String
    public var parseFrom: String
    public var parseTo: String
    public var onError: OnError
    public var timestamp: TimestampConfig?
    public var severity: SeverityConfig?
    public var trace: TraceConfig?

    public init(
        regex: String, parseFrom: String = "body", parseTo: String = "attributes", onError: OnError = .send,
        timestamp: TimestampConfig? = nil, severity: SeverityConfig? = nil, trace: TraceConfig? = nil
    ) {
        self.regex = regex
        self.parseFrom = parseFrom
        self.parseTo = parseTo
        self.onError = onError
        self.timestamp = timestamp
        self.severity = severity
        self.trace = trace
    }

    public func build() throws(OperatorConfigError) -> RegexParserOperator {
        func fail(_ reason: String) -> OperatorConfigError { OperatorConfigError(operatorType: "regex_parser", reason: reason) }
        let compiled: RE2Regex
        do { compiled = try RE2Regex(regex) } catch { throw fail("invalid regular expression \(regex): \(error.message)") }
        guard !compiled.namedGroups.isEmpty else { throw fail("regex has no named capture groups") }
        let core = try ParserCore(
            type: "regex_parser", parseFrom: parseFrom, parseTo: parseTo, onError: onError,
            timestamp: timestamp, severity: severity, trace: trace)
        return RegexParserOperator(core: core, regex: compiled, groups: compiled.namedGroups.map { ($0.index, ByteString($0.name)) })
    }
}

public struct RegexParserOperator: LogOperator {
    let core: ParserCore
    let regex: RE2Regex
    /// Capture group numbers and the keys they become.
    let groups: [(index: Int, key: ByteString)]

    public var type: String { "regex_parser" }

    public func process(_ entry: inout LogEntry) throws(OperatorError) {
        let text = try core.text(of: entry).string
        guard let captured = regex.groups(text) else {
            throw OperatorError(.parseFailed, operatorType: type, message: "regex pattern does not match", onError: core.onError)
        }
        var members: [KeyValue] = []
        members.reserveCapacity(groups.count)
        for (index, key) in groups {
            let value = captured[index].map { ByteString($0) } ?? ByteString.empty
            members.append(KeyValue(key: key, value: .string(value)))
        }
        JSONCursor.removeDuplicateKeys(&members)
        try core.finish(&entry, parsed: consume members)
    }
}
