import Configuration
import LogOps
import OTelModel

/// Reads `operators:` in the collector's shape (a list of mappings with `type` and the operator's
/// fields) into operator configurations, and builds each one at load time so a bad regex, layout or
/// field path is reported at its line.
enum OperatorSettings {
    static let types = ["json_parser", "regex_parser", "severity_parser", "time_parser", "trace_parser", "move", "add", "remove"]

    static func read(_ r: ConfigReader) -> [OperatorConfig] {
        var out: [OperatorConfig] = []
        for op in r.sectionList("operators") {
            let type = op.string("type")
            _ = op.optionalString("id")
            if op.has("output") {
                op.error("'output' is not supported: operators run in the order listed", key: "output")
                _ = op.raw("output")
            }
            let onError = OnError(rawValue: op.choice("on_error", OnError.allCases.map(\.rawValue), default: "send")) ?? .send
            var config: OperatorConfig?
            switch type {
            case "json_parser":
                let (from, to, timestamp, severity, trace) = parserFields(op)
                config = .jsonParser(JSONParserConfig(parseFrom: from, parseTo: to, onError: onError, timestamp: timestamp, severity: severity, trace: trace))
            case "regex_parser":
                let regex = op.string("regex")
                let (from, to, timestamp, severity, trace) = parserFields(op)
                guard !regex.isEmpty else {
                    op.error("'regex' is required for regex_parser", key: "regex")
                    op.finish()
                    continue
                }
                config = .regexParser(RegexParserConfig(regex: regex, parseFrom: from, parseTo: to, onError: onError, timestamp: timestamp, severity: severity, trace: trace))
            case "severity_parser":
                config = severityConfig(op).map { .severityParser(SeverityParserConfig($0, onError: onError)) }
            case "time_parser":
                config = timestampConfig(op).map { .timeParser(TimeParserConfig($0, onError: onError)) }
            case "trace_parser":
                config = .traceParser(TraceParserConfig(traceConfig(op), onError: onError))
            case "move":
                let from = op.string("from"), to = op.string("to")
                if from.isEmpty || to.isEmpty {
                    op.error("move needs 'from' and 'to'")
                } else {
                    config = .move(MoveConfig(from: from, to: to, onError: onError))
                }
            case "add":
                let field = op.string("field")
                if let node = op.raw("value"), !field.isEmpty {
                    config = .add(AddConfig(field: field, value: anyValue(node), onError: onError))
                } else {
                    op.error("add needs 'field' and 'value'")
                }
            case "remove":
                let field = op.string("field")
                if field.isEmpty {
                    op.error("'field' is required for remove", key: "field")
                } else {
                    config = .remove(RemoveConfig(field: field, onError: onError))
                }
            case "":
                op.error("an operator needs a 'type' (one of \(types.joined(separator: ", ")))")
            default:
                op.error("operator type '\(type)' is not supported (supported: \(types.joined(separator: ", ")))", key: "type")
                for (key, _) in op.keys { _ = op.raw(key) }
            }
            if let config {
                do {
                    _ = try config.build()
                    out.append(config)
                } catch {
                    if type == "regex_parser" { op.error("\(error)", key: "regex") } else { op.error("\(error)") }
                }
            }
            op.finish()
        }
        return out
    }

    private static func parserFields(_ op: ConfigReader) -> (String, String, TimestampConfig?, SeverityConfig?, TraceConfig?) {
        let from = op.string("parse_from", default: "body")
        let to = op.string("parse_to", default: "attributes")
        var timestamp: TimestampConfig?
        if let t = op.section("timestamp") {
            timestamp = timestampConfig(t)
            t.finish()
        }
        var severity: SeverityConfig?
        if let s = op.section("severity") {
            severity = severityConfig(s)
            s.finish()
        }
        var trace: TraceConfig?
        if let t = op.section("trace") {
            trace = traceConfig(t)
            t.finish()
        }
        return (from, to, timestamp, severity, trace)
    }

    private static func timestampConfig(_ r: ConfigReader) -> TimestampConfig? {
        let from = r.string("parse_from")
        if from.isEmpty { r.error("'parse_from' is required for a timestamp", key: "parse_from") }
        let type = TimestampConfig.LayoutType(rawValue: r.choice("layout_type", TimestampConfig.LayoutType.allCases.map(\.rawValue), default: "strptime")) ?? .strptime
        let layout = r.string("layout")
        if layout.isEmpty { r.error("'layout' is required for a timestamp", key: "layout") }
        let location = r.optionalString("location")
        return from.isEmpty || layout.isEmpty ? nil : TimestampConfig(parseFrom: from, layoutType: type, layout: layout, location: location)
    }

    private static func severityConfig(_ r: ConfigReader) -> SeverityConfig? {
        let from = r.string("parse_from")
        if from.isEmpty { r.error("'parse_from' is required for a severity", key: "parse_from") }
        let preset = r.string("preset", default: "default")
        let overwrite = r.bool("overwrite_text", default: false)
        var mapping: [String: [SeverityMappingValue]] = [:]
        if let m = r.raw("mapping"), case .mapping(let pairs) = m.value {
            for pair in pairs {
                var values: [SeverityMappingValue] = []
                let items: [ConfigNode]
                if case .sequence(let list) = pair.value.value { items = list } else { items = [pair.value] }
                for item in items {
                    switch item.value {
                    case .scalar(let s, let quoted):
                        values.append(!quoted ? Int64(s).map { .number($0) } ?? .text(s) : .text(s))
                    case .mapping(let fields):
                        let min = fields.first { $0.key == "min" }.flatMap { f -> Int64? in if case .scalar(let s, _) = f.value.value { Int64(s) } else { nil } }
                        let max = fields.first { $0.key == "max" }.flatMap { f -> Int64? in if case .scalar(let s, _) = f.value.value { Int64(s) } else { nil } }
                        if let min, let max { values.append(.range(min: min, max: max)) } else { r.sink.error("a severity range needs integer 'min' and 'max'", at: item.location) }
                    default:
                        r.sink.error("severity mapping values are strings, numbers or {min, max} ranges", at: item.location)
                    }
                }
                mapping[pair.key] = values
            }
        } else if r.has("mapping") {
            r.error("'mapping' must map severity levels to values", key: "mapping")
        }
        return from.isEmpty ? nil : SeverityConfig(parseFrom: from, preset: preset, mapping: mapping, overwriteText: overwrite)
    }

    private static func traceConfig(_ r: ConfigReader) -> TraceConfig {
        var c = TraceConfig()
        func field(_ key: String, _ current: TraceConfig.Field) -> TraceConfig.Field {
            guard let s = r.section(key) else { return current }
            defer { s.finish() }
            return TraceConfig.Field(parseFrom: s.string("parse_from", default: current.parseFrom))
        }
        c.traceID = field("trace_id", c.traceID)
        c.spanID = field("span_id", c.spanID)
        c.traceFlags = field("trace_flags", c.traceFlags)
        return c
    }

    /// A YAML value as an attribute value: unquoted numbers and booleans keep their type.
    static func anyValue(_ node: ConfigNode) -> AnyValue {
        switch node.value {
        case .null: return .empty
        case .scalar(let s, let quoted):
            if !quoted {
                if let i = Int64(s) { return .int(i) }
                if let d = Double(s) { return .double(d) }
                if s == "true" || s == "false" { return .bool(s == "true") }
            }
            return .string(ByteString(s))
        case .sequence(let items): return .array(items.map(anyValue))
        case .mapping(let pairs): return .kvlist(pairs.map { KeyValue(key: ByteString($0.key), value: anyValue($0.value)) })
        }
    }
}
