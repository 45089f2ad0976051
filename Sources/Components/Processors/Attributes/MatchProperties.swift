import Configuration
import OTelModel
import PipelineCore

/// One `include` or `exclude` block of the `attributes` processor: every property given must match.
/// (Collector: `internal/filter/filterconfig`, `filtermatcher`, `filterspan`, `filterlog`, `filtermetric`)
struct MatchProperties: Sendable {
    enum MatchType: String, Sendable { case strict, regexp }

    var matchType: MatchType = .strict
    /// The resource's `service.name` (spans).
    var services: StringFilter?
    var spanNames: StringFilter?
    /// `SPAN_KIND_SERVER` and so on.
    var spanKinds: StringFilter?
    /// The log body as text.
    var logBodies: StringFilter?
    var logSeverityTexts: StringFilter?
    /// Records at or above `min`; unspecified severities match only with `matchUndefined`.
    var logSeverityNumber: (min: Int32, matchUndefined: Bool)?
    var metricNames: StringFilter?
    /// Item attributes: all must be present (and match their value when one is given).
    var attributes: [AttributeFilter] = []
    /// Resource attributes, as `attributes`.
    var resources: [AttributeFilter] = []
    /// Instrumentation scopes: name and optional version; all must match.
    var libraries: [LibraryFilter] = []
    /// Where each property was given, for messages about properties a signal cannot use.
    var fieldLocations: [(name: String, location: SourceLocation)] = []
    var location: SourceLocation

    /// The properties a block can give, whichever signal they apply to.
    static let properties: Set = ["services", "span_names", "span_kinds", "log_bodies", "log_severity_texts", "log_severity_number",
                                  "metric_names", "attributes", "resources", "libraries"]

    static let spanKindNames = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER",
                                "SPAN_KIND_CONSUMER"]

    /// The names the Collector accepts for `log_severity_number.min`, by number.
    static let severityNames = ["TRACE", "TRACE2", "TRACE3", "TRACE4", "DEBUG", "DEBUG2", "DEBUG3", "DEBUG4", "INFO", "INFO2", "INFO3", "INFO4",
                                "WARN", "WARN2", "WARN3", "WARN4", "ERROR", "ERROR2", "ERROR3", "ERROR4", "FATAL", "FATAL2", "FATAL3", "FATAL4"]

    /// Reads a block; nil when something in it is wrong (reported).
    init?(reading r: ConfigReader) {
        defer { r.finish() }
        location = r.location
        var valid = true
        guard let typeText = r.optionalString("match_type") else {
            r.error("'match_type' is required: strict or regexp")
            for key in r.keys.map(\.key) { _ = r.raw(key) }
            return nil
        }
        guard let type = MatchType(rawValue: typeText) else {
            r.error("'match_type' must be strict or regexp, got '\(typeText)'", key: "match_type")
            for key in r.keys.map(\.key) { _ = r.raw(key) }
            return nil
        }
        matchType = type
        r.noEffect("regexp", "match results are not cached (patterns are compiled once, and matching is cheap)")
        for (name, keyLocation) in r.keys where Self.properties.contains(name) {
            fieldLocations.append((name, keyLocation))
        }

        func strings(_ key: String) -> StringFilter? {
            guard r.has(key) else { return nil }
            let items = r.stringList(key)
            do {
                return try StringFilter(items, type)
            } catch {
                r.error("'\(key)': \(error.message)", key: key)
                valid = false
                return nil
            }
        }
        services = strings("services")
        spanNames = strings("span_names")
        spanKinds = strings("span_kinds")
        if type == .strict, r.has("span_kinds") {
            for kind in r.stringList("span_kinds") where !Self.spanKindNames.dropFirst().contains(kind) {
                r.error("'span_kinds' with match_type strict must name standard kinds (\(Self.spanKindNames.dropFirst().joined(separator: ", "))), got '\(kind)'",
                        key: "span_kinds")
                valid = false
            }
        }
        logBodies = strings("log_bodies")
        logSeverityTexts = strings("log_severity_texts")
        metricNames = strings("metric_names")
        if let severity = r.section("log_severity_number") {
            let minText = severity.optionalString("min") ?? ""
            let matchUndefined = severity.bool("match_undefined", default: false)
            if let n = Int32(minText), (0...24).contains(n) {
                logSeverityNumber = (n, matchUndefined)
            } else if let i = Self.severityNames.firstIndex(of: minText.uppercased()) {
                logSeverityNumber = (Int32(i + 1), matchUndefined)
            } else {
                severity.error("'min' must be a severity number (1-24) or name (TRACE ... FATAL4), got '\(minText)'",
                               key: "min")
                valid = false
            }
            severity.finish()
        }
        for (key, target) in [("attributes", \MatchProperties.attributes), ("resources", \MatchProperties.resources)] {
            for item in r.sectionList(key) {
                guard let filter = AttributeFilter(reading: item, type) else {
                    valid = false
                    continue
                }
                self[keyPath: target].append(filter)
            }
        }
        for item in r.sectionList("libraries") {
            guard let filter = LibraryFilter(reading: item, type) else {
                valid = false
                continue
            }
            libraries.append(filter)
        }
        if !valid { return nil }
    }

    /// Properties that do not apply to `signal`, and a block that has none that do.
    func problems(for signal: Signal, block: String) -> [(message: String, location: SourceLocation)] {
        let usable: [String]
        switch signal {
        case .traces: usable = ["services", "span_names", "span_kinds", "attributes", "resources", "libraries"]
        case .logs: usable = ["log_bodies", "log_severity_texts", "log_severity_number", "attributes", "resources", "libraries"]
        case .metrics: usable = ["metric_names", "resources"]
        }
        var problems: [(message: String, location: SourceLocation)] = []
        for field in fieldLocations where !usable.contains(field.name) {
            problems.append(("'\(block).\(field.name)' does not apply to \(signal.rawValue)", field.location))
        }
        if !fieldLocations.contains(where: { usable.contains($0.name) }) {
            problems.append(("'\(block)' needs at least one of \(usable.joined(separator: ", ")) for \(signal.rawValue)", location))
        }
        return problems
    }

    // MARK: Matching, level by level

    /// `services` and `resources`, checked once per resource.
    func matchesResource(_ resource: Resource?) -> Bool {
        if let services {
            let name = resource?.attributes[key: "service.name"]
            let matched = switch name {
            case .string(let s)?: services.matches(s)
            case let value?: services.matches(value.collectorString)
            case nil: services.matches("<nil-service-name>")
            }
            if !matched { return false }
        }
        return AttributeFilter.all(resources, match: resource?.attributes ?? [])
    }

    /// `libraries`, checked once per scope.
    func matchesScope(_ scope: InstrumentationScope?) -> Bool {
        libraries.allSatisfy { $0.matches(scope ?? InstrumentationScope()) }
    }

    func matchesSpan(_ span: Span) -> Bool {
        if let spanNames, !spanNames.matches(span.name) { return false }
        if let spanKinds {
            let kind = Int(span.kind.rawValue)
            let name = Self.spanKindNames.indices.contains(kind) ? Self.spanKindNames[kind] : ""
            if !spanKinds.matches(name) { return false }
        }
        return AttributeFilter.all(attributes, match: span.attributes)
    }

    func matchesLog(_ record: LogRecord) -> Bool {
        if let logBodies {
            let matched = if case .string(let s) = record.body { logBodies.matches(s) } else { logBodies.matches(record.body.collectorString) }
            if !matched { return false }
        }
        if let logSeverityTexts, !logSeverityTexts.matches(record.severityText) { return false }
        if let (min, matchUndefined) = logSeverityNumber {
            let n = record.severityNumber.rawValue
            if n == 0 ? !matchUndefined : n < min { return false }
        }
        return AttributeFilter.all(attributes, match: record.attributes)
    }

    func matchesMetric(_ metric: Metric) -> Bool {
        if let metricNames, !metricNames.matches(metric.name) { return false }
        return true
    }
}

/// A list of strings to match a name against: equal to one (`strict`), or one regular expression
/// found in it (`regexp`).
enum StringFilter: Sendable {
    case strict([ByteString])
    case regexp([ConfigRegex])

    init(_ items: [String], _ type: MatchProperties.MatchType) throws(ConfigRegexError) {
        switch type {
        case .strict: self = .strict(items.map { ByteString($0) })
        case .regexp:
            var regexes: [ConfigRegex] = []
            for item in items { regexes.append(try ConfigRegex(item)) }
            self = .regexp(regexes)
        }
    }

    func matches(_ bytes: ByteString) -> Bool {
        switch self {
        case .strict(let items): return items.contains(bytes)
        case .regexp(let regexes):
            let text = bytes.string
            return regexes.contains { $0.matches(text) }
        }
    }

    func matches(_ text: String) -> Bool {
        switch self {
        case .strict(let items): return items.contains(ByteString(text))
        case .regexp(let regexes): return regexes.contains { $0.matches(text) }
        }
    }
}

/// An attribute that must be present, with a value equal to `value` (`strict`, same type) or a
/// text form matching `pattern` (`regexp`, strings only in the config).
struct AttributeFilter: Sendable {
    var key: ByteString
    var value: AnyValue?
    var pattern: ConfigRegex?

    init?(reading r: ConfigReader, _ type: MatchProperties.MatchType) {
        defer { r.finish() }
        let keyText = r.string("key")
        let valueNode = r.raw("value")
        guard !keyText.isEmpty else {
            r.error("an attribute to match needs a 'key'")
            return nil
        }
        key = ByteString(keyText)
        guard let valueNode, let value = AnyValue(yaml: valueNode) else { return }
        switch type {
        case .strict: self.value = value
        case .regexp:
            guard case .string(let s) = value else {
                r.error("with match_type regexp, 'value' must be a string (a regular expression), got \(valueNode.kindDescription)", key: "value")
                return nil
            }
            do {
                pattern = try ConfigRegex(s.string)
            } catch {
                r.error("'value' \(error.message)", key: "value")
                return nil
            }
        }
    }

    /// Whether every filter matches `attributes` (true when there are no filters).
    static func all(_ filters: [AttributeFilter], match attributes: Attributes) -> Bool {
        if filters.isEmpty { return true }
        if attributes.isEmpty { return false }
        return filters.allSatisfy { filter in
            guard let actual = attributes[key: filter.key] else { return false }
            if let expected = filter.value { return expected == actual }
            if let pattern = filter.pattern {
                guard let text = actual.filterString else { return false }
                return pattern.matches(text)
            }
            return true
        }
    }
}

/// An instrumentation scope to match: its name, and its version when one is given (an empty
/// `version` matches only an empty version).
struct LibraryFilter: Sendable {
    var name: StringFilter
    var version: StringFilter?

    init?(reading r: ConfigReader, _ type: MatchProperties.MatchType) {
        defer { r.finish() }
        let nameText = r.string("name")
        let versionText = r.optionalString("version") ?? (r.raw("version") != nil ? "" : nil)
        do {
            name = try StringFilter([nameText], type)
            version = try versionText.map { v throws(ConfigRegexError) in try StringFilter([v], type) }
        } catch {
            r.error("library \(error.message)")
            return nil
        }
    }

    func matches(_ scope: InstrumentationScope) -> Bool {
        name.matches(scope.name) && (version?.matches(scope.version) ?? true)
    }
}
