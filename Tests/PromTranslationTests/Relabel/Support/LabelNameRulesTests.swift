@testable import PromTranslation
import Testing

@Suite struct LabelNameRulesTests {
    @Test func labelNames() {
        for valid in ["a", "_", "__name__", "A9_z"] { #expect(LabelNameRules.isValid(valid), "\(valid)") }
        for invalid in ["", "1a", "a-b", "a.b", "é", "a b", "$1"] { #expect(!LabelNameRules.isValid(invalid)) }
    }

    @Test func templates() {
        for valid in ["a", "$1", "${1}", "${1}x", "a$1", "$1_$2", "${name}_x", "_$x9", "$1${2}3"] {
            #expect(LabelNameRules.isValidTemplate(valid), "\(valid)")
        }
        for invalid in ["", "1a", "$", "a$", "${}", "${1", "$-", "a-b", "$$", "${a-b}"] {
            #expect(!LabelNameRules.isValidTemplate(invalid), "\(invalid)")
        }
    }
}
