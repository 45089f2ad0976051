import Testing
import RE2

@Suite struct RE2ParserTests {
    /// Messages as Go 1.19 words them (Prometheus 2.42 anchors the regex as `^(?:…)$` before parsing).
    static let refusals: [(String, String)] = [
        ("(?<n>a)", "invalid or unsupported Perl syntax: `(?<`"),
        ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
        ("(?P=a)", "invalid or unsupported Perl syntax: `(?P`"),
        ("(?x)a", "invalid or unsupported Perl syntax: `(?x`"),
        ("(?i-)a", "invalid or unsupported Perl syntax: `(?i-)`"),
        ("a**", "invalid nested repetition operator: `**`"),
        ("a*+", "invalid nested repetition operator: `*+`"),
        ("x{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
        ("a{2}?*", "invalid nested repetition operator: `{2}?*`"),
        ("(?i)*", "missing argument to repetition operator: `*`"),
        ("a|*", "missing argument to repetition operator: `*`"),
        ("x{1001}", "invalid repeat count: `{1001}`"),
        ("x{2,1}", "invalid repeat count: `{2,1}`"),
        ("(x{2}){501}", "invalid repeat count: `{501}`"),
        ("\\8", "invalid escape sequence: `\\8`"),
        ("\\1", "invalid escape sequence: `\\1`"),
        ("\\Z", "invalid escape sequence: `\\Z`"),
        ("\\C", "invalid escape sequence: `\\C`"),
        ("\\x{110000}", "invalid escape sequence: `\\x{110000`"),
        ("\\x{}", "invalid escape sequence: `\\x{}`"),
        ("\\xZ1", "invalid escape sequence: `\\xZ1`"),
        ("[\\b]", "invalid escape sequence: `\\b`"),
        ("[a-\\d]", "invalid escape sequence: `\\d`"),
        ("\\pX", "invalid character class range: `\\pX`"),
        ("\\p{Cn}", "invalid character class range: `\\p{Cn}`"),
        ("\\p{Vithkuqi}", "invalid character class range: `\\p{Vithkuqi}`"),
        ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
        ("[z-a]", "invalid character class range: `z-a`"),
        ("(?P<>x)", "invalid named capture: `(?P<>`"),
        ("(?P<a", "invalid named capture: `(?P<a)$`"),
        ("(a", "missing closing ): `^(?:(a)$`"),
        ("\\", "missing closing ): `^(?:\\)$`"),
        ("a)", "unexpected ): `^(?:a))$`"),
        ("[a", "missing closing ]: `[a)$`"),
    ]

    @Test func refusedAsGoRefusesThem() {
        for (pattern, message) in Self.refusals {
            #expect(throws: RE2SyntaxError.self, "\(pattern)") { try RE2Parser.parse("^(?:" + pattern + ")$") }
            do {
                _ = try RE2Parser.parse("^(?:" + pattern + ")$")
            } catch {
                #expect(error.description == "error parsing regexp: " + message, "\(pattern)")
            }
        }
    }

    static let accepted: [String] = [
        "x{1000}", "(x{2}){500}", "x{,3}", "a{01}", "\\12", "\\0", "\\_", "(?)x", "(?P<a_1>x)", "(?P<n>a)(?P<n>b)",
        "\\p{Yezidi}", "\\p{Any}", "\\pZ", "\\p{^Greek}", "\\P{^Greek}", "[[:alpha]", "[[:^word:]]", "a*(?i)*",
        "^*", "()", "\\Q*+\\E", "a)|(b", "(?i-s:a)", "(?U)a*?",
    ]

    @Test func acceptedAsGoAcceptsThem() throws {
        for pattern in Self.accepted {
            #expect(throws: Never.self, "\(pattern)") { try RE2Parser.parse("^(?:" + pattern + ")$") }
        }
    }

    @Test func nestingLimitMatchesGo() throws {
        let within = String(repeating: "(", count: 998) + "a" + String(repeating: ")", count: 998)
        let beyond = String(repeating: "(", count: 999) + "a" + String(repeating: ")", count: 999)
        #expect(throws: Never.self) { try RE2Parser.parse("^(?:" + within + ")$") }
        #expect(throws: RE2SyntaxError.self) { try RE2Parser.parse("^(?:" + beyond + ")$") }
    }

    @Test func groupsAreNumberedAndNamed() throws {
        let parsed = try RE2Parser.parse("^(?:(a)(?P<x>b)(?:c)(?P<x>d))$")
        #expect(parsed.captureCount == 3)
        #expect(parsed.groupsByName == ["x": [2, 3]])
    }
}
