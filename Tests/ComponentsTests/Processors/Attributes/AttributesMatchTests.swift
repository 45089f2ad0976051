@testable import Components
import OTelModel
import Testing

/// `include` and `exclude`, strict and regexp, on each signal: only the selected items get the action.
@Suite struct AttributesMatchTests {
    typealias T = AttributesTesting

    static let mark = "actions: [{key: marked, value: true, action: insert}]\n"

    /// Which of `spans` were marked.
    func markedSpans(_ selection: String, _ spans: [Span], resource: [KeyValue] = [KeyValue("service.name", "shop")],
                     scope: InstrumentationScope? = nil) async throws -> [Bool] {
        let out = try await T.run(Self.mark + selection, T.spans(spans, resource: resource, scope: scope))
        return T.spanAttributes(out).map { $0.contains { $0.key == "marked" } }
    }

    func markedLogs(_ selection: String, _ records: [LogRecord], resource: [KeyValue] = [KeyValue("service.name", "shop")]) async throws -> [Bool] {
        let out = try await T.run(Self.mark + selection, T.logs(records, resource: resource))
        return T.logAttributes(out).map { $0.contains { $0.key == "marked" } }
    }

    func markedPoints(_ selection: String, _ metrics: [Metric], resource: [KeyValue] = [KeyValue("service.name", "shop")]) async throws -> [Bool] {
        let out = try await T.run(Self.mark + selection, T.metrics(metrics, resource: resource))
        return T.pointAttributes(out).map { $0.contains { $0.key == "marked" } }
    }

    let spans = [
        AttributesTesting.span("GET /cart", [KeyValue("http.status_code", int: 200)], kind: .server),
        AttributesTesting.span("SELECT cart", [KeyValue("db.system", "postgres")], kind: .client),
        AttributesTesting.span("GET /health", [KeyValue("http.status_code", int: 500)], kind: .server),
    ]

    @Test func spanNamesStrictAndRegexp() async throws {
        #expect(try await markedSpans("include: {match_type: strict, span_names: [GET /cart, GET /health]}", spans) == [true, false, true])
        #expect(try await markedSpans("include: {match_type: regexp, span_names: ['^GET ']}", spans) == [true, false, true])
        #expect(try await markedSpans("exclude: {match_type: regexp, span_names: [health]}", spans) == [true, true, false])
        #expect(try await markedSpans("exclude: {match_type: strict, span_names: [health]}", spans) == [true, true, true], "strict is whole-string")
    }

    @Test func includeThenExclude() async throws {
        let selection = """
            include: {match_type: regexp, span_names: ['^GET ']}
            exclude: {match_type: strict, span_names: [GET /health]}
            """
        #expect(try await markedSpans(selection, spans) == [true, false, false])
    }

    @Test func spanKinds() async throws {
        #expect(try await markedSpans("include: {match_type: strict, span_kinds: [SPAN_KIND_CLIENT]}", spans) == [false, true, false])
        #expect(try await markedSpans("include: {match_type: regexp, span_kinds: [SERVER$]}", spans) == [true, false, true])
    }

    @Test func attributesStrictCompareValueAndType() async throws {
        #expect(try await markedSpans("include: {match_type: strict, attributes: [{key: http.status_code, value: 500}]}", spans) == [false, false, true])
        #expect(try await markedSpans("include: {match_type: strict, attributes: [{key: http.status_code, value: '500'}]}", spans) == [false, false, false],
                "a string never equals an int")
        #expect(try await markedSpans("include: {match_type: strict, attributes: [{key: db.system}]}", spans) == [false, true, false], "key only")
    }

    @Test func attributesRegexpMatchTheValueText() async throws {
        #expect(try await markedSpans("include: {match_type: regexp, attributes: [{key: http.status_code, value: '^5'}]}", spans) == [false, false, true])
        #expect(try await markedSpans("exclude: {match_type: regexp, attributes: [{key: db.system, value: gres}]}", spans) == [true, false, true])
    }

    @Test func servicesResourcesAndLibraries() async throws {
        #expect(try await markedSpans("include: {match_type: strict, services: [shop]}", spans) == [true, true, true])
        #expect(try await markedSpans("include: {match_type: strict, services: [billing]}", spans) == [false, false, false])
        #expect(try await markedSpans("include: {match_type: regexp, services: ['^sh']}", spans) == [true, true, true])
        #expect(try await markedSpans("include: {match_type: strict, services: ['<nil-service-name>']}", spans, resource: []) == [true, true, true])
        let resources = "include: {match_type: strict, resources: [{key: deployment.environment, value: prod}]}"
        #expect(try await markedSpans(resources, spans, resource: [KeyValue("deployment.environment", "prod")]) == [true, true, true])
        #expect(try await markedSpans(resources, spans, resource: [KeyValue("deployment.environment", "dev")]) == [false, false, false])
        let scope = InstrumentationScope(name: "io.opentelemetry.jdbc", version: "2.1")
        #expect(try await markedSpans("include: {match_type: strict, libraries: [{name: io.opentelemetry.jdbc}]}", spans, scope: scope) == [true, true, true])
        #expect(try await markedSpans("include: {match_type: strict, libraries: [{name: io.opentelemetry.jdbc, version: '2.0'}]}", spans, scope: scope)
                == [false, false, false])
        #expect(try await markedSpans("include: {match_type: regexp, libraries: [{name: jdbc, version: '^2\\.'}]}", spans, scope: scope)
                == [true, true, true])
    }

    @Test func allPropertiesMustMatch() async throws {
        let selection = "include: {match_type: strict, span_names: [GET /cart, SELECT cart], span_kinds: [SPAN_KIND_SERVER]}"
        #expect(try await markedSpans(selection, spans) == [true, false, false])
    }

    @Test func logProperties() async throws {
        let records = [
            T.record("payment failed", [KeyValue("code", int: 17)], severity: 17, text: "ERROR"),
            T.record("cart loaded", [], severity: 9, text: "INFO"),
            T.record("no level", [], severity: 0, text: ""),
        ]
        #expect(try await markedLogs("include: {match_type: strict, log_bodies: [cart loaded]}", records) == [false, true, false])
        #expect(try await markedLogs("include: {match_type: regexp, log_bodies: [fail]}", records) == [true, false, false])
        #expect(try await markedLogs("include: {match_type: strict, log_severity_texts: [ERROR]}", records) == [true, false, false])
        #expect(try await markedLogs("exclude: {match_type: regexp, log_severity_texts: ['^I']}", records) == [true, false, true])
        #expect(try await markedLogs("include: {match_type: strict, log_severity_number: {min: WARN}}", records) == [true, false, false])
        #expect(try await markedLogs("include: {match_type: strict, log_severity_number: {min: 9, match_undefined: true}}", records) == [true, true, true])
        #expect(try await markedLogs("include: {match_type: strict, attributes: [{key: code, value: 17}]}", records) == [true, false, false])
        #expect(try await markedLogs("include: {match_type: strict, resources: [{key: service.name, value: shop}]}", records) == [true, true, true])
    }

    @Test func metricProperties() async throws {
        let metrics = [
            T.gauge("http.server.active_requests", points: [[KeyValue("a", "1")], [KeyValue("a", "2")]]),
            T.histogram("http.server.duration", points: [[KeyValue("a", "3")]]),
        ]
        #expect(try await markedPoints("include: {match_type: strict, metric_names: [http.server.duration]}", metrics) == [false, false, true])
        #expect(try await markedPoints("include: {match_type: regexp, metric_names: [active]}", metrics) == [true, true, false])
        #expect(try await markedPoints("exclude: {match_type: regexp, metric_names: [duration$]}", metrics) == [true, true, false])
        #expect(try await markedPoints("include: {match_type: strict, resources: [{key: service.name, value: other}]}", metrics) == [false, false, false])
    }
}
