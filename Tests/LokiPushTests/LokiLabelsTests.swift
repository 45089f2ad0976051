import LokiPush
import Testing

@Suite("LokiLabels")
struct LokiLabelsTests {
    @Test("sanitize maps names to [a-zA-Z_][a-zA-Z0-9_]*", arguments: [
        ("service_name", "service_name"),
        ("ABC_def_123", "ABC_def_123"),
        ("_x", "_x"),
        ("service.name", "service_name"),
        ("k8s.pod.name", "k8s_pod_name"),
        ("a-b/c d", "a_b_c_d"),
        ("9abc", "_9abc"),
        ("9", "_9"),
        ("", "_"),
        ("é", "_"),
        ("naïve", "na_ve"),
        ("日本", "__"),
        ("😀x", "_x"),
        ("1.2", "_1_2"),
    ])
    func sanitize(input: String, expected: String) {
        #expect(LokiLabels.sanitize(input) == expected)
    }

    @Test("selector sorts names by bytes and joins pairs with \", \"")
    func selectorLayout() {
        #expect(LokiLabels.selector([]) == "{}")
        #expect(LokiLabels.selector([LokiLabel(name: "a", value: "x")]) == #"{a="x"}"#)
        let labels = [
            LokiLabel(name: "b", value: "2"),
            LokiLabel(name: "a", value: "1"),
            LokiLabel(name: "_z", value: "3"),
            LokiLabel(name: "B", value: "4"),
        ]
        #expect(LokiLabels.selector(labels) == #"{B="4", _z="3", a="1", b="2"}"#)
    }

    @Test("selector values are quoted like Go's strconv.Quote", arguments: [
        ("", #""""#),
        ("plain value", #""plain value""#),
        ("say \"hi\"", #""say \"hi\"""#),
        (#"C:\dir\"#, #""C:\\dir\\""#),
        ("a\nb\rc\td", #""a\nb\rc\td""#),
        ("\u{7}\u{8}\u{C}\u{B}", #""\a\b\f\v""#),
        ("\u{0}\u{1}\u{1F}\u{7F}", #""\x00\x01\x1f\x7f""#),
        ("\u{80}\u{85}\u{9F}", #""\u0080\u0085\u009f""#),
        ("é世😀\u{A0}", "\"é世😀\u{A0}\""),
        ("x\u{85}y\u{A9}", #""x\u0085y©""#),
    ])
    func quoting(value: String, expected: String) {
        let selector = LokiLabels.selector([LokiLabel(name: "v", value: value)])
        #expect(selector == "{v=\(expected)}")
    }

    @Test("LokiStream sorts its labels and keeps the last of duplicate names")
    func streamCanonicalLabels() {
        let stream = LokiStream(labels: [
            LokiLabel(name: "env", value: "dev"),
            LokiLabel(name: "app", value: "api"),
            LokiLabel(name: "env", value: "prod"),
        ])
        #expect(stream.labels == [LokiLabel(name: "app", value: "api"), LokiLabel(name: "env", value: "prod")])
    }
}
