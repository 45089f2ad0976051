import Configuration
import Testing

/// Text that is not valid YAML is reported once, at the 1-based line and column where the parser
/// stopped, in the parser's words plus the construct it was reading; such a text has no root node.
@Suite struct YAMLSyntaxErrorTests {
    @Test func mappingValueInsideAValueIsReportedAtItsColon() {
        let doc = YAMLDocument("exporters:\n  debug: a: b\n")
        #expect(!doc.parsed)
        #expect(doc.diagnostics == ["2:11: invalid YAML: mapping values are not allowed in this context"])
    }

    @Test func unclosedFlowListNamesWhereItStarted() {
        let doc = YAMLDocument("a: [1, 2\nb: 3\n")
        #expect(!doc.parsed)
        #expect(doc.diagnostics == [
            "2:2: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)",
        ])
    }

    @Test func unterminatedQuoteIsReportedAtTheEndOfTheText() {
        let doc = YAMLDocument("a: \"unterminated\n")
        #expect(!doc.parsed)
        #expect(doc.diagnostics == [
            "2:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 1, column 4)",
        ])
    }

    @Test func tabIndentationIsReportedAtTheTab() {
        let doc = YAMLDocument("a: 1\n\tb: 2\n")
        #expect(!doc.parsed)
        #expect(doc.diagnostics == [
            "2:1: invalid YAML: found a tab character that violates indentation (while scanning a plain scalar at line 1, column 4)",
        ])
    }

    @Test func aSecondDocumentIsRejected() {
        let doc = YAMLDocument("a: 1\n---\nb: 2\n")
        #expect(!doc.parsed)
        #expect(doc.diagnostics == [
            "2:1: invalid YAML: but found another document (expected a single document in the stream at line 1, column 1)",
        ])
    }

    @Test func undefinedAliasIsReportedWhereItIsUsed() {
        let doc = YAMLDocument("a: *nope\n")
        #expect(!doc.parsed)
        #expect(doc.diagnostics == ["1:4: invalid YAML: found undefined alias"])
    }

    @Test func controlCharacterIsReportedAtItsColumn() {
        let doc = YAMLDocument("a: b\nc: d\u{01}\n")
        #expect(!doc.parsed)
        #expect(doc.diagnostics == ["2:5: invalid YAML: control characters are not allowed"])
    }

    /// Yams gives the offset of a reader error in characters; the parser counts it in UTF-8 bytes, so
    /// every multi-byte character before the problem moves the column (here to 2:2).
    @Test func controlCharacterAfterNonASCIITextIsReportedAtItsColumn() {
        let doc = YAMLDocument("a: \u{E9}\u{E9}\u{E9}\nc: d\u{01}\n")
        #expect(!doc.parsed)
        #expect(doc.diagnostics == ["2:5: invalid YAML: control characters are not allowed"])
    }

    @Test func aTextWithoutContentIsAnEmptyMapping() throws {
        let doc = YAMLDocument("# nothing here\n")
        let r = try #require(doc.reader())
        r.finish()
        #expect(doc.node?.isNull == true)
        #expect(r.keys.isEmpty)
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func aRootThatIsNotAMappingIsAnError() throws {
        let doc = YAMLDocument("just text\n")
        let r = try #require(doc.reader())
        #expect(r.keys.isEmpty)
        #expect(doc.diagnostics == ["1:1: the top level must be a mapping, got 'just text'"])
    }
}

/// Mapping keys are plain strings, each at most once per mapping.
@Suite struct YAMLKeyTests {
    /// Yams rejects the repetition itself, naming the key at its first place.
    @Test func aRepeatedKeyFailsTheParse() {
        let doc = YAMLDocument("a: 1\nb: 2\na: 3\n")
        #expect(!doc.parsed)
        #expect(doc.diagnostics == ["1:1: duplicate keys a"])
    }

    /// `1` and `"1"` differ for Yams (an int and a string) but are the same key for a reader.
    @Test func keysThatDifferOnlyInQuotingCollide() throws {
        let doc = YAMLDocument("1: a\n\"1\": b\n")
        let r = try #require(doc.reader())
        #expect(r.keys.map { $0.key } == ["1"])
        #expect(r.string("1") == "a")
        #expect(doc.diagnostics == ["2:1: duplicate key '1' (first defined at line 1)"])
    }

    @Test func aListAsKeyIsAnErrorAndTheRestIsKept() throws {
        let doc = YAMLDocument("[a, b]: 1\nc: 2\n")
        let r = try #require(doc.reader())
        #expect(r.keys.map { $0.key } == ["c"])
        #expect(r.keys.first.map { "\($0.location.line):\($0.location.column)" } == "2:1")
        #expect(doc.diagnostics == ["1:1: mapping keys must be plain strings"])
    }
}

/// Only a plain `~`, `null`, `Null`, `NULL` or nothing at all is null. The same text in quotes is a
/// string, and the node remembers that it was quoted.
@Suite struct ScalarQuotingTests {
    @Test func plainNullSpellingsAreNull() throws {
        let doc = YAMLDocument("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\n")
        let r = try #require(doc.reader())
        for key in ["a", "b", "c", "d", "e"] {
            #expect(r.raw(key)?.isNull == true, "\(key)")
            #expect(r.optionalString(key) == nil, "\(key)")
            #expect(r.string(key, default: "fallback") == "fallback", "\(key)")
        }
        #expect(r.raw("f")?.canonicalText == "=4:nULL")
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func quotedNullSpellingsAreStrings() throws {
        let doc = YAMLDocument("a: \"null\"\nb: '~'\nc: ''\nd: \"\"\n")
        let r = try #require(doc.reader())
        #expect(r.raw("a")?.canonicalText == "'4:null")
        #expect(r.raw("b")?.canonicalText == "'1:~")
        #expect(r.raw("c")?.canonicalText == "'0:")
        #expect(r.string("a", default: "fallback") == "null")
        #expect(r.string("b", default: "fallback") == "~")
        #expect(r.string("c", default: "fallback") == "")
        #expect(r.optionalString("d") == "")
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func quotingIsKeptOnTheNode() throws {
        let doc = YAMLDocument("plain: 5\ndouble: \"5\"\nsingle: '5'\n")
        let r = try #require(doc.reader())
        #expect(r.raw("plain")?.canonicalText == "=1:5")
        #expect(r.raw("double")?.canonicalText == "'1:5")
        #expect(r.raw("single")?.canonicalText == "'1:5")
        #expect(r.raw("plain")?.kindDescription == "'5'")
        #expect(r.raw("double")?.kindDescription == "'5'")
    }
}
