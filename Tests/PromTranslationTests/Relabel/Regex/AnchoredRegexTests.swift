@testable import PromTranslation
import Testing

@Suite struct AnchoredRegexTests {
    /// Patterns the byte matcher handles; each must agree with ICU on every input, groups included.
    static let bytePatterns: [String] = [
        "(.*)", ".*", ".+", "(.+)", "", "foo", "foo|bar|baz", "(foo|bar)", "(foo)|(bar)", "go_.*", "__meta_(.+)",
        "(.+);(.+)", "(.+?);(.+)", "(.*);(.*)", "(.*?);(.*?)", "(.*)_total", "a(.*)b(.*)c", "(a|ab)_(.*)",
        "x|", "|x", "(?s)(.*)", "(?s).+x", "a\\.b", "\\Qa.b\\E(.*)", "é(.*)", "(?i)1_(.*)", "(?U)(.*)_(.*)",
        "a|b|c|d|e|f|g|h|i|j|k|ab", "(?:foo|bar)(.*)", "^foo$", "(foo)|foo",
        "a(?:b|)(.*)", "^(.*)$|x",
    ]

    static let inputs: [String] = [
        "", "foo", "bar", "baz", "foobar", "go_gc", "go_", "gogc", "__meta_zone", "__meta_", "a;b", "a;b;c", ";",
        ";;", "x;", ";y", "a\nb", "x\n", "\n", "ab_c", "a_c", "abc", "a_b_c", "aXbYc", "abbc", "a.b", "aXb", "éx",
        "e\u{301}x", "1_x", "x_total", "_total", "x", "j", "k", "ab", "😀;😀", "1_\n",
    ]

    @Test(arguments: bytePatterns)
    func byteMatcherAgreesWithICU(_ pattern: String) throws {
        let bytes = try AnchoredRegex(pattern)
        let icu = try AnchoredRegex(pattern, allowByteMatcher: false)
        #expect(bytes.usesByteMatcher, "\(pattern) should take the byte path")
        #expect(!icu.usesByteMatcher)
        for input in Self.inputs {
            #expect(bytes.matches(input) == icu.matches(input), "\(pattern) on \(input.debugDescription)")
            let ours = bytes.groups(input)
            let theirs = icu.groups(input)
            #expect(ours == theirs, "\(pattern) on \(input.debugDescription)")
        }
    }

    @Test(arguments: ["[a-z]+", "(?i)foo", "a+", "\\d", "(a)(b)(c)|x+", ".*.*", "(.*)(.*)", "(.*)(?:b|)(.*)", "\\bx", "a^b"])
    func otherPatternsUseICU(_ pattern: String) throws {
        #expect(try !AnchoredRegex(pattern).usesByteMatcher)
    }

    /// RE2 meanings that ICU spells differently, as Go 1.19 evaluates them (cross-checked against Prometheus).
    static let translations: [(pattern: String, input: String, groups: [String?]?)] = [
        (".", "\r", ["\r"]),
        (".", "\u{2028}", ["\u{2028}"]),
        (".", "\n", nil),
        ("(?s).", "\n", ["\n"]),
        ("x$", "x\n", nil),
        ("x\\z", "x", ["x"]),
        ("(?m)(a)$\\n^(b)", "a\nb", ["a\nb", "a", "b"]),
        ("\\d+", "\u{663}", nil),
        ("\\w+", "é", nil),
        ("\\s", "\u{0B}", nil),
        ("\\s", "\u{A0}", nil),
        ("a\\vb", "a\u{0B}b", ["a\u{0B}b"]),
        ("(\\w+)\\b(.*)", "abcé", ["abcé", "abc", "é"]),
        ("[[:alpha:]]+", "aé", nil),
        ("\\pC", "\u{378}", nil),
        ("\\pC", "\u{7}", ["\u{7}"]),
        ("\\p{Greek}+", "αβ", ["αβ"]),
        ("\\p{^Greek}", "a", ["a"]),
        ("(?i)k", "\u{212A}", ["\u{212A}"]),
        ("(?i)straße", "STRASSE", nil),
        ("(?i)straße", "STRAẞE", ["STRAẞE"]),
        ("(?i)[^k]", "\u{212A}", nil),
        ("(?U)(a+)(.*)", "aaa", ["aaa", "a", "aa"]),
        ("(?U)(a+?)(.*)", "aaa", ["aaa", "aaa", ""]),
        ("(a|ab)(c|bcd)(d*)", "abcd", ["abcd", "a", "bcd", ""]),
        ("\\101\\x41\\x{41}", "AAA", ["AAA"]),
        ("x{,3}", "x{,3}", ["x{,3}"]),
        ("a{01}", "a{01}", ["a{01}"]),
        ("[]a]+", "]a]", ["]a]"]),
        ("[^]a]+", "bc", ["bc"]),
        ("[a-]+", "-a", ["-a"]),
        ("[[]", "[", ["["]),
        ("^*a", "a", ["a"]),
        ("(a|b)*", "ab", ["ab", "b"]),
        ("\\Q(?i)\\E", "(?i)", ["(?i)"]),
    ]

    @Test func translatedConstructs() throws {
        for (pattern, input, groups) in Self.translations {
            let regex = try AnchoredRegex(pattern, allowByteMatcher: false)
            #expect(regex.groups(input) == groups, "\(pattern) on \(input.debugDescription)")
        }
    }

    /// RE2 never completes an empty loop iteration; ICU would complete one and keep its (empty) groups.
    static let emptyIterations: [(pattern: String, input: String, groups: [String?]?)] = [
        ("(a*)+b", "ab", ["ab", "a"]),
        ("(a*)+b", "b", ["b", ""]),
        ("(a*)*b", "ab", ["ab", "a"]),
        ("(a*)*b", "b", ["b", nil]),
        ("(a|)*", "aa", ["aa", "a"]),
        ("(a*)+?b", "aab", ["aab", "aa"]),
        ("(?:(a)|b?)*c", "ac", ["ac", "a"]),
        ("((a*)(b*))*x", "abx", ["abx", "ab", "a", "b"]),
        ("(a*){0,}b", "ab", ["ab", "a"]),
        ("(a*){1,}b", "b", ["b", ""]),
    ]

    @Test func emptyLoopIterationsFollowRE2() throws {
        for (pattern, input, groups) in Self.emptyIterations {
            let regex = try AnchoredRegex(pattern)
            #expect(!regex.usesByteMatcher)
            #expect(regex.groups(input) == groups, "\(pattern) on \(input.debugDescription)")
        }
    }

    /// Known divergence: RE2 discards any path that comes back to the same program point without consuming
    /// input. With a lazy inner loop, iteration 2 of `(a*?)+` starts where iteration 1 left the inner loop, so
    /// RE2 (Prometheus) yields group 1 = "aa" where ICU yields "a". Only groups differ, never whether a value
    /// matches.
    @Test func lazyInnerLoopCapturesDiffer() throws {
        let regex = try AnchoredRegex("(a*?)+b")
        #expect(regex.matches("aab"))
        #expect(regex.groups("aab") == ["aab", "a"])
    }

    @Test func deepNestingBeyondICUIsRefusedClearly() {
        let pattern = String(repeating: "(", count: 150) + "a" + String(repeating: ")", count: 150)
        #expect {
            _ = try AnchoredRegex(pattern)
        } throws: { error in
            (error as? RelabelError)?.message.contains("ICU allows at most 100 nested groups") == true
        }
    }
}
