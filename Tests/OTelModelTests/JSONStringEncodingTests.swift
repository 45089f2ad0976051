import OTelModel
import Testing

/// The one JSON string writer outside the OTLP codec: what it escapes, as Go does, and invalid UTF-8.
@Suite struct JSONStringEncodingTests {
    func quoted(_ s: String, html: Bool) -> String {
        var out = ""
        JSONStringEncoding.append(s, to: &out, escapingHTML: html)
        return out
    }

    @Test func escapesWhatJSONNeedsAndGoEscapesWhenAsked() {
        let text = "a\"b\\c\n\r\t\u{01}<&>\u{2028}é"
        #expect(quoted(text, html: false) == "\"a\\\"b\\\\c\\n\\r\\t\\u0001<&>\u{2028}é\"")
        #expect(quoted(text, html: true) == "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u003c\\u0026\\u003e\\u2028é\"")
        #expect(quoted("", html: true) == "\"\"")
        // \b and \f as Go 1.22's encoding/json writes them; other controls as \u00XX.
        #expect(quoted("\u{08}\u{0C}\u{1F}", html: false) == "\"\\b\\f\\u001f\"")
    }

    @Test func invalidUTF8BecomesReplacementCharacters() {
        var out: [UInt8] = []
        let bytes: [UInt8] = [0x61, 0xC3, 0x28, 0xE2, 0x80, 0xA8, 0xF0, 0x9F, 0x98]
        bytes.withUnsafeBufferPointer { JSONStringEncoding.append($0, to: &out, escapingHTML: true) }
        #expect(String(decoding: out, as: UTF8.self) == "\"a\u{FFFD}(\\u2028\u{FFFD}\"")
    }
}
