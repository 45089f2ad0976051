@testable import PromTranslation
import Testing

@Suite struct RelabelValidationTests {
    struct Refusal: Sendable, CustomTestStringConvertible {
        var rule: RuleSpec
        var message: String
        var testDescription: String { rule.description }
    }

    /// Messages as Prometheus 2.42 (`promtool check config`) prints them.
    static let refusals: [Refusal] = [
        Refusal(rule: RuleSpec(action: "relabel"), message: #"unknown relabel action "relabel""#),
        Refusal(rule: RuleSpec(action: ""), message: #"unknown relabel action """#),
        Refusal(rule: RuleSpec(sourceLabels: ["1a"], action: "drop"), message: #""1a" is not a valid label name"#),
        Refusal(rule: RuleSpec(sourceLabels: ["a-b"], action: "drop"), message: #""a-b" is not a valid label name"#),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "b", action: "hashmod"),
            message: "relabel configuration for hashmod requires non-zero modulus"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "b", modulus: 0, action: "hashmod"),
            message: "relabel configuration for hashmod requires non-zero modulus"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"]),
            message: "relabel configuration for replace action requires 'target_label' value"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], modulus: 3, action: "hashmod"),
            message: "relabel configuration for hashmod action requires 'target_label' value"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], action: "lowercase"),
            message: "relabel configuration for lowercase action requires 'target_label' value"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], action: "keepequal"),
            message: "relabel configuration for keepequal action requires 'target_label' value"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "1b"),
            message: #""1b" is invalid 'target_label' for replace action"#),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "$1-"),
            message: #""$1-" is invalid 'target_label' for replace action"#),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "b$", regex: "(.*)"),
            message: #""b$" is invalid 'target_label' for replace action"#),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "b$1", modulus: 3, action: "hashmod"),
            message: #""b$1" is invalid 'target_label' for hashmod action"#),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "a$", action: "uppercase"),
            message: #""a$" is invalid 'target_label' for uppercase action"#),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "a-b", action: "lowercase"),
            message: #""a-b" is invalid 'target_label' for lowercase action"#),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "1", action: "keepequal"),
            message: #""1" is invalid 'target_label' for keepequal action"#),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "b", replacement: "x", action: "lowercase"),
            message: "'replacement' can not be set for lowercase action"),
        Refusal(
            rule: RuleSpec(regex: "a", replacement: "a-b", action: "labelmap"),
            message: #""a-b" is invalid 'replacement' for labelmap action"#),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "b", regex: "x", action: "keepequal"),
            message: "keepequal action requires only 'source_labels' and `target_label`, and no other fields"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], separator: ",", targetLabel: "b", action: "dropequal"),
            message: "dropequal action requires only 'source_labels' and `target_label`, and no other fields"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], targetLabel: "b", modulus: 2, action: "dropequal"),
            message: "dropequal action requires only 'source_labels' and `target_label`, and no other fields"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], regex: "a", action: "labeldrop"),
            message: "labeldrop action requires only 'regex', and no other fields"),
        Refusal(
            rule: RuleSpec(targetLabel: "t", regex: "a", action: "labelkeep"),
            message: "labelkeep action requires only 'regex', and no other fields"),
        Refusal(
            rule: RuleSpec(regex: "a", replacement: "x", action: "labeldrop"),
            message: "labeldrop action requires only 'regex', and no other fields"),
        Refusal(
            rule: RuleSpec(separator: "", regex: "a", action: "labelkeep"),
            message: "labelkeep action requires only 'regex', and no other fields"),
        Refusal(
            rule: RuleSpec(regex: "a", modulus: 1, action: "labeldrop"),
            message: "labeldrop action requires only 'regex', and no other fields"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], regex: "(?<n>a)", action: "drop"),
            message: "error parsing regexp: invalid or unsupported Perl syntax: `(?<`"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], regex: "a**", action: "drop"),
            message: "error parsing regexp: invalid nested repetition operator: `**`"),
        Refusal(
            rule: RuleSpec(sourceLabels: ["a"], regex: "(a", action: "drop"),
            message: "error parsing regexp: missing closing ): `^(?:(a)$`"),
    ]

    @Test(arguments: refusals)
    func refused(_ refusal: Refusal) {
        #expect(throws: RelabelError.self) { try refusal.rule.make() }
        do {
            _ = try refusal.rule.make()
        } catch {
            #expect(error.message == refusal.message)
        }
    }

    /// Combinations Prometheus accepts although they look odd.
    static let accepted: [RuleSpec] = [
        RuleSpec(regex: "(.)", replacement: "${1}", action: "labelmap"),
        RuleSpec(sourceLabels: ["a"], separator: "x", targetLabel: "zz", regex: "(.)", modulus: 3, action: "labelmap"),
        RuleSpec(sourceLabels: ["a"], targetLabel: "${1}x$2_", regex: "(.)(.)"),
        RuleSpec(sourceLabels: ["a"], separator: "", targetLabel: "a", modulus: 3),
        RuleSpec(regex: "x", action: "Keep"),
        RuleSpec(sourceLabels: ["a"], targetLabel: "b", action: "KEEPEQUAL"),
        RuleSpec(regex: "a", replacement: "$1", action: "labeldrop"),
        RuleSpec(sourceLabels: ["a"], regex: "(?P<n>a)(?P<n>b)", action: "drop"),
        RuleSpec(sourceLabels: ["a"], targetLabel: "${1}", action: "uppercase"),
        RuleSpec(sourceLabels: ["a"], targetLabel: "$1", action: "keepequal"),
    ]

    @Test(arguments: accepted)
    func acceptedAsPrometheusDoes(_ rule: RuleSpec) throws {
        _ = try rule.make()
    }

    @Test func fieldsAreKept() throws {
        let rule = try RelabelRule(sourceLabels: ["a", "b"], separator: "|", targetLabel: "t", regex: "x(.*)",
                                   modulus: nil, replacement: "$1", action: "Replace")
        #expect(rule.action == .replace)
        #expect(rule.sourceLabels == ["a", "b"])
        #expect(rule.separator == "|")
        #expect(rule.targetLabel == "t")
        #expect(rule.regex == "x(.*)")
        #expect(rule.modulus == 0)
        #expect(rule.replacement == "$1")
    }
}
