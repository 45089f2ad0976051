import Testing

@testable import PromTranslation

@Suite struct LabelNameTests {
    @Test(arguments: [
        ("http.method", "http_method"),
        ("http_method", "http_method"),
        ("Foo", "Foo"),
        ("a.b", "a_b"),
        ("a..b", "a_b"),
        ("a__b", "a_b"),
        ("a-b/c d", "a_b_c_d"),
        ("foo:bar", "foo_bar"),
        ("foo.", "foo_"),
        ("foo__", "foo_"),
        // leading underscore(s): "key" prefix; "__" never survives from an attribute key
        ("_foo", "key_foo"),
        ("__foo", "key_foo"),
        ("__name__", "key_name_"),
        ("_", "key_"),
        (".", "key_"),
        (".foo", "key_foo"),
        // leading digits: "key_" prefix
        ("1abc", "key_1abc"),
        ("9", "key_9"),
        ("0.5", "key_0_5"),
        // non-ASCII
        ("naïve.key", "na_ve_key"),
        ("ключ", "key_"),
        ("é1", "key_1"),
        ("e\u{301}", "e_"),
        ("señal😀", "se_al_"),
        // empty
        ("", ""),
    ])
    func sanitises(_ key: String, _ expected: String) {
        #expect(PromNaming.labelName(key) == expected)
        if !expected.isEmpty {
            #expect(PromNaming.isValidLabelName(expected))
            #expect(PromNaming.labelName(expected) == expected)
        }
    }
}

@Suite struct ValidityTests {
    @Test(arguments: [
        ("a", true), ("_", true), (":", true), ("a:b_c9", true), ("__name__", true), ("_9", true),
        ("", false), ("9a", false), ("a.b", false), ("a-b", false), ("é", false), ("a b", false),
    ])
    func metricNames(_ name: String, _ valid: Bool) {
        #expect(PromNaming.isValidMetricName(name) == valid)
    }

    @Test(arguments: [
        ("a", true), ("_", true), ("__name__", true), ("a_b9", true), ("A", true),
        ("", false), (":", false), ("a:b", false), ("9a", false), ("a.b", false), ("é", false),
    ])
    func labelNames(_ name: String, _ valid: Bool) {
        #expect(PromNaming.isValidLabelName(name) == valid)
    }
}
