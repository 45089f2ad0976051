import OTelTestSupport
@testable import PromTranslation
import Testing

/// `promtool check config` (Prometheus 2.42) and `RelabelRule.init` accept and refuse the same rules, with the
/// same message.
@Suite struct PromtoolParityTests {
    /// promtool is installed, or required (a missing one then fails).
    static let available = PrometheusServer.promtool != nil || PrometheusServer.required

    /// Patterns on both sides of Go's RE2 rules.
    static let patterns: [String] = [
        "(?<n>a)", "(?<=a)b", "(?=a)", "(?>a)", "a**", "a*+", "a{2}{3}", "a{2}?*", "a*(?i)*", "(?i)*", "a|*", "*",
        "x{1000}", "x{1001}", "(x{2}){500}", "(x{2}){501}", "(a{100}){100}", "x{2,1}", "x{,3}", "a{01}",
        "x{99999999999}", "\\8", "\\1", "\\12", "\\0", "\\e", "\\_", "\\Z", "\\C", "\\x{110000}", "\\x{}", "\\xZ1",
        "\\x{10FFFF}", "\\pX", "\\p{Cn}", "\\p{L&}", "\\p{Latn}", "\\p{Vithkuqi}", "\\p{Yezidi}", "\\p{Any}",
        "\\pZ", "\\p{^Greek}", "\\P{^Greek}", "\\p{Greek", "[[:foo:]]", "[[:alpha]", "[[:^word:]]", "[a-\\d]",
        "[z-a]", "[\\b]", "[\\Q]", "[a", "[]", "[]a]", "[^]a]", "(?P<a_1>x)", "(?P<>x)", "(?P<a", "(?P=a)",
        "(?P<a-b>x)", "(?x)a", "(?i-)a", "(?-)a", "(?)x", "(?i-s:a)", "(?U)a*", "()", "(a", "a)", "a)|(b", "\\",
        "\\Qa", "\\Qa\\E)", "^*", "$+", "\\b*", "",
        String(repeating: "(", count: 99) + "a" + String(repeating: ")", count: 99),
        String(repeating: "(", count: 999) + "a" + String(repeating: ")", count: 999),
        String(repeating: "(?:a|", count: 999) + "a" + String(repeating: ")", count: 999),
        String(repeating: "(?:ab", count: 500) + "c" + String(repeating: ")*", count: 500),
    ]

    @Test(
        .enabled(if: available, Comment(rawValue: PrometheusServer.missingMessage)),
        arguments: patterns)
    func regexVerdicts(_ pattern: String) throws {
        try compare(RuleSpec(sourceLabels: ["a"], regex: pattern, action: "drop"))
    }

    @Test(
        .enabled(if: available, Comment(rawValue: PrometheusServer.missingMessage)),
        arguments: RelabelValidationTests.refusals.map(\.rule) + RelabelValidationTests.accepted)
    func ruleVerdicts(_ rule: RuleSpec) throws {
        try compare(rule)
    }

    private func compare(_ rule: RuleSpec) throws {
        guard let promtool = PrometheusServer.promtool else {
            Issue.record("OTELSW_REQUIRE_PEERS=1 but promtool is not installed")
            return
        }
        let theirs = try PromtoolCheck.verdict(for: rule, promtool: promtool)
        let ours: String?
        do {
            _ = try rule.make()
            ours = nil
        } catch {
            ours = error.message
        }
        #expect(ours == theirs, "\(rule.description.prefix(200))")
    }
}
