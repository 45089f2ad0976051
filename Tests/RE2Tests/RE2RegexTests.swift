import RE2
import Testing

/// The regex the Collector-compatible components share: RE2 syntax and meaning as Go's `regexp`
/// has them (found anywhere unless anchored, `(?P<name>…)` and `(?<name>…)` groups, no
/// backreferences or look-around), whatever ICU would accept on its own.
@Suite struct RE2RegexTests {
    @Test func matchesAnywhereUnlessAnchored() throws {
        let loose = try RE2Regex("b+")
        #expect(loose.matches("abbbc"))
        #expect(!loose.matches("ac"))
        let anchored = try RE2Regex("^b+$")
        #expect(!anchored.matches("abbbc"))
        #expect(anchored.matches("bbb"))
        // `$` is the end of the text, not also before a final newline as in ICU.
        #expect(!anchored.matches("bbb\n"))
        // `.` does not match a newline; `(?s)` makes it.
        #expect(!(try RE2Regex("^a.b$")).matches("a\nb"))
        #expect(try RE2Regex("(?s)^a.b$").matches("a\nb"))
    }

    @Test func namedGroupsInBothSpellingsWithUnderscores() throws {
        let r = try RE2Regex(#"(?P<first_name>\w+) (?<last>\w+)(?: (\d+))?"#)
        #expect(r.namedGroups.map(\.name) == ["first_name", "last"])
        #expect(r.namedGroups.map(\.index) == [1, 2])
        #expect(r.captureCount == 3)
        let groups = try #require(r.groups("hi Ada Lovelace"))
        #expect(groups == ["hi Ada", "hi", "Ada", nil], "the leftmost match")
        #expect(r.groups("!!!") == nil)
    }

    @Test func capturesAreUTF8Text() throws {
        let r = try RE2Regex("(é+)(x?)")
        #expect(try #require(r.groups("aééb")) == ["éé", "éé", ""])
        let bytes = Array("zéz".utf8)
        #expect(bytes.withUnsafeBufferPointer { r.matches($0) })
    }

    /// What Go refuses is refused, with Go's (1.22) words, although ICU would take it.
    @Test(arguments: [
        (#"(a)\1"#, "invalid escape sequence"),
        ("(?=a)", "invalid or unsupported Perl syntax"),
        ("(?<!a)b", "invalid named capture"),
        ("(?'n'a)", "invalid or unsupported Perl syntax"),
        ("(?P<a.b>x)", "invalid named capture"),
        ("a{1001}", "invalid repeat count"),
        ("[z-a]", "invalid character class range"),
    ])
    func goRefusesItSoDoWe(_ pattern: String, _ reason: String) {
        do {
            _ = try RE2Regex(pattern)
            Issue.record("\(pattern) compiled")
        } catch {
            #expect(error.message.contains(reason), "\(pattern): \(error.message)")
        }
    }

    /// ASCII classes as in Go: `\d` is not Arabic-Indic digits, `\w` not accented letters.
    @Test func perlClassesAreASCII() throws {
        #expect(!(try RE2Regex(#"^\d$"#)).matches("٣"))
        #expect(!(try RE2Regex(#"^\w$"#)).matches("é"))
        #expect(try RE2Regex(#"^\pL$"#).matches("é"))
    }
}
