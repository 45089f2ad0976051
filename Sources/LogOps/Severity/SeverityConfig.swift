import OTelModel

/// How to parse a severity: the `severity` block of parsers and the fields of `severity_parser`.
/// (stanza `docs/types/severity.md`)
public struct SeverityConfig: Sendable, Equatable {
    /// The field holding the severity (required).
    public var parseFrom: String
    /// `default`, `otel` (alias `aliases`) or `none`; see ``SeverityMapping``.
    public var preset: String
    /// Level name (`error`, `warn2`, `default`, …) to the values that mean it.
    public var mapping: [String: [SeverityMappingValue]]
    /// Set the severity text to the level's short name (`ERROR`, `INFO3`) instead of the value read.
    public var overwriteText: Bool

    public init(parseFrom: String, preset: String = "default", mapping: [String: [SeverityMappingValue]] = [:], overwriteText: Bool = false) {
        self.parseFrom = parseFrom
        self.preset = preset
        self.mapping = mapping
        self.overwriteText = overwriteText
    }

    func build(for operatorType: String) throws(OperatorConfigError) -> SeverityStep {
        let field: FieldPath
        do { field = try FieldPath(parsing: parseFrom) } catch {
            throw OperatorConfigError(operatorType: operatorType, reason: "severity parse_from: \(error)")
        }
        let m: SeverityMapping
        do { m = try SeverityMapping(preset: preset, mapping: mapping) } catch {
            throw OperatorConfigError(operatorType: operatorType, reason: error.reason)
        }
        return SeverityStep(parseFrom: field, mapping: m, overwriteText: overwriteText)
    }
}

/// A built ``SeverityConfig``: reads the field, maps it, sets severity number and text.
///
/// An unknown value sets number 0 (unspecified) and keeps the value as the text, like the
/// collector. Whole doubles count as integers; other doubles, maps, lists and booleans fail.
struct SeverityStep: Sendable {
    let parseFrom: FieldPath
    let mapping: SeverityMapping
    let overwriteText: Bool

    static let shortNames: [ByteString] = SeverityMapping.shortNames.map { ByteString($0) }

    func apply(_ entry: inout LogEntry) throws(StepError) {
        guard let value = entry.get(parseFrom) else {
            throw StepError(.missingField, "log entry does not have the parse_from field \(parseFrom)")
        }
        var severity: SeverityNumber
        var text: ByteString
        switch value {
        case .string(let s), .bytes(let s):
            severity = mapping.severity(text: s) ?? .unspecified
            text = s
        case .int(let n):
            severity = mapping.severity(number: n) ?? .unspecified
            text = ByteString(String(n))
        case .double(let d):
            guard d.isFinite, d == d.rounded(), abs(d) < 9.2e18 else {
                throw StepError(.unsupportedType, "\(d) cannot be a severity unless it is a whole number")
            }
            let n = Int64(d)
            severity = mapping.severity(number: n) ?? .unspecified
            text = ByteString(String(n))
        default:
            throw StepError(.unsupportedType, "a \(value.typeName) value cannot be a severity")
        }
        if overwriteText, severity != .unspecified, let i = Int(exactly: severity.rawValue), i < Self.shortNames.count {
            text = Self.shortNames[i]
        }
        entry.record.severityNumber = severity
        entry.record.severityText = text
    }
}
