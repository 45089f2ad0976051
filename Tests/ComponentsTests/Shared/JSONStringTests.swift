@testable import Components
import Testing

@Suite struct JSONStringTests {
    func quoted(_ s: String, html: Bool) -> String {
        var out = ""
        JSONString.append(s, to: &out, escapingHTML: html)
        return out
    }

    @Test func escapesWhatJSONNeedsAndGoEscapesWhenAsked() {
        let text = "a\"b\\c\n\r\t\u{01}<&>\u{2028}é"
        #expect(quoted(text, html: false) == "\"a\\\"b\\\\c\\n\\r\\t\\u0001<&>\u{2028}é\"")
        #expect(quoted(text, html: true) == "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u003c\\u0026\\u003e\\u2028é\"")
        #expect(quoted("", html: true) == "\"\"")
    }
}
