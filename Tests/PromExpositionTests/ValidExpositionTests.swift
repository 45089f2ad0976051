import PromExposition
import Testing

/// A valid exposition with its exact expected families and samples.
struct ValidCase: Sendable, CustomTestStringConvertible {
    var name: String
    var format: ExpositionFormat
    var text: String
    var families: [Family]
    var samples: [ExpectedSample]

    var testDescription: String { name }
}

private func decimal(_ text: String) -> Double {
    Double(text)!
}

let validCases: [ValidCase] = [
    ValidCase(
        name: "0.0.4 counter with HELP escapes and integer ms timestamps",
        format: .prometheusText,
        text: #"""
            # HELP http_requests_total The total number of HTTP requests.\nSecond line \\ backslash \"kept\"\z
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            """#,
        families: [
            Family(
                name: "http_requests_total",
                type: .counter,
                help: "The total number of HTTP requests.\nSecond line \\ backslash \\\"kept\\\"\\z"
            )
        ],
        samples: [
            ExpectedSample(
                family: 0, name: "http_requests_total", labels: ["method": "post", "code": "200"], value: 1027,
                timestampMs: 1_395_066_363_000),
            ExpectedSample(
                family: 0, name: "http_requests_total", labels: ["method": "post", "code": "400"], value: 3,
                timestampMs: 1_395_066_363_000),
        ]
    ),
    ValidCase(
        name: "0.0.4 label escapes, blanks, tabs, trailing comma, empty label set, comments",
        format: .prometheusText,
        text: "# A normal comment\n#no space comment\n# UNIT not_metadata_here seconds\n\t\n\n"
            + #"msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\"",odd="\q"} 1.458255915e9"#
            + "\nmetric_without_timestamp_and_labels 12.47\n"
            + "   indented_metric {  a = \"x\" ,b=\"y}, #=\",  }\t\t-3.5e-2   \t\n"
            + "empty_braces{} +7\n"
            + "empty_value{a=\"\"} 0\n",
        families: [
            Family(name: "msdos_file_access_time_seconds", type: .unknown),
            Family(name: "metric_without_timestamp_and_labels", type: .unknown),
            Family(name: "indented_metric", type: .unknown),
            Family(name: "empty_braces", type: .unknown),
            Family(name: "empty_value", type: .unknown),
        ],
        samples: [
            ExpectedSample(
                family: 0, name: "msdos_file_access_time_seconds",
                labels: ["path": "C:\\DIR\\FILE.TXT", "error": "Cannot find file:\n\"FILE.TXT\"", "odd": "\\q"],
                value: 1_458_255_915),
            ExpectedSample(family: 1, name: "metric_without_timestamp_and_labels", value: 12.47),
            ExpectedSample(family: 2, name: "indented_metric", labels: ["a": "x", "b": "y}, #="], value: -0.035),
            ExpectedSample(family: 3, name: "empty_braces", value: 7),
            ExpectedSample(family: 4, name: "empty_value", labels: ["a": ""], value: 0),
        ]
    ),
    ValidCase(
        name: "0.0.4 special and edge-case values",
        format: .prometheusText,
        text: """
            a NaN
            a{v="nan"} nan
            b +Inf
            c -Inf
            d -inf
            e Infinity
            f +1.5E+3
            g .5
            h 5.
            i -0
            j 1e-400
            k 123456789012345678901234567890
            l 0.1
            m 9007199254740993
            n 1.7976931348623157e308
            o 4.9e-324
            p 0001.2500
            q 1e22
            r 1e23
            s 0.000000000000000000000000001234567890123456789

            """,
        families: "abcdefghijklmnopqrs".map { Family(name: String($0), type: .unknown) },
        samples: [
            ExpectedSample(family: 0, name: "a", value: .nan),
            ExpectedSample(family: 0, name: "a", labels: ["v": "nan"], value: .nan),
            ExpectedSample(family: 1, name: "b", value: .infinity),
            ExpectedSample(family: 2, name: "c", value: -.infinity),
            ExpectedSample(family: 3, name: "d", value: -.infinity),
            ExpectedSample(family: 4, name: "e", value: .infinity),
            ExpectedSample(family: 5, name: "f", value: 1500),
            ExpectedSample(family: 6, name: "g", value: 0.5),
            ExpectedSample(family: 7, name: "h", value: 5),
            ExpectedSample(family: 8, name: "i", value: -0.0),
            ExpectedSample(family: 9, name: "j", value: 0),
            ExpectedSample(family: 10, name: "k", value: decimal("123456789012345678901234567890")),
            ExpectedSample(family: 11, name: "l", value: 0.1),
            ExpectedSample(family: 12, name: "m", value: 9_007_199_254_740_992),
            ExpectedSample(family: 13, name: "n", value: .greatestFiniteMagnitude),
            ExpectedSample(family: 14, name: "o", value: .leastNonzeroMagnitude),
            ExpectedSample(family: 15, name: "p", value: 1.25),
            ExpectedSample(family: 16, name: "q", value: 1e22),
            ExpectedSample(family: 17, name: "r", value: decimal("1e23")),
            ExpectedSample(family: 18, name: "s", value: decimal("0.000000000000000000000000001234567890123456789")),
        ]
    ),
    ValidCase(
        name: "0.0.4 summary and histogram",
        format: .prometheusText,
        text: """
            # HELP rpc_duration_seconds A summary of the RPC duration in seconds.
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.01"} 3102
            rpc_duration_seconds{quantile="0.5"} 4773
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.05"} 24054
            http_request_duration_seconds_bucket{le="+Inf"} 144320
            http_request_duration_seconds_sum 53423
            http_request_duration_seconds_count 144320

            """,
        families: [
            Family(name: "rpc_duration_seconds", type: .summary, help: "A summary of the RPC duration in seconds."),
            Family(name: "http_request_duration_seconds", type: .histogram),
        ],
        samples: [
            ExpectedSample(family: 0, name: "rpc_duration_seconds", labels: ["quantile": "0.01"], value: 3102),
            ExpectedSample(family: 0, name: "rpc_duration_seconds", labels: ["quantile": "0.5"], value: 4773),
            ExpectedSample(family: 0, name: "rpc_duration_seconds_sum", value: 17_560_473),
            ExpectedSample(family: 0, name: "rpc_duration_seconds_count", value: 2693),
            ExpectedSample(
                family: 1, name: "http_request_duration_seconds_bucket", labels: ["le": "0.05"], value: 24054),
            ExpectedSample(
                family: 1, name: "http_request_duration_seconds_bucket", labels: ["le": "+Inf"], value: 144_320),
            ExpectedSample(family: 1, name: "http_request_duration_seconds_sum", value: 53423),
            ExpectedSample(family: 1, name: "http_request_duration_seconds_count", value: 144_320),
        ]
    ),
    ValidCase(
        name: "0.0.4 foreign sample names start untyped families; split families rejoin",
        format: .prometheusText,
        text: """
            # TYPE foo counter
            foo 1
            foo_total 2
            bar 3
            foo 4
            foo_bucket 5
            # TYPE h histogram
            h_bucket{le="+Inf"} 1
            bar 6
            h_count 1

            """,
        families: [
            Family(name: "foo", type: .counter),
            Family(name: "foo_total", type: .unknown),
            Family(name: "bar", type: .unknown),
            Family(name: "foo_bucket", type: .unknown),
            Family(name: "h", type: .histogram),
        ],
        samples: [
            ExpectedSample(family: 0, name: "foo", value: 1),
            ExpectedSample(family: 1, name: "foo_total", value: 2),
            ExpectedSample(family: 2, name: "bar", value: 3),
            ExpectedSample(family: 0, name: "foo", value: 4),
            ExpectedSample(family: 3, name: "foo_bucket", value: 5),
            ExpectedSample(family: 4, name: "h_bucket", labels: ["le": "+Inf"], value: 1),
            ExpectedSample(family: 2, name: "bar", value: 6),
            ExpectedSample(family: 4, name: "h_count", value: 1),
        ]
    ),
    ValidCase(
        name: "0.0.4 CRLF line endings, CR inside a label value, no final newline",
        format: .prometheusText,
        text: "# TYPE a gauge\r\na 1\r\nb{x=\"y\"} 2 1000\r\nd{x=\"a\rb\"} 3\r\n\r\nc 4",
        families: [
            Family(name: "a", type: .gauge),
            Family(name: "b", type: .unknown),
            Family(name: "d", type: .unknown),
            Family(name: "c", type: .unknown),
        ],
        samples: [
            ExpectedSample(family: 0, name: "a", value: 1),
            ExpectedSample(family: 1, name: "b", labels: ["x": "y"], value: 2, timestampMs: 1000),
            ExpectedSample(family: 2, name: "d", labels: ["x": "a\rb"], value: 3),
            ExpectedSample(family: 3, name: "c", value: 4),
        ]
    ),
    ValidCase(
        name: "0.0.4 metadata without samples, empty HELP, untyped, UTF-8 and NUL in values",
        format: .prometheusText,
        text: "# HELP empty_help\n# TYPE lonely gauge\n# HELP lonely   \n# EOF\n# TYPE u untyped\n"
            + "u{x=\"\u{0}ü日本\"} 1 0\n",
        families: [
            Family(name: "empty_help", type: .unknown),
            Family(name: "lonely", type: .gauge),
            Family(name: "u", type: .unknown),
        ],
        samples: [
            ExpectedSample(family: 2, name: "u", labels: ["x": "\u{0}ü日本"], value: 1, timestampMs: 0)
        ]
    ),
    ValidCase(
        name: "OpenMetrics specification example",
        format: .openMetrics,
        text: """
            # TYPE acme_http_router_request_seconds summary
            # UNIT acme_http_router_request_seconds seconds
            # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
            acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
            acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
            acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
            # TYPE go_goroutines gauge
            # HELP go_goroutines Number of goroutines that currently exist.
            go_goroutines 69
            # TYPE process_cpu_seconds counter
            # UNIT process_cpu_seconds seconds
            # HELP process_cpu_seconds Total user and system CPU time spent in seconds.
            process_cpu_seconds_total 4.20072246e+06
            # EOF

            """,
        families: [
            Family(
                name: "acme_http_router_request_seconds", type: .summary,
                help: "Latency though all of ACME's HTTP request router.", unit: "seconds"),
            Family(name: "go_goroutines", type: .gauge, help: "Number of goroutines that currently exist."),
            Family(
                name: "process_cpu_seconds", type: .counter,
                help: "Total user and system CPU time spent in seconds.", unit: "seconds"),
        ],
        samples: [
            ExpectedSample(
                family: 0, name: "acme_http_router_request_seconds_sum", labels: ["path": "/api/v1", "method": "GET"],
                value: 9036.32),
            ExpectedSample(
                family: 0, name: "acme_http_router_request_seconds_count",
                labels: ["path": "/api/v1", "method": "GET"],
                value: 807_283),
            ExpectedSample(
                family: 0, name: "acme_http_router_request_seconds_created",
                labels: ["path": "/api/v1", "method": "GET"],
                value: 1_605_281_325),
            ExpectedSample(family: 1, name: "go_goroutines", value: 69),
            ExpectedSample(family: 2, name: "process_cpu_seconds_total", value: 4_200_722.46),
        ]
    ),
    ValidCase(
        name: "OpenMetrics counter with _created, exemplars, UNIT, HELP escapes, float timestamps",
        format: .openMetrics,
        text: #"""
            # TYPE foo_seconds counter
            # UNIT foo_seconds seconds
            # HELP foo_seconds Some text and \n some \" escaping \\ done \q "raw" kept
            foo_seconds_total{a="b"} 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67 1520879607.789
            foo_seconds_created{a="b"} 1520430000.123 1520879607.789
            foo_seconds_total{a="c",} 1 # {} 2
            foo_seconds_total{a="d"} 2 # {span_id="x",trace_id="\"q\""} -Inf
            # EOF
            """#,
        families: [
            Family(
                name: "foo_seconds", type: .counter,
                help: "Some text and \n some \" escaping \\ done \\q \"raw\" kept", unit: "seconds")
        ],
        samples: [
            ExpectedSample(
                family: 0, name: "foo_seconds_total", labels: ["a": "b"], value: 17,
                timestampMs: 1_520_879_607_789,
                exemplar: Exemplar(
                    labels: [Label(name: "trace_id", value: "KOO5S4vxi0o")], value: 0.67, timestamp: 1_520_879_607.789)),
            ExpectedSample(
                family: 0, name: "foo_seconds_created", labels: ["a": "b"], value: 1_520_430_000.123,
                timestampMs: 1_520_879_607_789),
            ExpectedSample(
                family: 0, name: "foo_seconds_total", labels: ["a": "c"], value: 1,
                exemplar: Exemplar(labels: [], value: 2)),
            ExpectedSample(
                family: 0, name: "foo_seconds_total", labels: ["a": "d"], value: 2,
                exemplar: Exemplar(
                    labels: [Label(name: "span_id", value: "x"), Label(name: "trace_id", value: "\"q\"")],
                    value: -.infinity)),
        ]
    ),
    ValidCase(
        name: "OpenMetrics histogram, gaugehistogram, info, stateset, unknown, case-insensitive specials",
        format: .openMetrics,
        text: """
            # TYPE hist histogram
            hist_bucket{le="0.1"} 8 # {id="a"} 0.054
            hist_bucket{le="+Inf"} 17 # {id="b"} 3.2 1520879608
            hist_count 17
            hist_sum 324789.3
            hist_created 1520430000.5
            # TYPE gh gaugehistogram
            gh_bucket{le="1.0"} 3 # {id="c"} 0.5
            gh_bucket{le="+Inf"} 5
            gh_gcount 5
            gh_gsum 2.5
            # TYPE build info
            # HELP build Build information.
            build_info{version="1.2.3",rev="abc"} 1
            # TYPE state stateset
            state{state="a"} 0
            state{state="bb"} 1
            # TYPE weird unknown
            weird INF
            weird{x="1"} -Infinity
            weird{x="2"} nAn
            weird{x="3"} +inf
            no_metadata_family 42
            # EOF

            """,
        families: [
            Family(name: "hist", type: .histogram),
            Family(name: "gh", type: .gaugehistogram),
            Family(name: "build", type: .info, help: "Build information."),
            Family(name: "state", type: .stateset),
            Family(name: "weird", type: .unknown),
            Family(name: "no_metadata_family", type: .unknown),
        ],
        samples: [
            ExpectedSample(
                family: 0, name: "hist_bucket", labels: ["le": "0.1"], value: 8,
                exemplar: Exemplar(labels: [Label(name: "id", value: "a")], value: 0.054)),
            ExpectedSample(
                family: 0, name: "hist_bucket", labels: ["le": "+Inf"], value: 17,
                exemplar: Exemplar(labels: [Label(name: "id", value: "b")], value: 3.2, timestamp: 1_520_879_608)),
            ExpectedSample(family: 0, name: "hist_count", value: 17),
            ExpectedSample(family: 0, name: "hist_sum", value: 324_789.3),
            ExpectedSample(family: 0, name: "hist_created", value: 1_520_430_000.5),
            ExpectedSample(
                family: 1, name: "gh_bucket", labels: ["le": "1.0"], value: 3,
                exemplar: Exemplar(labels: [Label(name: "id", value: "c")], value: 0.5)),
            ExpectedSample(family: 1, name: "gh_bucket", labels: ["le": "+Inf"], value: 5),
            ExpectedSample(family: 1, name: "gh_gcount", value: 5),
            ExpectedSample(family: 1, name: "gh_gsum", value: 2.5),
            ExpectedSample(family: 2, name: "build_info", labels: ["version": "1.2.3", "rev": "abc"], value: 1),
            ExpectedSample(family: 3, name: "state", labels: ["state": "a"], value: 0),
            ExpectedSample(family: 3, name: "state", labels: ["state": "bb"], value: 1),
            ExpectedSample(family: 4, name: "weird", value: .infinity),
            ExpectedSample(family: 4, name: "weird", labels: ["x": "1"], value: -.infinity),
            ExpectedSample(family: 4, name: "weird", labels: ["x": "2"], value: .nan),
            ExpectedSample(family: 4, name: "weird", labels: ["x": "3"], value: .infinity),
            ExpectedSample(family: 5, name: "no_metadata_family", value: 42),
        ]
    ),
    ValidCase(
        name: "OpenMetrics timestamps: negative, exponent, nanoseconds, sub-millisecond truncation",
        format: .openMetrics,
        text: """
            # TYPE t gauge
            t{i="1"} 1 -1.5
            t{i="2"} 1 1.5e3
            t{i="3"} 1 1604676851.123456789
            t{i="4"} 1 1520879607
            t{i="5"} 1 0.0009
            t{i="6"} 1 -0.0009
            t{i="7"} 1 1520879607.789
            t{i="8"} 1 0.001
            # EOF
            """,
        families: [Family(name: "t", type: .gauge)],
        samples: [
            ExpectedSample(family: 0, name: "t", labels: ["i": "1"], value: 1, timestampMs: -1500),
            ExpectedSample(family: 0, name: "t", labels: ["i": "2"], value: 1, timestampMs: 1_500_000),
            ExpectedSample(family: 0, name: "t", labels: ["i": "3"], value: 1, timestampMs: 1_604_676_851_123),
            ExpectedSample(family: 0, name: "t", labels: ["i": "4"], value: 1, timestampMs: 1_520_879_607_000),
            ExpectedSample(family: 0, name: "t", labels: ["i": "5"], value: 1, timestampMs: 0),
            ExpectedSample(family: 0, name: "t", labels: ["i": "6"], value: 1, timestampMs: 0),
            ExpectedSample(family: 0, name: "t", labels: ["i": "7"], value: 1, timestampMs: 1_520_879_607_789),
            ExpectedSample(family: 0, name: "t", labels: ["i": "8"], value: 1, timestampMs: 1),
        ]
    ),
    ValidCase(
        name: "OpenMetrics empty HELP and UNIT are absent; CRLF; metadata-only family",
        format: .openMetrics,
        text: "# TYPE x_bytes gauge\r\n# UNIT x_bytes \r\n# HELP x_bytes \r\nx_bytes{a=\"1\"} 5\r\n"
            + "# TYPE only_meta counter\r\n# HELP only_meta Nothing yet.\r\n# EOF\r\n",
        families: [
            Family(name: "x_bytes", type: .gauge),
            Family(name: "only_meta", type: .counter, help: "Nothing yet."),
        ],
        samples: [ExpectedSample(family: 0, name: "x_bytes", labels: ["a": "1"], value: 5)]
    ),
    ValidCase(
        name: "OpenMetrics empty exposition without final newline",
        format: .openMetrics,
        text: "# EOF",
        families: [],
        samples: []
    ),
    ValidCase(
        name: "Prometheus text empty body",
        format: .prometheusText,
        text: "",
        families: [],
        samples: []
    ),
]

@Suite("Valid expositions")
struct ValidExpositionTests {
    @Test(arguments: validCases)
    func parsesExactly(_ testCase: ValidCase) throws {
        let exposition = try parse(testCase.text, testCase.format)
        #expect(exposition.families == testCase.families)
        expectSamples(exposition.samples, testCase.samples)
    }

    @Test func nanIsTheOrdinaryQuietNaN() throws {
        let exposition = try parse("a NaN\n", .prometheusText)
        #expect(exposition.samples[0].value.bitPattern == Double.nan.bitPattern)
        #expect(exposition.samples[0].value.bitPattern != 0x7FF0_0000_0000_0002)
    }

    @Test func repeatedStringsAreShared() throws {
        let exposition = try parse(
            "a{x=\"a fairly long label value\"} 1\nb{x=\"a fairly long label value\"} 2\n", .prometheusText)
        let first = exposition.samples[0].labels[0].value
        let second = exposition.samples[1].labels[0].value
        #expect(first == second)
    }
}
