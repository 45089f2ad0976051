import Configuration
import Testing

/// In a value, `${env:NAME}` (or `${NAME}`) is replaced by the variable, `${env:NAME:-default}` by the
/// default when the variable is unset, and `$$` by a literal `$`. An unset variable without a default
/// is empty, with a warning at the value; a malformed reference is an error there. What comes in is
/// always text: it is never parsed as YAML, and keys are never substituted.
@Suite struct EnvironmentSubstitutionTests {
    static let environment = ["HOST": "collector", "EMPTY": "", "NUMBER": "42", "LIST": "[a, b]", "NULLTEXT": "null"]

    @Test func variablesAndDefaults() throws {
        let doc = YAMLDocument("""
            endpoint: ${env:HOST}:4317
            fallback: ${env:MISSING:-localhost:4318}
            set: ${env:HOST:-unused}
            empty: ${env:EMPTY:-unused}
            bare: ${HOST}
            twice: ${env:HOST}/${env:HOST}
            port: ${env:NUMBER}
            quoted: "${env:HOST}"
            """, environment: Self.environment)
        let r = try #require(doc.reader())
        #expect(r.string("endpoint") == "collector:4317")
        #expect(r.string("fallback") == "localhost:4318")
        #expect(r.string("set") == "collector")
        #expect(r.string("empty", default: "absent") == "", "a variable set to empty is used, not the default")
        #expect(r.string("bare") == "collector")
        #expect(r.string("twice") == "collector/collector")
        #expect(r.int("port", default: 0) == 42)
        #expect(r.raw("quoted")?.canonicalText == "'9:collector")
        r.finish()
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func unsetVariableWithoutDefaultIsEmptyWithAWarning() throws {
        let doc = YAMLDocument("exporters:\n  path: /var/${env:MISSING}log\n", environment: Self.environment)
        let exporters = try #require(doc.reader()?.section("exporters"))
        #expect(exporters.string("path") == "/var/log")
        #expect(doc.diagnostics == ["2:9: warning: environment variable MISSING is not set; using an empty value"])
        #expect(!doc.sink.hasErrors)
    }

    @Test func doubleDollarIsALiteralDollar() throws {
        let doc = YAMLDocument("price: $$5 and $${env:HOST} or $$${env:HOST}\n", environment: Self.environment)
        let r = try #require(doc.reader())
        #expect(r.string("price") == "$5 and ${env:HOST} or $collector")
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func aDollarThatStartsNoReferenceIsKept() throws {
        let doc = YAMLDocument("note: costs $ 5, ${unclosed\n", environment: Self.environment)
        let r = try #require(doc.reader())
        #expect(r.string("note") == "costs $ 5, ${unclosed")
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func malformedReferencesAreErrorsAndReadAsNothing() throws {
        let doc = YAMLDocument("""
            a: x${env:}y
            b: ${env:1ABC}
            c: ${file:/etc/passwd}
            d: ${env:BAD-NAME:-fallback}
            """, environment: Self.environment)
        let r = try #require(doc.reader())
        #expect(r.string("a") == "xy")
        #expect(r.string("b", default: "absent") == "")
        #expect(r.string("c", default: "absent") == "")
        #expect(r.string("d", default: "absent") == "", "the default of a malformed reference is not used")
        let expected = [("1:4", "env:"), ("2:4", "env:1ABC"), ("3:4", "file:/etc/passwd"), ("4:4", "env:BAD-NAME:-fallback")]
            .map { "\($0.0): invalid environment reference '${\($0.1)}': expected ${env:NAME} or ${env:NAME:-default}" }
        #expect(doc.diagnostics == expected)
    }

    @Test func substitutedTextIsNeverYAML() throws {
        let doc = YAMLDocument("hosts: ${env:LIST}\ntext: ${env:NULLTEXT}\n", environment: Self.environment)
        let r = try #require(doc.reader())
        #expect(r.raw("text")?.canonicalText == "=4:null", "not null")
        #expect(r.stringList("hosts").isEmpty)
        #expect(doc.diagnostics == ["1:8: 'hosts' must be a list, got '[a, b]'"])
    }

    @Test func keysAreTakenLiterally() throws {
        let doc = YAMLDocument("${env:HOST}: 1\n", environment: Self.environment)
        let r = try #require(doc.reader())
        #expect(r.keys.map { $0.key } == ["${env:HOST}"])
        #expect(doc.diagnostics.isEmpty)
    }
}
