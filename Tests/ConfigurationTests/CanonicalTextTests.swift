import Configuration
import Foundation
import Testing

/// `canonicalText` is equal for the same settings however they are laid out (key order, block or flow
/// style, comments, where the text came from) and differs whenever a value, a list's order, the
/// quoting of a scalar or the presence of a key differs.
@Suite struct CanonicalTextTests {
    static let settings = """
        exporters:
          otlp:
            endpoint: collector:4317
            headers: {x-tenant: demo}
            retry_on_failure:
              enabled: true
              max_interval: 30s
        service:
          pipelines:
            traces:
              exporters: [otlp, debug]
        """

    static func canonical(_ text: String, environment: [String: String] = [:]) throws -> String {
        let doc = YAMLDocument(text, environment: environment)
        #expect(doc.diagnostics.isEmpty)
        return try #require(doc.node).canonicalText
    }

    @Test func layoutOrderAndCommentsDoNotMatter() throws {
        let rewritten = """
            # the same settings, written differently
            service: {pipelines: {traces: {exporters: [ otlp, debug ]}}}

            exporters:
              otlp:
                retry_on_failure: {max_interval: 30s, enabled: true}
                headers:
                  x-tenant: demo    # the tenant
                endpoint: "collector:4317"
            """
        #expect(try Self.canonical(rewritten) != Self.canonical(Self.settings), "a quoted endpoint is another value")
        let same = rewritten.replacingOccurrences(of: "\"collector:4317\"", with: "collector:4317")
        #expect(try Self.canonical(same) == Self.canonical(Self.settings))
    }

    @Test func environmentIsSubstitutedFirst() throws {
        let templated = Self.settings.replacingOccurrences(of: "collector:4317", with: "${env:ENDPOINT}")
        #expect(try Self.canonical(templated, environment: ["ENDPOINT": "collector:4317"]) == Self.canonical(Self.settings))
        #expect(try Self.canonical(templated, environment: ["ENDPOINT": "collector:4318"]) != Self.canonical(Self.settings))
    }

    @Test(arguments: [
        ("max_interval: 30s", "max_interval: 31s"),
        ("exporters: [otlp, debug]", "exporters: [debug, otlp]"),
        ("enabled: true", "enabled: \"true\""),
        ("enabled: true", "enabled: true\n      timeout:"),
        ("x-tenant: demo", "x-tenant: demo, x-other: demo"),
        ("headers: {x-tenant: demo}", "headers: {x-tenant: ''}"),
        ("headers: {x-tenant: demo}", "headers: {x-tenant: }"),
    ])
    func anyChangeOfValueMatters(_ original: String, _ changed: String) throws {
        let edited = Self.settings.replacingOccurrences(of: original, with: changed)
        #expect(edited != Self.settings)
        #expect(try Self.canonical(edited) != Self.canonical(Self.settings))
    }

    /// Keys sorted, each string prefixed by its UTF-8 length, `=` for plain and `'` for quoted scalars.
    @Test func format() throws {
        #expect(try Self.canonical("b: [x, 2]\na: ~\nc: 'q'\nd: {}\n") == "{1:a~1:b[=1:x=1:2]1:c'1:q1:d{}}")
        #expect(try Self.canonical("") == "~")
    }
}
