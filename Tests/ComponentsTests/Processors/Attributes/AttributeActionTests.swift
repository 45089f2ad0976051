@testable import Components
import Configuration
import OTelModel
import PipelineCore
import Testing

/// Each action on span, log record and data point attributes.
@Suite struct AttributeActionTests {
    typealias T = AttributesTesting

    /// Runs `yaml` over one span, one log record and a gauge and a histogram point, each starting
    /// with `attributes`, and returns what each ended with.
    func each(_ yaml: String, _ attributes: [KeyValue], context: RequestContext? = nil) async throws -> [[KeyValue]] {
        let spans = try await T.run(yaml, T.spans([T.span("GET /", attributes)]), context: context)
        let logs = try await T.run(yaml, T.logs([T.record("hello", attributes)]), context: context)
        let metrics = try await T.run(yaml, T.metrics([T.gauge("g", points: [attributes]), T.histogram("h", points: [attributes])]), context: context)
        let results = T.spanAttributes(spans) + T.logAttributes(logs) + T.pointAttributes(metrics)
        #expect(results.count == 4)
        return results
    }

    /// Asserts that every signal ended with `expected`.
    func expectAll(_ yaml: String, _ attributes: [KeyValue], _ expected: [KeyValue], context: RequestContext? = nil,
                   sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        for (i, got) in try await each(yaml, attributes, context: context).enumerated() {
            #expect(got == expected, "\(["span", "log", "gauge point", "histogram point"][i])", sourceLocation: sourceLocation)
        }
    }

    @Test func insertOnlyWhenAbsent() async throws {
        let yaml = """
            actions:
              - {key: env, value: prod, action: insert}
              - {key: region, value: eu, action: insert}
            """
        try await expectAll(yaml, [KeyValue("region", "us")], [KeyValue("region", "us"), KeyValue("env", "prod")])
    }

    @Test func updateOnlyWhenPresent() async throws {
        let yaml = """
            actions:
              - {key: region, value: eu, action: update}
              - {key: env, value: prod, action: update}
            """
        try await expectAll(yaml, [KeyValue("region", "us")], [KeyValue("region", "eu")])
    }

    @Test func upsertInsertsOrUpdates() async throws {
        let yaml = """
            actions:
              - {key: region, value: eu, action: upsert}
              - {key: env, value: prod, action: upsert}
            """
        try await expectAll(yaml, [KeyValue("region", "us")], [KeyValue("region", "eu"), KeyValue("env", "prod")])
    }

    @Test func valuesKeepTheirYAMLType() async throws {
        let yaml = """
            actions:
              - {key: i, value: 2245, action: insert}
              - {key: d, value: 1.5, action: insert}
              - {key: b, value: true, action: insert}
              - {key: s, value: "42", action: insert}
              - {key: list, value: [a, 1], action: insert}
            """
        try await expectAll(yaml, [], [
            KeyValue("i", int: 2245), KeyValue("d", double: 1.5), KeyValue("b", bool: true), KeyValue("s", "42"),
            KeyValue(key: "list", value: .array([.string("a"), .int(1)])),
        ])
    }

    @Test func fromAttributeCopiesAndSkipsWhenMissing() async throws {
        let yaml = """
            actions:
              - {key: copy, from_attribute: original, action: upsert}
              - {key: other, from_attribute: missing, action: upsert}
              - {key: region, from_attribute: missing, default_value: eu, action: insert}
            """
        try await expectAll(yaml, [KeyValue("original", int: 7)], [KeyValue("original", int: 7), KeyValue("copy", int: 7), KeyValue("region", "eu")])
    }

    @Test func deleteByKeyAndPattern() async throws {
        let yaml = """
            actions:
              - {key: password, action: delete}
              - {pattern: ^secret\\., action: delete}
            """
        try await expectAll(yaml, [KeyValue("password", "x"), KeyValue("secret.a", "1"), KeyValue("keep.secret.b", "2"), KeyValue("secret.c", "3")],
                            [KeyValue("keep.secret.b", "2")])
    }

    @Test func hashIsSHA1HexOfTheValue() async throws {
        // hashlib.sha1(b"jürgen@example.com").hexdigest() and hashlib.sha1(b"abc").hexdigest()
        let yaml = """
            actions:
              - {key: email, action: hash}
              - {pattern: ^token, action: hash}
            """
        try await expectAll(yaml, [KeyValue("email", "jürgen@example.com"), KeyValue("token.a", "abc"), KeyValue("other", "abc")], [
            KeyValue("email", "458881da1c6b9177bd56e883eca7b9006b3f7969"),
            KeyValue("token.a", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            KeyValue("other", "abc"),
        ])
    }

    @Test func extractNamedGroups() async throws {
        let yaml = """
            actions:
              - key: http.url
                pattern: ^(?P<http_protocol>[a-z]+)://(?P<http_domain>[^/]+)(?<http_path>/[^?]*)?
                action: extract
            """
        try await expectAll(yaml, [KeyValue("http.url", "https://shop.example.com/cart?id=1"), KeyValue("http_path", "old")], [
            KeyValue("http.url", "https://shop.example.com/cart?id=1"), KeyValue("http_path", "/cart"),
            KeyValue("http_protocol", "https"), KeyValue("http_domain", "shop.example.com"),
        ])
        // No match, or a value that is not a string: nothing changes.
        try await expectAll(yaml, [KeyValue("http.url", "not a url")], [KeyValue("http.url", "not a url")])
        try await expectAll(yaml, [KeyValue("http.url", int: 3)], [KeyValue("http.url", int: 3)])
        // A group that takes no part in the match gives an empty value.
        try await expectAll(yaml, [KeyValue("http.url", "http://a")],
                            [KeyValue("http.url", "http://a"), KeyValue("http_protocol", "http"), KeyValue("http_domain", "a"), KeyValue("http_path", "")])
    }

    @Test func convertFollowsTheCollectorsRules() async throws {
        func convert(_ value: AnyValue, to type: String) async throws -> AnyValue? {
            let yaml = "actions: [{key: v, action: convert, converted_type: \(type)}]"
            let results = try await each(yaml, [KeyValue(key: "v", value: value)])
            #expect(Set(results.map { "\($0)" }).count == 1, "every signal converts alike")
            return results.first?.first?.value
        }
        #expect(try await convert(.string("42"), to: "int") == .int(42))
        #expect(try await convert(.string("-7"), to: "int") == .int(-7))
        #expect(try await convert(.string("4.5"), to: "int") == .string("4.5"), "ParseInt refuses decimals: left alone")
        #expect(try await convert(.string("abc"), to: "int") == .string("abc"))
        #expect(try await convert(.double(-3.9), to: "int") == .int(-3), "truncated toward zero")
        #expect(try await convert(.bool(true), to: "int") == .int(1))
        #expect(try await convert(.bytes("x"), to: "int") == .bytes("x"))
        #expect(try await convert(.string("2.5e3"), to: "double") == .double(2500))
        #expect(try await convert(.string("1e400"), to: "double") == .string("1e400"), "out of range: left alone")
        #expect(try await convert(.string("x1"), to: "double") == .string("x1"))
        #expect(try await convert(.int(3), to: "double") == .double(3))
        #expect(try await convert(.bool(false), to: "double") == .double(0))
        #expect(try await convert(.int(3), to: "string") == .string("3"))
        #expect(try await convert(.double(1.5), to: "string") == .string("1.5"))
        #expect(try await convert(.double(1e21), to: "string") == .string("1e+21"))
        #expect(try await convert(.double(1e20), to: "string") == .string("100000000000000000000"))
        #expect(try await convert(.double(1.5e-7), to: "string") == .string("1.5e-7"))
        #expect(try await convert(.bool(true), to: "string") == .string("true"))
        #expect(try await convert(.kvlist([KeyValue("b", int: 1), KeyValue("a", "x")]), to: "string") == .string(#"{"a":"x","b":1}"#))
        #expect(try await convert(.array([.string("a"), .double(2)]), to: "string") == .string(#"["a",2]"#))
    }

    @Test func actionsApplyInOrder() async throws {
        let yaml = """
            actions:
              - {key: user, from_attribute: email, action: insert}
              - {key: email, action: delete}
              - {key: user, action: hash}
            """
        // hashlib.sha1(b"abc").hexdigest()
        try await expectAll(yaml, [KeyValue("email", "abc")], [KeyValue("user", "a9993e364706816aba3e25717850c26c9cd0d89d")])
    }

    @Test func fromContextReadsRequestMetadata() async throws {
        let yaml = """
            actions:
              - {key: tenant, from_context: metadata.x-tenant, action: upsert}
              - {key: tenant.plain, from_context: X-Tenant, action: insert}
              - {key: client, from_context: client.address, action: insert}
              - {key: missing, from_context: metadata.absent, action: insert}
            """
        let context = RequestContext(pairs: [("X-Tenant", "acme"), ("x-tenant", "beta")], clientAddress: "10.1.2.3")
        try await expectAll(yaml, [], [KeyValue("tenant", "acme;beta"), KeyValue("tenant.plain", "acme;beta"), KeyValue("client", "10.1.2.3")],
                            context: context)
        try await expectAll(yaml, [KeyValue("tenant", "old")], [KeyValue("tenant", "old")], context: RequestContext?.none)
    }

    @Test func untouchedPayloadKeepsItsEncoding() async throws {
        var data = T.spans([T.span("GET /", [KeyValue("a", "1")])])
        data = try TracesData(protobuf: ByteStorage(copying: data.protobufBytes()))
        #expect(data.protobufSource != nil)
        let unchanged = try await T.run("actions: [{key: missing, value: x, action: update}]", data)
        #expect(unchanged.protobufSource != nil, "nothing changed, so the request bytes can be sent as they came")
        let changed = try await T.run("actions: [{key: a, value: x, action: update}]", data)
        #expect(changed.protobufSource == nil)
        #expect(T.spanAttributes(changed) == [[KeyValue("a", "x")]])
    }
}
