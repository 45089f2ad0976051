import Foundation
import OTelTestSupport
import Testing

/// The demo's Grafana dashboards: each file is a dashboard with a unique uid, every panel names a
/// provisioned datasource, every PromQL query is valid PromQL (checked by `promtool`, through a
/// rules file that records each query), every LogQL query parses and names only labels the agent's
/// loki exporter gives its streams, and every Jaeger query searches one of the demo services.
@Suite(.timeLimit(.minutes(2)))
struct DashboardTests {
    static let grafana = PythonPeer.repositoryRoot.appendingPathComponent("deploy/grafana")
    static let demoServices: Set<String> = ["order", "user", "product", "payment"]
    /// The template variables a query may use: the dashboards' own `service`, and Grafana's intervals.
    static let allowedVariables: Set<String> = ["service", "__rate_interval", "__interval"]
    /// The target fields Grafana's Jaeger datasource reads.
    static let jaegerTargetFields: Set<String> = [
        "refId", "datasource", "hide", "queryType", "service", "operation", "query", "tags", "minDuration", "maxDuration", "limit",
    ]

    struct Query {
        var dashboard: String
        var panel: String
        var datasource: String
        var expr: String
        /// Jaeger's fields (empty for other datasources).
        var queryType: String = ""
        var service: String = ""
        var traceQuery: String = ""
        var targetKeys: Set<String> = []
    }

    static func dashboards() throws -> [(file: String, json: [String: Any])] {
        let dir = grafana.appendingPathComponent("dashboards")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted().map { name in
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            return (name, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) is not a JSON object"))
        }
    }

    static func queries() throws -> [Query] {
        var out: [Query] = []
        for (file, d) in try dashboards() {
            for p in (d["panels"] as? [[String: Any]]) ?? [] {
                let panelDS = ((p["datasource"] as? [String: Any])?["uid"] as? String) ?? ""
                for t in (p["targets"] as? [[String: Any]]) ?? [] {
                    let ds = ((t["datasource"] as? [String: Any])?["uid"] as? String) ?? panelDS
                    out.append(Query(
                        dashboard: file, panel: p["title"] as? String ?? "?", datasource: ds, expr: t["expr"] as? String ?? "",
                        queryType: t["queryType"] as? String ?? "", service: t["service"] as? String ?? "",
                        traceQuery: t["query"] as? String ?? "", targetKeys: Set(t.keys)))
                }
            }
        }
        return out
    }

    /// The datasource uids the provisioning file defines.
    static func provisionedUIDs() throws -> Set<String> {
        let text = try String(contentsOf: grafana.appendingPathComponent("provisioning/datasources/datasources.yml"), encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("uid: ") ? String(t.dropFirst(5)) : nil
        })
    }

    /// A query as the end-to-end run evaluates it: the service variable at "All" and Grafana's
    /// intervals as plain durations.
    static func substituted(_ expr: String) -> String {
        expr.replacingOccurrences(of: "$__rate_interval", with: "1m")
            .replacingOccurrences(of: "$__interval", with: "1m")
            .replacingOccurrences(of: "$service", with: ".+")
    }

    /// The names after each `$` in a query.
    static func variables(in expr: String) -> [String] {
        var out: [String] = []
        var rest = Substring(expr)
        while let dollar = rest.firstIndex(of: "$") {
            let after = rest[rest.index(after: dollar)...]
            let name = after.prefix(while: { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
            out.append(String(name))
            rest = after.dropFirst(name.count)
        }
        return out
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// A JSON boolean, whichever way JSONSerialization hands it over.
    static func isTrue(_ value: Any?) -> Bool {
        if let b = value as? Bool { return b }
        if let n = value as? NSNumber { return n.boolValue }
        return false
    }

    @Test func dashboardsHaveUniqueUIDsAndProvisionedDatasources() throws {
        let all = try Self.dashboards()
        #expect(all.count >= 10)
        let uids = all.map { $0.json["uid"] as? String ?? "" }
        #expect(Set(uids).count == uids.count && !uids.contains(""))
        for (file, d) in all {
            #expect(!((d["panels"] as? [Any]) ?? []).isEmpty, "\(file) has no panels")
            #expect(!(d["description"] as? String ?? "").isEmpty, "\(file) says what it is for")
        }
        let provisioned = try Self.provisionedUIDs()
        #expect(provisioned == ["prometheus", "loki", "jaeger"])
        for q in try Self.queries() {
            #expect(provisioned.contains(q.datasource), "\(q.dashboard) '\(q.panel)' uses datasource '\(q.datasource)'")
            if q.datasource == "jaeger" {
                #expect(!q.queryType.isEmpty || !q.traceQuery.isEmpty, "\(q.dashboard) '\(q.panel)' has an empty Jaeger query")
            } else {
                #expect(!q.expr.isEmpty, "\(q.dashboard) '\(q.panel)' has an empty query")
            }
        }
    }

    /// `$service` is defined where it is used, as the end-to-end run expects it: a Prometheus query
    /// variable whose "All" is `.+`, used only as `service=~"$service"` or `service_name=~"$service"`.
    @Test func templateVariablesAreDefinedAndUsedAsMatchers() throws {
        var defined: [String: Set<String>] = [:]
        for (file, d) in try Self.dashboards() {
            let list = ((d["templating"] as? [String: Any])?["list"] as? [[String: Any]]) ?? []
            for v in list {
                let name = v["name"] as? String ?? ""
                defined[file, default: []].insert(name)
                #expect(name == "service", "\(file) defines a variable '\(name)' the end-to-end run does not substitute")
                #expect(v["type"] as? String == "query", "\(file) $\(name) is a query variable")
                #expect((v["datasource"] as? [String: Any])?["uid"] as? String == "prometheus", "\(file) $\(name) asks Prometheus")
                #expect((v["query"] as? String ?? "").contains("label_values(http_server_requests_total, service)"), "\(file) $\(name) lists the services")
                #expect(Self.isTrue(v["includeAll"]), "\(file) $\(name) offers All")
                #expect(v["allValue"] as? String == ".+", "\(file) $\(name) is .+ at All")
            }
        }
        for q in try Self.queries() where q.datasource != "jaeger" {
            for name in Self.variables(in: q.expr) {
                #expect(Self.allowedVariables.contains(name), "\(q.dashboard) '\(q.panel)' uses $\(name)")
                if name == "service" {
                    #expect(defined[q.dashboard, default: []].contains("service"), "\(q.dashboard) uses $service without defining it")
                }
            }
            let uses = Self.occurrences(of: "$service", in: q.expr)
            let asMatcher = Self.occurrences(of: #"service=~"$service""#, in: q.expr) + Self.occurrences(of: #"service_name=~"$service""#, in: q.expr)
            #expect(uses == asMatcher, "\(q.dashboard) '\(q.panel)' uses $service other than as a regular-expression matcher")
        }
    }

    @Test(.enabled(if: AlertingConfigTests.toolsAvailable)) func everyPromQLQueryIsValid() throws {
        let promtool = try #require(AlertingConfigTests.locate("promtool"))
        let queries = try Self.queries().filter { $0.datasource == "prometheus" }
        #expect(queries.count > 20)
        #expect(Self.substituted(#"rate(x{service=~"$service"}[$__rate_interval]) + rate(y[$__interval])"#)
            == #"rate(x{service=~".+"}[1m]) + rate(y[1m])"#)
        // Grafana's variables become what the end-to-end run puts there.
        var rules = "groups:\n  - name: dashboards\n    rules:\n"
        for (i, q) in queries.enumerated() {
            let expr = Self.substituted(q.expr)
            #expect(!expr.contains("$"), "\(q.dashboard) '\(q.panel)' keeps a variable after substitution: \(expr)")
            rules += "      - record: dashboard_query_\(i)\n        expr: \(String(decoding: try JSONSerialization.data(withJSONObject: expr, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self))\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-dashboards-\(UUID().uuidString).yml")
        try rules.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = try AlertingConfigTests.run(promtool, ["check", "rules", file.path], in: Self.grafana)
        #expect(check.status == 0, "\(check.output)")
    }

    // MARK: LogQL

    /// The stream labels of the demo pipeline's loki exporter (pipelines/default.yaml): the label
    /// names its `labels:` maps resource and record attributes to, and the exporter's default labels.
    static func lokiStreamLabels() throws -> Set<String> {
        let text = try String(contentsOf: PythonPeer.repositoryRoot.appendingPathComponent("pipelines/default.yaml"), encoding: .utf8)
        var labels: Set<String> = ["job", "instance", "exporter", "level"]
        var inExporters = false
        var lokiIndent: Int?
        var labelsIndent: Int?
        for raw in text.split(separator: "\n") {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let indent = line.prefix(while: { $0 == " " }).count
            if indent == 0 {
                inExporters = trimmed == "exporters:"
                lokiIndent = nil
                labelsIndent = nil
                continue
            }
            guard inExporters else { continue }
            if let outer = labelsIndent, indent > outer {
                if trimmed == "resource:" || trimmed == "attributes:" { continue }
                let parts = trimmed.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"'")) }
                guard let key = parts.first, !key.isEmpty else { continue }
                let value = parts.count > 1 ? parts[1] : ""
                labels.insert(value.isEmpty ? LogQLQuery.sanitizedLabel(key) : value)
                continue
            }
            labelsIndent = nil
            if let outer = lokiIndent, indent > outer {
                if trimmed == "labels:" { labelsIndent = indent }
                continue
            }
            lokiIndent = (trimmed == "loki:" || (trimmed.hasPrefix("loki/") && trimmed.hasSuffix(":"))) ? indent : nil
        }
        return labels
    }

    @Test func everyLogQLQueryParsesAndNamesExportedLabels() throws {
        let streamLabels = try Self.lokiStreamLabels()
        #expect(streamLabels.isSuperset(of: ["service_name", "environment", "job", "instance", "exporter", "level"]), "\(streamLabels.sorted())")
        let queries = try Self.queries().filter { $0.datasource == "loki" }
        #expect(queries.count >= 3)
        for q in queries {
            do {
                let parsed = try LogQLQuery.parse(q.expr)
                #expect(!parsed.streamLabels.isEmpty)
                let problems = parsed.unknownLabels(streamLabels: streamLabels)
                #expect(problems.isEmpty, "\(q.dashboard) '\(q.panel)': \(problems.joined(separator: "; "))")
            } catch {
                Issue.record("\(q.dashboard) '\(q.panel)': \(error) in \(q.expr)")
            }
        }
    }

    @Test func logQLValidatorReadsWhatItAccepts() throws {
        let metric = try LogQLQuery.parse(#"sum by (service_name) (count_over_time({service_name=~".+", level="error"} | json | severity=~"error|critical" [5m]))"#)
        #expect(metric.isMetric)
        #expect(metric.streamLabels == ["service_name", "level"])
        #expect(metric.filterLabels == ["service_name", "severity"])
        #expect(metric.parsers == ["json"])

        let pipeline = try LogQLQuery.parse(
            #"{job="order"} |= "failed" != `debug` |~ "step=\"pay" !~ "x" | logfmt | duration >= 250ms and status == 500 | msg != "" | line_format "{{.msg}}""#)
        #expect(!pipeline.isMetric)
        #expect(pipeline.filterLabels == ["duration", "status", "msg"])
        #expect(pipeline.parsers == ["logfmt"])

        let rate = try LogQLQuery.parse(#"sum(rate({service_name="order"} [$__interval])) by (level)"#)
        #expect(rate.filterLabels == ["level"])

        // Parsing is one thing, the labels another: the first three parse, but name labels no stream has.
        let labels = try Self.lokiStreamLabels()
        let unknownStream = try LogQLQuery.parse(#"{app="order"}"#).unknownLabels(streamLabels: labels)
        let unknownField = try LogQLQuery.parse(#"{service_name="order"} | colour="red""#).unknownLabels(streamLabels: labels)
        let unknownGrouping = try LogQLQuery.parse(#"sum by (pod) (rate({service_name="order"}[1m]))"#).unknownLabels(streamLabels: labels)
        let extracted = try LogQLQuery.parse(#"{service_name="order"} | json | attributes_step="payment""#).unknownLabels(streamLabels: labels)
        #expect(!unknownStream.isEmpty)
        #expect(!unknownField.isEmpty)
        #expect(!unknownGrouping.isEmpty)
        #expect(extracted.isEmpty, "\(extracted)")
    }

    static let malformedLogQL = [
        #"{service_name="order""#,                                                   // unbalanced brace
        #"{service_name="order"}}"#,                                                 // a brace too many
        #"sum by (service_name) (count_over_time({service_name="order"}[5m])"#,      // unbalanced parenthesis
        #"{service_name "order"}"#,                                                  // no matcher operator
        #"{service_name=="order"}"#,                                                 // not a matcher operator
        "{}",                                                                        // no matcher at all
        #"{service_name=order}"#,                                                    // unquoted value
        #"{service_name="order"} | frobnicate"#,                                     // unknown stage
        #"{service_name="order"} | json | pattern "<_> <x>""#,                       // a stage the validator does not know
        #"{service_name="order"} |= error"#,                                         // unquoted line filter
        #"{service_name="order"} | json | severity > "error""#,                      // ordering a string
        #"{service_name="order"} | json | status =~ 500"#,                           // regular expression without a string
        #"count_over_time({service_name="order"})"#,                                 // no range
        #"count_over_time({service_name="order"}[5 minutes])"#,                      // not a duration
        #"quantile_over_time({service_name="order"}[5m])"#,                          // unknown function
        #"{service_name="order"} | line_format"#,                                    // line_format without its template
    ]

    @Test(arguments: malformedLogQL)
    func logQLValidatorRejects(_ query: String) {
        #expect(throws: LogQLQuery.SyntaxError.self) { try LogQLQuery.parse(query) }
    }

    // MARK: Jaeger

    @Test func jaegerPanelsSearchADemoService() throws {
        let all = try Self.queries()
        let jaeger = all.filter { $0.datasource == "jaeger" }
        #expect(!jaeger.isEmpty)
        for q in jaeger {
            #expect(["search", "traceql", "traceId", ""].contains(q.queryType), "\(q.dashboard) '\(q.panel)' has queryType '\(q.queryType)'")
            if q.queryType != "search" {
                #expect(!q.traceQuery.isEmpty, "\(q.dashboard) '\(q.panel)' needs a query (a trace id or TraceQL)")
            }
            #expect(Self.demoServices.contains(q.service), "\(q.dashboard) '\(q.panel)' searches service '\(q.service)'")
            #expect(q.targetKeys.isSubset(of: Self.jaegerTargetFields), "\(q.dashboard) '\(q.panel)' has fields \(q.targetKeys.subtracting(Self.jaegerTargetFields).sorted())")
        }
        // Jaeger-shaped targets belong to the Jaeger datasource.
        for q in all where q.targetKeys.contains("service") {
            #expect(q.datasource == "jaeger", "\(q.dashboard) '\(q.panel)' has a Jaeger query on '\(q.datasource)'")
        }
    }
}

/// A LogQL query as far as the dashboards use the language: a stream selector, line filters,
/// `json` / `logfmt`, label filters, `line_format`, and over them the range functions
/// `count_over_time`, `rate`, `bytes_over_time`, `bytes_rate` and the aggregations `sum`, `count`,
/// `avg`, `min`, `max` with `by` / `without`. Anything else is a syntax error, so a query the
/// validator does not understand fails rather than passing unread.
struct LogQLQuery {
    /// Label names in stream selectors, in order.
    var streamLabels: [String] = []
    /// Label names in label filters and in `by` / `without` groupings, in order.
    var filterLabels: [String] = []
    /// The parser stages (`json`, `logfmt`).
    var parsers: [String] = []
    var isMetric = false

    struct SyntaxError: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "\(message) (at character \(offset))" }
    }

    static let rangeFunctions: Set<String> = ["count_over_time", "rate", "bytes_over_time", "bytes_rate"]
    static let aggregations: Set<String> = ["sum", "count", "avg", "min", "max"]
    static let durationUnits: Set<String> = ["ms", "s", "m", "h", "d", "w", "y"]
    /// Structured metadata the loki exporter attaches to every entry, and Loki's own error labels.
    static let metadataLabels: Set<String> = ["trace_id", "span_id", "severity_text", "severity_number", "__error__", "__error_details__"]
    /// What `| json` extracts from the exporter's JSON line (nested objects flatten with `_`).
    static let jsonFields: Set<String> = ["body", "severity", "trace_id", "span_id"]
    static let jsonPrefixes = ["attributes_", "resources_", "instrumentation_scope_"]

    static func parse(_ text: String) throws -> LogQLQuery {
        var parser = Parser(Array(text))
        var query = LogQLQuery()
        parser.skipSpace()
        if parser.peek == "{" {
            try parser.logQuery(into: &query)
        } else {
            query.isMetric = true
            try parser.metricQuery(into: &query)
        }
        parser.skipSpace()
        guard parser.atEnd else { throw parser.error("unexpected text after the query") }
        return query
    }

    /// A label name as Loki accepts it: characters outside `[a-zA-Z0-9_]` become `_`.
    static func sanitizedLabel(_ name: String) -> String {
        String(name.map { c -> Character in c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) ? c : "_" })
    }

    /// The label names the query uses that its streams cannot have: stream selectors may only name
    /// `streamLabels`; filters and groupings may also name structured metadata and, after a parser
    /// stage, the fields it extracts from the agent's line.
    func unknownLabels(streamLabels: Set<String>) -> [String] {
        var problems: [String] = []
        for name in self.streamLabels where !streamLabels.contains(name) {
            problems.append("stream label '\(name)' is not one the loki exporter sets (\(streamLabels.sorted().joined(separator: ", ")))")
        }
        for name in filterLabels {
            if streamLabels.contains(name) || Self.metadataLabels.contains(name) { continue }
            if parsers.contains("json") && (Self.jsonFields.contains(name) || Self.jsonPrefixes.contains(where: { name.hasPrefix($0) })) { continue }
            // logfmt lines carry the record's attributes under their own names.
            if parsers.contains("logfmt") { continue }
            problems.append("label '\(name)' is neither a stream label, structured metadata nor a field of the agent's line")
        }
        return problems
    }

    struct Parser {
        let chars: [Character]
        var index = 0

        init(_ chars: [Character]) { self.chars = chars }

        var atEnd: Bool { index >= chars.count }
        var peek: Character? { index < chars.count ? chars[index] : nil }

        func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: index) }

        mutating func skipSpace() {
            while let c = peek, c.isWhitespace { index += 1 }
        }

        /// Consumes `token` when the text goes on with it (after spaces).
        mutating func eat(_ token: String) -> Bool {
            skipSpace()
            let t = Array(token)
            guard index + t.count <= chars.count, Array(chars[index..<(index + t.count)]) == t else { return false }
            index += t.count
            return true
        }

        mutating func expect(_ token: String, _ what: String) throws {
            guard eat(token) else { throw error("expected \(what)") }
        }

        static func isNameCharacter(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }

        mutating func name() throws -> String {
            skipSpace()
            let start = index
            while let c = peek, Self.isNameCharacter(c), !(index == start && c.isNumber) { index += 1 }
            guard index > start else { throw error("expected a name") }
            return String(chars[start..<index])
        }

        /// Consumes the keyword `word` when it comes next as a whole word.
        mutating func eatWord(_ word: String) -> Bool {
            let saved = index
            if let found = try? name(), found == word { return true }
            index = saved
            return false
        }

        /// A double-quoted string with backslash escapes, or a backquoted raw string.
        mutating func string() throws -> String {
            skipSpace()
            guard let open = peek, open == "\"" || open == "`" else { throw error("expected a quoted string") }
            index += 1
            var value = ""
            while let c = peek {
                index += 1
                if c == open { return value }
                if c == "\\" && open == "\"" {
                    guard let escaped = peek else { break }
                    index += 1
                    value.append(escaped)
                } else {
                    value.append(c)
                }
            }
            throw error("unterminated string")
        }

        /// A number, optionally with a unit (`500`, `0.25`, `250ms`, `10KB`).
        mutating func number() throws {
            skipSpace()
            let start = index
            while let c = peek, c.isASCII, c.isNumber || c == "." { index += 1 }
            guard index > start, chars[start] != "." else { throw error("expected a number or a quoted string") }
            while let c = peek, c.isASCII, c.isLetter { index += 1 }
        }

        /// `{name op "value", ...}` with at least one matcher.
        mutating func selector(into query: inout LogQLQuery) throws {
            try expect("{", "'{' opening a stream selector")
            repeat {
                let label = try name()
                var matched = false
                for op in ["=~", "!~", "!=", "="] where !matched {
                    matched = eat(op)
                }
                guard matched else { throw error("expected =, !=, =~ or !~ after '\(label)'") }
                _ = try string()
                query.streamLabels.append(label)
            } while eat(",")
            try expect("}", "'}' closing the stream selector")
        }

        mutating func logQuery(into query: inout LogQLQuery) throws {
            try selector(into: &query)
            try pipeline(into: &query)
        }

        /// Line filters and `|` stages, up to whatever follows them.
        mutating func pipeline(into query: inout LogQLQuery) throws {
            while true {
                if eat("|=") || eat("|~") || eat("!=") || eat("!~") {
                    _ = try string()
                } else if eat("|") {
                    let stage = try name()
                    switch stage {
                    case "json", "logfmt":
                        query.parsers.append(stage)
                    case "line_format":
                        _ = try string()
                    default:
                        try labelFilter(stage, into: &query)
                        while eatWord("and") || eatWord("or") || eat(",") {
                            try labelFilter(try name(), into: &query)
                        }
                    }
                } else {
                    return
                }
            }
        }

        /// `label op value`: a string with = != =~ !~, or a number with = != == > >= < <=.
        mutating func labelFilter(_ label: String, into query: inout LogQLQuery) throws {
            var found: String?
            for op in ["==", "=~", "!~", "!=", ">=", "<=", "=", ">", "<"] where found == nil {
                if eat(op) { found = op }
            }
            guard let op = found else { throw error("unknown stage '\(label)' (or a label filter without an operator)") }
            skipSpace()
            if let c = peek, c == "\"" || c == "`" {
                guard ["=", "!=", "=~", "!~"].contains(op) else { throw error("'\(op)' compares numbers, not strings") }
                _ = try string()
            } else {
                guard !op.contains("~") else { throw error("'\(op)' needs a quoted regular expression") }
                try number()
            }
            query.filterLabels.append(label)
        }

        /// `[5m]`, `[1h30m]`, or one of Grafana's interval variables.
        mutating func range() throws {
            try expect("[", "a range such as [5m]")
            if !(eat("$__rate_interval") || eat("$__interval") || eat("$__auto")) {
                skipSpace()
                var parts = 0
                while let c = peek, c.isASCII, c.isNumber {
                    while let d = peek, d.isASCII, d.isNumber { index += 1 }
                    let unitStart = index
                    while let u = peek, u.isASCII, u.isLetter { index += 1 }
                    let unit = String(chars[unitStart..<index])
                    guard LogQLQuery.durationUnits.contains(unit) else { throw error("'\(unit)' is not a duration unit") }
                    parts += 1
                }
                guard parts > 0 else { throw error("expected a duration such as 5m") }
            }
            try expect("]", "']' closing the range")
        }

        /// `by (a, b)` or `without (a)`, when present.
        mutating func grouping(into query: inout LogQLQuery) throws {
            guard eatWord("by") || eatWord("without") else { return }
            try expect("(", "'(' opening the grouping labels")
            if eat(")") { return }
            repeat {
                query.filterLabels.append(try name())
            } while eat(",")
            try expect(")", "')' closing the grouping labels")
        }

        mutating func metricQuery(into query: inout LogQLQuery) throws {
            let function = try name()
            if LogQLQuery.rangeFunctions.contains(function) {
                try expect("(", "'(' after \(function)")
                try logQuery(into: &query)
                try range()
                try expect(")", "')' closing \(function)")
            } else if LogQLQuery.aggregations.contains(function) {
                try grouping(into: &query)
                try expect("(", "'(' after \(function)")
                try metricQuery(into: &query)
                try expect(")", "')' closing \(function)")
                try grouping(into: &query)
            } else {
                throw error("unknown function '\(function)'")
            }
        }
    }
}
