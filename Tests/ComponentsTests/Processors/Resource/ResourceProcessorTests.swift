@testable import Components
import OTelModel
import Testing

/// The `resource` processor: the same actions, on every signal's resource attributes.
@Suite struct ResourceProcessorTests {
    typealias T = AttributesTesting

    static let yaml = """
        attributes:
          - {key: deployment.environment, value: prod, action: upsert}
          - {key: host.name, action: delete}
          - {key: user.email, action: hash}
          - {key: service.name, value: other, action: insert}
        """
    static let before = [KeyValue("service.name", "shop"), KeyValue("host.name", "h1"), KeyValue("user.email", "abc")]
    // hashlib.sha1(b"abc").hexdigest()
    static let after = [KeyValue("service.name", "shop"), KeyValue("user.email", "a9993e364706816aba3e25717850c26c9cd0d89d"),
                        KeyValue("deployment.environment", "prod")]

    @Test func everySignal() async throws {
        let spans = try await T.runResource(Self.yaml, T.spans([T.span("a", [KeyValue("k", "v")])], resource: Self.before))
        #expect(Array(spans.resourceSpans[0].resource!.attributes) == Self.after)
        #expect(T.spanAttributes(spans) == [[KeyValue("k", "v")]], "item attributes are not touched")
        let logs = try await T.runResource(Self.yaml, T.logs([T.record("x")], resource: Self.before))
        #expect(Array(logs.resourceLogs[0].resource!.attributes) == Self.after)
        let metrics = try await T.runResource(Self.yaml, T.metrics([T.gauge("g", points: [[]])], resource: Self.before))
        #expect(Array(metrics.resourceMetrics[0].resource!.attributes) == Self.after)
    }

    @Test func aResourceWithoutAttributesGetsInsertedOnes() async throws {
        var data = T.spans([T.span("a")])
        data.resourceSpans[0].resource = nil
        let out = try await T.runResource("attributes: [{key: env, value: dev, action: insert}]", data)
        #expect(Array(out.resourceSpans[0].resource!.attributes) == [KeyValue("env", "dev")])
    }

    @Test func configNeedsAttributes() {
        let missing = T.diagnostics("""
            receivers: {otlp: {protocols: {http: }}}
            processors:
              resource:
                actions: [{key: a, value: b, action: insert}]
            exporters: {debug: }
            service: {pipelines: {traces: {receivers: [otlp], processors: [resource], exporters: [debug]}}}
            """)
        #expect(missing.contains("3:3: 'attributes' is required: a list of actions to apply to attributes"), "\(missing)")
        #expect(missing.contains { $0.hasPrefix("4:5: unknown key 'actions'") }, "\(missing)")
    }
}
