@testable import PromTranslation
import Testing

@Suite struct GoCaseMappingTests {
    static let cases: [(String, lower: String, upper: String)] = [
        ("ABC-xyz_09", "abc-xyz_09", "ABC-XYZ_09"),
        ("ß", "ß", "ß"),
        ("İ", "i", "İ"),
        ("ı", "ı", "I"),
        ("ǅ", "ǆ", "Ǆ"),
        ("ſ", "ſ", "S"),
        ("\u{212A}", "k", "\u{212A}"),
        ("ᾳᾈ", "ᾳᾀ", "ᾼᾈ"),
        ("ﬀŉ", "ﬀŉ", "ﬀŉ"),
        ("ƛɤ", "ƛɤ", "ƛɤ"),
        ("Σς", "σς", "ΣΣ"),
        ("\u{2C2F}", "\u{2C2F}", "\u{2C2F}"),
    ]

    @Test func simpleMappingsAsGo() {
        for (input, lower, upper) in Self.cases {
            #expect(GoCaseMapping.lowercased(input) == lower, "\(input)")
            #expect(GoCaseMapping.uppercased(input) == upper, "\(input)")
        }
    }
}
