import Configuration
import OTelModel
import PipelineCore

/// One entry of `actions:` in the `attributes` and `resource` processors, checked and compiled.
/// (Collector: `internal/coreinternal/attraction`)
struct AttributeAction: Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case insert, update, upsert, delete, hash, extract, convert
    }

    /// Where `insert`, `update` and `upsert` take the value from.
    enum Source: Sendable {
        case value(AnyValue)
        case attribute(ByteString)
        case context(ContextKey)
    }

    /// A `from_context` key: `metadata.<name>` (or a bare `<name>`), or `client.address`.
    enum ContextKey: Sendable, Equatable {
        case metadata(String)
        case clientAddress
    }

    enum Conversion: String, CaseIterable, Sendable {
        case int, double, string
    }

    var kind: Kind
    var key: ByteString?
    /// `delete`, `hash`: also every key this matches; `extract`: the pattern whose named groups become attributes.
    var pattern: ConfigRegex?
    var source: Source?
    /// `default_value`: used when the source gives nothing.
    var defaultValue: AnyValue?
    var conversion: Conversion?

    init(kind: Kind, key: ByteString? = nil, pattern: ConfigRegex? = nil, source: Source? = nil, defaultValue: AnyValue? = nil,
         conversion: Conversion? = nil) {
        self.kind = kind
        self.key = key
        self.pattern = pattern
        self.source = source
        self.defaultValue = defaultValue
        self.conversion = conversion
    }

    /// Reads one action, reporting what is wrong with it; nil when it cannot be used.
    init?(reading a: ConfigReader) {
        defer { a.finish() }
        let actionText = a.optionalString("action")
        let keyText = a.optionalString("key").flatMap { $0.isEmpty ? nil : $0 }
        let patternText = a.optionalString("pattern").flatMap { $0.isEmpty ? nil : $0 }
        let value = a.raw("value").flatMap(AnyValue.init(yaml:))
        let fromAttribute = a.optionalString("from_attribute").flatMap { $0.isEmpty ? nil : $0 }
        let fromContext = a.optionalString("from_context").flatMap { $0.isEmpty ? nil : $0 }
        let defaultValue = a.raw("default_value").flatMap(AnyValue.init(yaml:))
        let convertedType = a.optionalString("converted_type").flatMap { $0.isEmpty ? nil : $0 }

        guard let actionText else {
            a.error("'action' is required: one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        guard let kind = Kind(rawValue: actionText.lowercased()) else {
            a.error("unknown action '\(actionText)' (valid: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))", key: "action")
            return nil
        }
        self.kind = kind
        key = keyText.map { ByteString($0) }
        self.defaultValue = nil
        var valid = true
        func reject(_ field: String, _ why: String) {
            a.error("action '\(kind.rawValue)' does not use '\(field)'\(why)", key: field)
            valid = false
        }
        let sources = [("value", value != nil), ("from_attribute", fromAttribute != nil), ("from_context", fromContext != nil)]
            .filter(\.1).map(\.0)

        switch kind {
        case .delete, .hash:
            if keyText == nil && patternText == nil {
                a.error("action '\(kind.rawValue)' needs 'key' or 'pattern' (or both)")
                valid = false
            }
            for field in sources + (defaultValue != nil ? ["default_value"] : []) { reject(field, "") }
        case .insert, .update, .upsert:
            if keyText == nil { a.error("action '\(kind.rawValue)' needs 'key'"); valid = false }
            if sources.count > 1 {
                a.error("action '\(kind.rawValue)' takes one of 'value', 'from_attribute' and 'from_context', got \(sources.joined(separator: " and "))")
                valid = false
            } else if sources.isEmpty && defaultValue == nil {
                a.error("action '\(kind.rawValue)' needs one of 'value', 'from_attribute', 'from_context' or 'default_value'")
                valid = false
            }
            if patternText != nil { reject("pattern", "") }
            self.defaultValue = defaultValue
        case .extract:
            if keyText == nil { a.error("action 'extract' needs 'key': the attribute to extract from"); valid = false }
            if patternText == nil { a.error("action 'extract' needs 'pattern': a regular expression with named groups"); valid = false }
            for field in sources + (defaultValue != nil ? ["default_value"] : []) { reject(field, "") }
        case .convert:
            if keyText == nil { a.error("action 'convert' needs 'key'"); valid = false }
            for field in sources + (defaultValue != nil ? ["default_value"] : []) { reject(field, "") }
            if patternText != nil { reject("pattern", "") }
        }
        if kind != .convert, convertedType != nil { reject("converted_type", " (only 'convert' does)") }

        if kind == .convert {
            if let convertedType {
                if let c = Conversion(rawValue: convertedType) {
                    conversion = c
                } else {
                    a.error("'converted_type' must be one of int, double, string, got '\(convertedType)'", key: "converted_type")
                    valid = false
                }
            } else {
                a.error("action 'convert' needs 'converted_type': int, double or string")
                valid = false
            }
        }

        if let patternText {
            do {
                let regex = try ConfigRegex(patternText)
                if kind == .extract {
                    if regex.names.isEmpty {
                        a.error("'pattern' of an extract action needs named groups such as (?P<name>...)", key: "pattern")
                        valid = false
                    } else if regex.names.count != regex.groupCount {
                        a.error("every group in the 'pattern' of an extract action must be named, or be non-capturing (?:...)", key: "pattern")
                        valid = false
                    }
                }
                pattern = regex
            } catch {
                a.error("'pattern' \(error.message)", key: "pattern")
                valid = false
            }
        }

        if let value {
            source = .value(value)
        } else if let fromAttribute {
            source = .attribute(ByteString(fromAttribute))
        } else if let fromContext {
            if fromContext == "client.address" {
                source = .context(.clientAddress)
            } else if fromContext.hasPrefix("auth.") {
                a.error("'from_context: auth.*' needs a server authenticator, which otelsw does not support yet", key: "from_context")
                valid = false
            } else {
                let name = fromContext.hasPrefix("metadata.") ? String(fromContext.dropFirst("metadata.".count)) : fromContext
                source = .context(.metadata(name.lowercased()))
            }
        }
        if !valid { return nil }
    }
}

/// Reads `actions:` (a list of at least one action); nil when it is missing or any action is wrong.
func readActions(_ r: ConfigReader, field: String = "actions") -> [AttributeAction]? {
    guard let node = r.raw(field) else {
        r.error("'\(field)' is required: a list of actions to apply to attributes")
        return nil
    }
    var isList = node.isNull
    if case .sequence = node.value { isList = true }
    let readers = r.sectionList(field)
    if readers.isEmpty {
        if isList { r.error("'\(field)' must list at least one action", key: field) }
        return nil
    }
    let actions = readers.compactMap(AttributeAction.init(reading:))
    return actions.count == readers.count ? actions : nil
}
