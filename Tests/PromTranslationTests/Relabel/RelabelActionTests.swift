@testable import PromTranslation
import Testing

/// One relabeling scenario: rules, input, and Prometheus 2.42's result (nil when dropped).
struct RelabelCase: Sendable, CustomTestStringConvertible {
    var name: String
    var rules: [RuleSpec]
    var input: LabelSet
    var expected: LabelSet?

    var testDescription: String { name }
}

@Suite struct RelabelActionTests {
    static let replaceCases: [RelabelCase] = [
        RelabelCase(
            name: "default regex copies the source",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "b")],
            input: ["a": "x"], expected: ["a": "x", "b": "x"]),
        RelabelCase(
            name: "missing source labels join as empty strings",
            rules: [RuleSpec(sourceLabels: ["a", "missing", "c"], targetLabel: "t")],
            input: ["a": "x", "c": "z"], expected: ["a": "x", "c": "z", "t": "x;;z"]),
        RelabelCase(
            name: "custom separator",
            rules: [RuleSpec(sourceLabels: ["a", "c"], separator: "", targetLabel: "t")],
            input: ["a": "x", "c": "z"], expected: ["a": "x", "c": "z", "t": "xz"]),
        RelabelCase(
            name: "regex is anchored: foo does not match foobar",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "foo", replacement: "hit")],
            input: ["a": "foobar"], expected: ["a": "foobar"]),
        RelabelCase(
            name: "regex is anchored: foo matches foo",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "foo", replacement: "hit")],
            input: ["a": "foo"], expected: ["a": "foo", "t": "hit"]),
        RelabelCase(
            name: "anchoring applies to every branch of an alternation",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "x|foo", replacement: "hit")],
            input: ["a": "xfoo"], expected: ["a": "xfoo"]),
        RelabelCase(
            name: "replacement referencing a missing group is empty and deletes the target",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "(f)oo", replacement: "$2")],
            input: ["a": "foo", "t": "old"], expected: ["a": "foo"]),
        RelabelCase(
            name: "$1x names group 1x, which is absent",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "(f)oo", replacement: "$1x")],
            input: ["a": "foo", "t": "old"], expected: ["a": "foo"]),
        RelabelCase(
            name: "${1}x is group 1 then x",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "(f)oo", replacement: "${1}x")],
            input: ["a": "foo"], expected: ["a": "foo", "t": "fx"]),
        RelabelCase(
            name: "$0 is the whole value and $$ a dollar",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "f(o+)", replacement: "$$$0:$1")],
            input: ["a": "foo"], expected: ["a": "foo", "t": "$foo:oo"]),
        RelabelCase(
            name: "a dollar without a name stays literal",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "(.*)", replacement: "$-${1")],
            input: ["a": "v"], expected: ["a": "v", "t": "$-${1"]),
        RelabelCase(
            name: "named groups",
            rules: [RuleSpec(
                sourceLabels: ["a"], targetLabel: "t", regex: "(?P<first>\\w+)-(?P<second>\\w+)",
                replacement: "$second.${first}")],
            input: ["a": "ab-cd"], expected: ["a": "ab-cd", "t": "cd.ab"]),
        RelabelCase(
            name: "two sources through a capturing regex",
            rules: [RuleSpec(
                sourceLabels: ["job", "instance"], targetLabel: "key", regex: "(.+);(.+):\\d+",
                replacement: "${1}@${2}")],
            input: ["job": "node", "instance": "host:9100"],
            expected: ["job": "node", "instance": "host:9100", "key": "node@host"]),
        RelabelCase(
            name: "greedy wildcards split at the last separator",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "(.+);(.+)", replacement: "$1|$2")],
            input: ["a": "x;y;z"], expected: ["a": "x;y;z", "t": "x;y|z"]),
        RelabelCase(
            name: "lazy wildcards split at the first separator",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "(.+?);(.+)", replacement: "$1|$2")],
            input: ["a": "x;y;z"], expected: ["a": "x;y;z", "t": "x|y;z"]),
        RelabelCase(
            name: "templated target label",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "${1}_name", regex: "(\\w+)", replacement: "v")],
            input: ["a": "foo"], expected: ["a": "foo", "foo_name": "v"]),
        RelabelCase(
            name: "templated target expanding to an invalid name changes nothing",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "$1", regex: "(.*)", replacement: "v")],
            input: ["a": "1abc"], expected: ["a": "1abc"]),
        RelabelCase(
            name: "empty value with a templated target deletes the unexpanded name only (2.42)",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "foo_${1}", replacement: "")],
            input: ["a": "x", "foo_x": "pre"], expected: ["a": "x", "foo_x": "pre"]),
        RelabelCase(
            name: "empty replacement deletes the target label",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", replacement: "")],
            input: ["a": "x", "t": "old"], expected: ["a": "x"]),
        RelabelCase(
            name: "absent source with the default regex deletes the target",
            rules: [RuleSpec(sourceLabels: ["missing"], targetLabel: "t")],
            input: ["t": "old"], expected: [:]),
        RelabelCase(
            name: "constant replacement on match",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "env", regex: "prod-.*", replacement: "production")],
            input: ["a": "prod-eu"], expected: ["a": "prod-eu", "env": "production"]),
        RelabelCase(
            name: "dot does not match a newline: the default regex leaves such values alone",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t")],
            input: ["a": "x\ny"], expected: ["a": "x\ny"]),
        RelabelCase(
            name: "(?s) lets dot match a newline",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "(?s)(.*)")],
            input: ["a": "x\ny"], expected: ["a": "x\ny", "t": "x\ny"]),
        RelabelCase(
            name: "$ is the end of text, not before a final newline",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "x$\\n", replacement: "hit")],
            input: ["a": "x\n"], expected: ["a": "x\n"]),
        RelabelCase(
            name: "replace overwrites an existing label",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "b")],
            input: ["a": "new", "b": "old"], expected: ["a": "new", "b": "new"]),
        RelabelCase(
            name: "action names are case-insensitive",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "b", action: "RePlAcE")],
            input: ["a": "x"], expected: ["a": "x", "b": "x"]),
        RelabelCase(
            name: "a parenthesis can escape the anchoring group, as in Prometheus",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "t", regex: "a)|(b", replacement: "hit")],
            input: ["a": "abc"], expected: ["a": "abc", "t": "hit"]),
    ]

    static let keepDropCases: [RelabelCase] = [
        RelabelCase(
            name: "keep on match",
            rules: [RuleSpec(sourceLabels: ["job"], regex: "node|api", action: "keep")],
            input: ["job": "api"], expected: ["job": "api"]),
        RelabelCase(
            name: "keep drops on mismatch",
            rules: [RuleSpec(sourceLabels: ["job"], regex: "node|api", action: "keep")],
            input: ["job": "apis"], expected: nil),
        RelabelCase(
            name: "drop on an alternation of names",
            rules: [RuleSpec(sourceLabels: ["__name__"], regex: "a_total|b_total|c", action: "drop")],
            input: ["__name__": "b_total"], expected: nil),
        RelabelCase(
            name: "drop is anchored",
            rules: [RuleSpec(sourceLabels: ["__name__"], regex: "go_gc", action: "drop")],
            input: ["__name__": "go_gc_duration"], expected: ["__name__": "go_gc_duration"]),
        RelabelCase(
            name: "drop by prefix",
            rules: [RuleSpec(sourceLabels: ["__name__"], regex: "go_.*", action: "drop")],
            input: ["__name__": "go_gc_duration"], expected: nil),
        RelabelCase(
            name: "keep with an empty regex keeps only empty values",
            rules: [RuleSpec(sourceLabels: ["missing"], regex: "", action: "keep")],
            input: ["a": "x"], expected: ["a": "x"]),
        RelabelCase(
            name: "keep on several sources",
            rules: [RuleSpec(sourceLabels: ["a", "b"], regex: "1;2", action: "keep")],
            input: ["a": "1", "b": "2"], expected: ["a": "1", "b": "2"]),
        RelabelCase(
            name: "case-insensitive keep",
            rules: [RuleSpec(sourceLabels: ["a"], regex: "(?i)prod", action: "keep")],
            input: ["a": "PrOd"], expected: ["a": "PrOd"]),
        RelabelCase(
            name: "(?i) uses simple folding: ß does not match ss",
            rules: [RuleSpec(sourceLabels: ["a"], regex: "(?i)straße", action: "keep")],
            input: ["a": "STRASSE"], expected: nil),
        RelabelCase(
            name: "\\d is ASCII only",
            rules: [RuleSpec(sourceLabels: ["a"], regex: "\\d+", action: "keep")],
            input: ["a": "١٢"], expected: nil),
    ]

    static let otherCases: [RelabelCase] = [
        RelabelCase(
            name: "hashmod: last eight digest bytes, big-endian",
            rules: [RuleSpec(sourceLabels: ["__address__"], targetLabel: "shard", modulus: 10, action: "hashmod")],
            input: ["__address__": "127.0.0.1:9090"], expected: ["__address__": "127.0.0.1:9090", "shard": "8"]),
        RelabelCase(
            name: "hashmod of the empty string",
            rules: [RuleSpec(sourceLabels: ["missing"], targetLabel: "shard", modulus: 7, action: "hashmod")],
            input: [:], expected: ["shard": "1"]),
        RelabelCase(
            name: "hashmod of joined non-ASCII sources",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "h", modulus: 1_000_000_007, action: "hashmod")],
            input: ["a": "straße ǆ İ ᾳ ﬀ"], expected: ["a": "straße ǆ İ ᾳ ﬀ", "h": "447027274"]),
        RelabelCase(
            name: "hashmod with the largest modulus",
            rules: [RuleSpec(sourceLabels: ["a", "b"], targetLabel: "h", modulus: UInt64.max, action: "hashmod")],
            input: ["a": "a", "b": "b"], expected: ["a": "a", "b": "b", "h": "\(0x21960bf46f2ebd0a as UInt64)"]),
        RelabelCase(
            name: "labelmap __meta_(.+)",
            rules: [RuleSpec(regex: "__meta_(.+)", action: "labelmap")],
            input: ["__meta_zone": "eu", "__meta_rack": "r1", "job": "j"],
            expected: ["__meta_zone": "eu", "__meta_rack": "r1", "job": "j", "zone": "eu", "rack": "r1"]),
        RelabelCase(
            name: "labelmap with a templated replacement",
            rules: [RuleSpec(regex: "__meta_(\\w+)_label_(.+)", replacement: "${2}_$1", action: "labelmap")],
            input: ["__meta_k8s_label_app": "web"],
            expected: ["__meta_k8s_label_app": "web", "app_k8s": "web"]),
        RelabelCase(
            name: "labelmap: a later source name wins",
            rules: [RuleSpec(regex: "(?:x|y)_(.*)", action: "labelmap")],
            input: ["x_a": "1", "y_a": "2", "a": "0"], expected: ["x_a": "1", "y_a": "2", "a": "2"]),
        RelabelCase(
            name: "labelmap with a constant replacement",
            rules: [RuleSpec(regex: "tmp_.*", replacement: "merged", action: "labelmap")],
            input: ["tmp_a": "1", "tmp_b": "2"], expected: ["tmp_a": "1", "tmp_b": "2", "merged": "2"]),
        RelabelCase(
            name: "labeldrop by pattern",
            rules: [RuleSpec(regex: "tmp_.*", action: "labeldrop")],
            input: ["tmp_a": "1", "tmp_b": "2", "job": "j"], expected: ["job": "j"]),
        RelabelCase(
            name: "labeldrop is anchored",
            rules: [RuleSpec(regex: "tmp", action: "labeldrop")],
            input: ["tmp_a": "1", "tmp": "2"], expected: ["tmp_a": "1"]),
        RelabelCase(
            name: "labelkeep",
            rules: [RuleSpec(regex: "__name__|job|instance", action: "labelkeep")],
            input: ["__name__": "up", "job": "j", "instance": "i", "pod": "p"],
            expected: ["__name__": "up", "job": "j", "instance": "i"]),
        RelabelCase(
            name: "lowercase",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "l", action: "lowercase")],
            input: ["a": "MiXeD-ÄÖ-İ"], expected: ["a": "MiXeD-ÄÖ-İ", "l": "mixed-äö-i"]),
        RelabelCase(
            name: "uppercase keeps ß and folds ᾳ to its titlecase form, as Go does",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "u", action: "uppercase")],
            input: ["a": "straße ǆ ᾳ ﬀ"], expected: ["a": "straße ǆ ᾳ ﬀ", "u": "STRAßE Ǆ ᾼ ﬀ"]),
        RelabelCase(
            name: "lowercase of an absent source deletes the target",
            rules: [RuleSpec(sourceLabels: ["missing"], targetLabel: "l", action: "lowercase")],
            input: ["l": "old"], expected: [:]),
        RelabelCase(
            name: "keepequal keeps equal values",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "b", action: "keepequal")],
            input: ["a": "1", "b": "1"], expected: ["a": "1", "b": "1"]),
        RelabelCase(
            name: "keepequal drops different values",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "b", action: "keepequal")],
            input: ["a": "1", "b": "2"], expected: nil),
        RelabelCase(
            name: "keepequal: absent target equals an absent source",
            rules: [RuleSpec(sourceLabels: ["x"], targetLabel: "y", action: "keepequal")],
            input: ["a": "1"], expected: ["a": "1"]),
        RelabelCase(
            name: "keepequal compares bytes, not canonical equivalence",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "b", action: "keepequal")],
            input: ["a": "\u{E9}", "b": "e\u{301}"], expected: nil),
        RelabelCase(
            name: "dropequal drops equal joined values",
            rules: [RuleSpec(sourceLabels: ["a", "b"], targetLabel: "c", action: "dropequal")],
            input: ["a": "1", "b": "2", "c": "1;2"], expected: nil),
        RelabelCase(
            name: "dropequal keeps different values",
            rules: [RuleSpec(sourceLabels: ["a"], targetLabel: "b", action: "dropequal")],
            input: ["a": "1", "b": "2"], expected: ["a": "1", "b": "2"]),
        RelabelCase(
            name: "rules see the result of earlier rules",
            rules: [
                RuleSpec(sourceLabels: ["__address__"], targetLabel: "__tmp_hash", modulus: 4, action: "hashmod"),
                RuleSpec(sourceLabels: ["__tmp_hash"], regex: "2", action: "keep"),
                RuleSpec(regex: "__tmp_.*", action: "labeldrop"),
            ],
            input: ["__address__": "127.0.0.1:9090"], expected: ["__address__": "127.0.0.1:9090"]),
    ]

    @Test(arguments: replaceCases)
    func replace(_ scenario: RelabelCase) throws {
        try check(scenario)
    }

    @Test(arguments: keepDropCases)
    func keepAndDrop(_ scenario: RelabelCase) throws {
        try check(scenario)
    }

    @Test(arguments: otherCases)
    func otherActions(_ scenario: RelabelCase) throws {
        try check(scenario)
    }

    private func check(_ scenario: RelabelCase) throws {
        let rules = try scenario.rules.map { try $0.make() }
        let result = Relabeler.apply(rules, to: scenario.input)
        #expect(result == scenario.expected, "\(scenario.name)")
        var inPlace = scenario.input
        let kept = Relabeler.apply(rules, to: &inPlace)
        #expect(kept == (scenario.expected != nil))
        if kept { #expect(inPlace == scenario.expected) }
    }
}
