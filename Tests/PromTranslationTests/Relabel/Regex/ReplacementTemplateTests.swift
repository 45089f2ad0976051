@testable import PromTranslation
import Testing

@Suite struct ReplacementTemplateTests {
    static let cases: [(template: String, expected: String)] = [
        ("$1", "ab"), ("${1}", "ab"), ("$1x", ""), ("${1}x", "abx"), ("$2", "cd"), ("$3", ""), ("$0", "ab-cd"),
        ("$first", "ab"), ("${second}!", "cd!"), ("$firstx", ""), ("$$1", "$1"), ("$", "$"), ("a$", "a$"),
        ("$-", "$-"), ("${1", "${1"), ("${}", "${}"), ("$01", ""), ("$é", ""), ("$1é", ""), ("x${2}y$1", "xcdyab"),
        ("plain", "plain"), ("", ""), ("$999999999", ""), ("$1000000000", ""),
    ]

    @Test func expandsAsGoExpands() throws {
        let regex = try AnchoredRegex("(?P<first>\\w+)-(?P<second>\\w+)")
        for (template, expected) in Self.cases {
            let expansion = ReplacementTemplate(
                template, captureCount: regex.captureCount, groupsByName: regex.groupsByName)
            #expect(expansion.expand(matching: regex, "ab-cd") == expected, "\(template)")
        }
    }

    @Test func duplicateNamesUseTheFirstGroupThatTookPart() throws {
        let regex = try AnchoredRegex("(?P<n>a)x|(?P<n>b)y")
        let template = ReplacementTemplate("<$n>", captureCount: regex.captureCount, groupsByName: regex.groupsByName)
        #expect(template.expand(matching: regex, "by") == "<b>")
        #expect(template.expand(matching: regex, "ax") == "<a>")
    }

    @Test func constantTemplates() {
        #expect(ReplacementTemplate("a$$b", captureCount: 1, groupsByName: [:]).constant == Array("a$b".utf8))
        #expect(ReplacementTemplate("$5", captureCount: 1, groupsByName: [:]).constant == [])
        #expect(ReplacementTemplate("$1", captureCount: 1, groupsByName: [:]).constant == nil)
    }
}
