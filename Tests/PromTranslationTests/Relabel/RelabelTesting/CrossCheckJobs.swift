@testable import PromTranslation

/// A scrape job for the cross-check: its relabel rules and the static labels of each of its targets.
struct CrossCheckJob {
    var name: String
    var rules: [RuleSpec]
    var targets: [[String: String]]
}

/// Jobs exercising every action and the regex constructs where RE2 and ICU differ.
enum CrossCheckJobs {
    static let all: [CrossCheckJob] = [plain, replace, keepDrop, hashmod, labelmap, labelDropKeep, caseMapping, equal, regex]

    /// No rules: its discovered labels show how Prometheus builds the input (an empty static value is absent).
    static let plain = CrossCheckJob(
        name: "plain",
        rules: [],
        targets: [["a": "1", "empty": ""], ["b": "\u{E9}"]])

    static let replace = CrossCheckJob(
        name: "replace",
        rules: [
            RuleSpec(sourceLabels: ["a"], targetLabel: "copy"),
            RuleSpec(sourceLabels: ["a", "missing", "b"], targetLabel: "joined"),
            RuleSpec(sourceLabels: ["a", "b"], separator: "", targetLabel: "glued"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "anchored", regex: "foo", replacement: "hit"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "prefixed", regex: "foo.*", replacement: "hit"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "dollar1x", regex: "(f)(.*)", replacement: "$1x"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "brace1x", regex: "(f)(.*)", replacement: "${1}x"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "missing_group", regex: "(.)(.*)", replacement: "[$3]"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "whole", regex: "f(o*)(.*)", replacement: "$$<$0>$1$-"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "t_${1}", regex: "(\\w+)", replacement: "templated"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "$1", regex: "(.*)", replacement: "invalid-name"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "pre_${1}", regex: "(.*)", replacement: ""),
            RuleSpec(sourceLabels: ["b"], targetLabel: "deleted", replacement: ""),
            RuleSpec(sourceLabels: ["nothing"], targetLabel: "cleared"),
            RuleSpec(
                sourceLabels: ["a", "b"], targetLabel: "named", regex: "(?P<first>[^;]*);(?P<second>.*)",
                replacement: "${second}-$first"),
            RuleSpec(sourceLabels: ["a", "b"], targetLabel: "greedy", regex: "(.+);(.+)", replacement: "$1|$2"),
            RuleSpec(sourceLabels: ["c"], targetLabel: "lazy", regex: "(.+?);(.*)", replacement: "$1|$2"),
            RuleSpec(sourceLabels: ["c"], targetLabel: "greedy_c", regex: "(.*);(.+)", replacement: "$1|$2"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "choice", regex: "(foo|bar)_(.*)", replacement: "$2/$1"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "escaped", regex: "a)|(b", replacement: "[$1]"),
            RuleSpec(sourceLabels: ["a"], targetLabel: "Copy", action: "REPLACE"),
        ],
        targets: [
            ["a": "foo", "b": "bar", "c": "x;y;z", "deleted": "gone", "cleared": "gone", "pre_foo": "kept"],
            ["a": "foobar", "b": "1;2", "c": ";", "t_foobar": "overwritten"],
            ["a": "bar_baz", "c": "a;b"],
            ["a": "x\ny", "b": "\n"],
            ["b": "only", "c": "no separator"],
            ["a": "f", "c": "é;e\u{301}"],
            ["a": "abc", "b": "b"],
        ])

    static let keepDrop = CrossCheckJob(
        name: "keepdrop",
        rules: [
            RuleSpec(sourceLabels: ["__name__"], regex: "a_total|b_total|c_total|d|e", action: "drop"),
            RuleSpec(sourceLabels: ["__name__"], regex: "go_.*", action: "drop"),
            RuleSpec(sourceLabels: ["env", "zone"], regex: "prod;.+|staging;eu", action: "keep"),
            RuleSpec(sourceLabels: ["team"], regex: "", action: "drop"),
        ],
        targets: [
            ["__name__": "b_total", "env": "prod", "zone": "eu", "team": "a"],
            ["__name__": "b_totals", "env": "prod", "zone": "eu", "team": "a"],
            ["__name__": "go_gc", "env": "prod", "zone": "eu", "team": "a"],
            ["__name__": "gogc", "env": "prod", "zone": "us", "team": "a"],
            ["__name__": "x", "env": "staging", "zone": "eu", "team": "a"],
            ["__name__": "x", "env": "staging", "zone": "us", "team": "a"],
            ["__name__": "x", "env": "prod", "team": "a"],
            ["__name__": "x", "env": "prod", "zone": "eu"],
        ])

    static let hashmod = CrossCheckJob(
        name: "hashmod",
        rules: [
            RuleSpec(sourceLabels: ["__address__"], targetLabel: "h10", modulus: 10, action: "hashmod"),
            RuleSpec(sourceLabels: ["v"], targetLabel: "h7", modulus: 7, action: "hashmod"),
            RuleSpec(sourceLabels: ["v", "w"], targetLabel: "hbig", modulus: 18_446_744_073_709_551_557,
                     action: "hashmod"),
            RuleSpec(sourceLabels: ["v"], targetLabel: "h1", modulus: 1, action: "hashmod"),
            RuleSpec(sourceLabels: ["h10"], regex: "[0-4]", action: "keep"),
        ],
        targets: [
            ["v": "straße ǆ İ ᾳ ﬀ", "w": "x"], ["v": "a"], ["w": "b"], ["v": "😀", "w": String(repeating: "long", count: 40)],
            ["v": "1"], ["v": "2"], ["v": "3"], ["v": "4"], ["v": "5"], ["v": "6"],
        ])

    static let labelmap = CrossCheckJob(
        name: "labelmap",
        rules: [
            RuleSpec(regex: "__meta_(.+)", action: "labelmap"),
            RuleSpec(regex: "(?:x|y)_(.*)", replacement: "xy_$1", action: "labelmap"),
            RuleSpec(regex: "m_(\\w+)_(\\w+)", replacement: "${2}_$1", action: "labelmap"),
            RuleSpec(regex: "tmp_.*", replacement: "merged", action: "labelmap"),
            RuleSpec(regex: "e_(.*)", replacement: "$2", action: "labelmap"),
        ],
        targets: [
            ["__meta_zone": "eu", "__meta_rack": "r1", "x_a": "1", "y_a": "2", "xy_a": "0"],
            ["m_k8s_app": "web", "tmp_a": "1", "tmp_b": "2", "zone": "pre"],
            ["e_x": "to-empty-name"],
        ])

    static let labelDropKeep = CrossCheckJob(
        name: "labeldropkeep",
        rules: [
            RuleSpec(regex: "tmp_.*|scratch", action: "labeldrop"),
            RuleSpec(regex: "__.*|keep_.*|job|tmp", action: "labelkeep"),
        ],
        targets: [
            ["tmp_a": "1", "scratch": "2", "scratchy": "3", "keep_me": "4", "tmp": "5"],
            ["keep_x": "1", "other": "2"],
        ])

    /// Every cased code point assigned by Unicode 13.0, plus a few assigned later (Go 1.19 leaves those alone).
    static let casedText: String = {
        var scalars = String.UnicodeScalarView()
        for value in UInt32(0x80)...0x1FFFF {
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped,
                let age = scalar.properties.age, age.major < 13 || (age.major == 13 && age.minor == 0)
            else { continue }
            scalars.append(scalar)
        }
        for late: Unicode.Scalar in ["\u{2C2F}", "\u{A7C0}", "\u{10570}", "\u{1E922}"] { scalars.append(late) }
        return "AbZ" + String(scalars)
    }()

    static let caseMapping = CrossCheckJob(
        name: "case",
        rules: [
            RuleSpec(sourceLabels: ["v"], targetLabel: "lower", action: "lowercase"),
            RuleSpec(sourceLabels: ["v"], targetLabel: "upper", action: "uppercase"),
            RuleSpec(sourceLabels: ["v", "w"], targetLabel: "joined_upper", action: "UPPERCASE"),
            RuleSpec(sourceLabels: ["missing"], targetLabel: "cleared", action: "lowercase"),
            RuleSpec(sourceLabels: ["w"], targetLabel: "${1}", action: "uppercase"),
        ],
        targets: [
            ["v": casedText, "cleared": "x"],
            ["v": "MiXeD ÄÖ İ ı ß ẞ ǅ ſ K Σς ᾈ ᾳ ﬀ", "w": "ŉ ǰ ΐ"],
        ])

    static let equal = CrossCheckJob(
        name: "equal",
        rules: [
            RuleSpec(sourceLabels: ["a"], targetLabel: "b", action: "keepequal"),
            RuleSpec(sourceLabels: ["a", "c"], targetLabel: "d", action: "dropequal"),
        ],
        targets: [
            ["a": "1", "b": "1", "c": "2", "d": "1;2"],
            ["a": "1", "b": "1", "c": "2", "d": "1;3"],
            ["a": "1", "b": "2"],
            ["c": "x"],
            ["a": "\u{E9}", "b": "e\u{301}"],
        ])

    /// Each pattern becomes `r<i>` = "<$0>|$1|$2|$3" on every target's `v`, so match and groups are compared.
    static let patterns: [String] = [
        "(.)", "(.*)", "(?s)(.*)", "(\\d+)", "\\D(.*)", "(\\s)", "a(\\s)b", "(\\w+)", "(\\W)",
        "(\\w+)\\b(.*)", "(.*)\\B(.)", "[[:alpha:]]+", "[[:^alpha:]]+", "(\\pL+)", "(\\p{Greek}+)", "(\\PL)",
        "(\\pC)", "(\\p{^Greek})", "(?i)(k)", "(?i)(straße)", "(?i)([^k])", "(?i)(σ)", "(?i)(ǅ)", "(?m)(a)$\\n(b)",
        "(?m)^(.*)$", "(a)$\\n(b)", "(?U)(a+)(.*)", "(a|ab)(c|bcd)(d*)", "\\101(.*)", "\\x41(.*)", "(\\x{1F600})",
        "\\Q.*\\E(.*)", "x{,3}", "a{01}", "[]a]+", "[^]a]+", "[a-]+", "a\\v?b", "(?:)", "^*a(b)", "(a+)+b",
        "(a|b)*", "(a+|b+)*", "[\\d-z]+", "([\\w.]+)", "(?i)ABC", "(\\r)", "(\\x{2028})", "(.)(.)", ".{2}",
        "(.)\\z", "(?i:A)(b)", "(a*)+b", "(a*)*b", "(a|)*", "(a*)+?b", "((a*)(b*))*x", "(a*){1,}b",
        "(a*){2,}b", "(a?){2,3}b", "(?:(a)|b?)*c",
    ]

    static let values: [String] = [
        "abc", "ABC", "abcd", "a\nb", "x\n", "\r", "\u{2028}", "straße", "STRASSE", "\u{212A}", "k", "K",
        "\u{663}", "12", "a b", "a\u{0B}b", "αβ", "\u{378}", "😀", "b", "ab", "aab", ".*x", "x{,3}", "a{01}",
        "]a]", "abcé", "ς", "Σ", "ǆ", "a-z9", "A😀", "é", "Ab", "aB", "aa", "abx", "ac",
    ]

    static let regex = CrossCheckJob(
        name: "regex",
        rules: patterns.enumerated().map { index, pattern in
            RuleSpec(sourceLabels: ["v"], targetLabel: "r\(index)", regex: pattern, replacement: "<$0>|$1|$2|$3")
        },
        targets: values.map { ["v": $0] })
}
