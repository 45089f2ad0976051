import PromExposition
import Testing

/// An invalid exposition with the line and message part the error must carry.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    var name: String
    var format: ExpositionFormat
    var bytes: [UInt8]
    var line: Int
    var message: String

    init(_ name: String, _ format: ExpositionFormat, _ text: String, line: Int, _ message: String) {
        self.init(name, format, Array(text.utf8), line: line, message)
    }

    init(_ name: String, _ format: ExpositionFormat, _ bytes: [UInt8], line: Int, _ message: String) {
        self.name = name
        self.format = format
        self.bytes = bytes
        self.line = line
        self.message = message
    }

    var testDescription: String { name }
}

private let om = ExpositionFormat.openMetrics
private let prom = ExpositionFormat.prometheusText

let invalidCases: [InvalidCase] = [
    // Structure of OpenMetrics.
    InvalidCase("missing # EOF", om, "# TYPE a gauge\na 1\n", line: 3, "# EOF"),
    InvalidCase("empty OpenMetrics body", om, "", line: 1, "# EOF"),
    InvalidCase("truncated last line", om, "# TYPE a gauge\na 1", line: 3, "# EOF"),
    InvalidCase("data after # EOF", om, "a 1\n# EOF\nb 2\n", line: 3, "after \"# EOF\""),
    InvalidCase("blank line after # EOF", om, "# EOF\n\n", line: 2, "after \"# EOF\""),
    InvalidCase("# EOF with trailing space", om, "# EOF \n", line: 1, "OpenMetrics allows only"),
    InvalidCase("comment line", om, "# hello\n# EOF\n", line: 1, "OpenMetrics allows only"),
    InvalidCase("blank line", om, "a 1\n\n# EOF\n", line: 2, "empty line"),
    InvalidCase("tab separator", om, "a\t1\n# EOF\n", line: 1, "expected a single space"),
    InvalidCase("two spaces before value", om, "a  1\n# EOF\n", line: 1, "missing value"),
    InvalidCase("trailing space", om, "a 1 \n# EOF\n", line: 1, "trailing space"),
    InvalidCase("leading space", om, " a 1\n# EOF\n", line: 1, "expected a metric name"),
    InvalidCase("quoted metric name", om, "{\"a.b\"} 1\n# EOF\n", line: 1, "expected a metric name"),
    InvalidCase("HELP without space before text", om, "# HELP a\n# EOF\n", line: 1, "no text after the name"),

    // Escapes, quotes, UTF-8.
    InvalidCase("bad escape at end of line in a label value", prom, "a{b=\"c\\\n", line: 1, "bad escape"),
    InvalidCase("bad escape at end of OpenMetrics HELP", om, "# HELP a text\\\n# EOF\n", line: 1, "bad escape"),
    InvalidCase("unterminated quote", prom, "a{b=\"c} 1\n", line: 1, "unterminated label value"),
    InvalidCase("escaped closing quote", om, "a{b=\"c\\\"} 1\n# EOF\n", line: 1, "unterminated label value"),
    InvalidCase("unterminated label set", prom, "x 1\na{b=\"c\" 1\n", line: 2, "expected ',' or '}'"),
    InvalidCase(
        "invalid UTF-8 byte in a label value", prom, Array("a{b=\"".utf8) + [0xFF] + Array("\"} 1\n".utf8), line: 1,
        "invalid UTF-8"),
    InvalidCase(
        "overlong UTF-8 in a label value", om, Array("a{b=\"".utf8) + [0xC0, 0xAF] + Array("\"} 1\n# EOF\n".utf8),
        line: 1, "invalid UTF-8"),
    InvalidCase(
        "UTF-8 surrogate in a label value", prom,
        Array("a 1\nb{c=\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"} 1\n".utf8), line: 2, "invalid UTF-8"),
    InvalidCase(
        "truncated UTF-8 before the closing quote", prom, Array("a{b=\"".utf8) + [0xE6, 0x97] + Array("\"} 1\n".utf8),
        line: 1, "invalid UTF-8"),
    InvalidCase(
        "invalid UTF-8 in Prometheus HELP", prom, Array("# HELP a x".utf8) + [0xC3, 0x28] + [0x0A], line: 1,
        "invalid UTF-8 in HELP"),
    InvalidCase(
        "invalid UTF-8 in OpenMetrics HELP", om,
        Array("# HELP a x".utf8) + [0xF5, 0x80, 0x80, 0x80] + Array("\n# EOF\n".utf8), line: 1, "invalid UTF-8 in HELP"),

    // Values and timestamps.
    InvalidCase("bad value", prom, "a 1.2.3\n", line: 1, "invalid value"),
    InvalidCase("bad value on a CRLF line", prom, "a 1\r\n\r\nb x\r\n", line: 3, "invalid value \"x\""),
    InvalidCase("stray carriage return", prom, "a 1\r\r\n", line: 1, "invalid value \"1\\r\""),
    InvalidCase("word as value", prom, "a true\n", line: 1, "invalid value"),
    InvalidCase("hex float", prom, "a 0x1p-3\n", line: 1, "invalid value \"0x1p-3\""),
    InvalidCase("hex float in OpenMetrics", om, "a 0x1P3\n# EOF\n", line: 1, "invalid value"),
    InvalidCase("digit separator", prom, "a 1_000\n", line: 1, "invalid value \"1_000\""),
    InvalidCase("signed NaN", prom, "a -NaN\n", line: 1, "invalid value"),
    InvalidCase("partial infinity", prom, "a infin\n", line: 1, "invalid value"),
    InvalidCase("exponent without digits", prom, "a 1e\n", line: 1, "invalid value"),
    InvalidCase("float64 overflow", prom, "a 1e400\n", line: 1, "out of the float64 range"),
    InvalidCase("value glued to the label set", prom, "a{}1\n", line: 1, "expected whitespace"),
    InvalidCase("missing value", prom, "a{x=\"1\"}\n", line: 1, "expected whitespace and the value"),
    InvalidCase("negative 0.0.4 timestamp", prom, "a 1 -1000\n", line: 1, "negative timestamp"),
    InvalidCase("float 0.0.4 timestamp", prom, "a 1 1.5\n", line: 1, "invalid timestamp"),
    InvalidCase("0.0.4 timestamp overflow", prom, "a 1 99999999999999999999\n", line: 1, "overflows"),
    InvalidCase("text after the timestamp", prom, "a 1 2 3\n", line: 1, "unexpected text after the timestamp"),
    InvalidCase("NaN OpenMetrics timestamp", om, "a 1 NaN\n# EOF\n", line: 1, "invalid timestamp"),
    InvalidCase("OpenMetrics timestamp out of range", om, "a 1 1e300\n# EOF\n", line: 1, "out of range"),

    // Metadata.
    InvalidCase("unknown TYPE", prom, "# TYPE a gaugeish\n", line: 1, "unknown metric type \"gaugeish\""),
    InvalidCase("untyped in OpenMetrics", om, "# TYPE a untyped\n# EOF\n", line: 1, "unknown metric type \"untyped\""),
    InvalidCase("unknown in Prometheus text", prom, "# TYPE a unknown\n", line: 1, "unknown metric type"),
    InvalidCase("TYPE in upper case", om, "# TYPE a COUNTER\n# EOF\n", line: 1, "unknown metric type"),
    InvalidCase("TYPE with two words", prom, "# TYPE a counter gauge\n", line: 1, "unknown metric type"),
    InvalidCase("TYPE without a type", prom, "# TYPE a\n", line: 1, "without a metric type"),
    InvalidCase("HELP without a name", prom, "# HELP \n", line: 1, "expected a metric name"),
    InvalidCase("invalid name in TYPE", prom, "# TYPE a-b counter\n", line: 1, "invalid metric name"),
    InvalidCase("duplicate TYPE", prom, "# TYPE a gauge\n# TYPE a gauge\na 1\n", line: 2, "duplicate TYPE"),
    InvalidCase(
        "duplicate TYPE in OpenMetrics", om, "# TYPE a gauge\n# HELP a x\n# TYPE a counter\n# EOF\n", line: 3,
        "duplicate TYPE"),
    InvalidCase("duplicate HELP later on", prom, "# HELP a x\na 1\nb 1\n# HELP a y\n", line: 4, "duplicate HELP"),
    InvalidCase("duplicate UNIT", om, "# UNIT a_s s\n# UNIT a_s s\n# EOF\n", line: 2, "duplicate UNIT"),
    InvalidCase("TYPE after the samples", prom, "a 1\n# TYPE a gauge\n", line: 2, "after its samples"),
    InvalidCase(
        "HELP for an earlier family", om, "# TYPE a gauge\n# TYPE b gauge\n# HELP a x\n# EOF\n", line: 3,
        "ended earlier"),
    InvalidCase("UNIT not a suffix", om, "# TYPE foo counter\n# UNIT foo seconds\n# EOF\n", line: 2, "not a suffix"),
    InvalidCase("UNIT suffix without underscore", om, "# UNIT metricseconds seconds\n# EOF\n", line: 1, "not a suffix"),
    InvalidCase("UNIT equal to the name", om, "# UNIT seconds seconds\n# EOF\n", line: 1, "not a suffix"),
    InvalidCase(
        "unit on an info family", om, "# TYPE i_x info\n# UNIT i_x x\n# EOF\n", line: 2, "must not have a unit"),
    InvalidCase(
        "stateset typed after its unit", om, "# UNIT s_x x\n# TYPE s_x stateset\n# EOF\n", line: 2,
        "must not have a unit"),

    // Families and sample names.
    InvalidCase(
        "OpenMetrics counter without _total", om, "# TYPE foo counter\nfoo 1\n# EOF\n", line: 2,
        "does not fit counter family \"foo\""),
    InvalidCase(
        "OpenMetrics info without _info", om, "# TYPE foo info\nfoo 1\n# EOF\n", line: 2, "does not fit info family"),
    InvalidCase(
        "0.0.4 histogram sample without suffix", prom, "# TYPE h histogram\nh 1\n", line: 2,
        "does not fit histogram family"),
    InvalidCase(
        "interleaved families", om, "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n", line: 5, "contiguous"),
    InvalidCase(
        "interleaved histogram samples", om, "# TYPE h histogram\nh_count 1\nx 1\nh_sum 2\n# EOF\n", line: 4,
        "contiguous"),
    InvalidCase(
        "family name clashes with counter samples", om,
        "# TYPE foo counter\nfoo_total 1\n# TYPE foo_total gauge\nfoo_total 2\n# EOF\n", line: 4, "clashes"),
    InvalidCase(
        "counter whose samples clash with a family", om,
        "# TYPE foo_created gauge\nfoo_created 1\n# TYPE foo counter\nfoo_total 2\n# EOF\n", line: 4, "clash"),
    InvalidCase("invalid metric name", prom, "1abc 1\n", line: 1, "expected a metric name"),

    // Labels.
    InvalidCase("reserved label name", prom, "a{__name__=\"x\"} 1\n", line: 1, "reserved"),
    InvalidCase("duplicate label name", prom, "a{x=\"1\",y=\"2\",x=\"3\"} 1\n", line: 1, "duplicate label name \"x\""),
    InvalidCase("missing comma", prom, "a{x=\"1\" y=\"2\"} 1\n", line: 1, "expected ',' or '}'"),
    InvalidCase("lone comma", prom, "a{,} 1\n", line: 1, "expected a label name"),
    InvalidCase("double comma", om, "a{x=\"1\",,} 1\n# EOF\n", line: 1, "expected a label name"),
    InvalidCase("unquoted value", prom, "a{x=1} 1\n", line: 1, "expected '\"'"),
    InvalidCase("missing equals", prom, "a{x} 1\n", line: 1, "expected '='"),
    InvalidCase("blanks inside OpenMetrics labels", om, "a{x = \"1\"} 1\n# EOF\n", line: 1, "expected '='"),

    // Exemplars.
    InvalidCase(
        "exemplar on a gauge", om, "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n", line: 2, "exemplars are only allowed"),
    InvalidCase(
        "exemplar on counter _created", om, "# TYPE c counter\nc_total 1\nc_created 1 # {a=\"b\"} 1\n# EOF\n", line: 3,
        "exemplars are only allowed"),
    InvalidCase(
        "exemplar on histogram _sum", om, "# TYPE h histogram\nh_sum 1 # {a=\"b\"} 1\n# EOF\n", line: 2,
        "exemplars are only allowed"),
    InvalidCase(
        "exemplar in Prometheus text", prom, "a_total 1 # {a=\"b\"} 1\n", line: 1,
        "not supported in the Prometheus text format"),
    InvalidCase(
        "exemplar over 128 code points", om,
        "# TYPE c counter\nc_total 1 # {a=\"" + String(repeating: "é", count: 128) + "\"} 1\n# EOF\n", line: 2,
        "at most 128"),
    InvalidCase(
        "exemplar without value", om, "# TYPE c counter\nc_total 1 # {a=\"b\"}\n# EOF\n", line: 2, "exemplar value"),
    InvalidCase(
        "malformed exemplar marker", om, "# TYPE c counter\nc_total 1 #{a=\"b\"} 1\n# EOF\n", line: 2, "\"# {\""),
    InvalidCase(
        "exemplar with a bad timestamp", om, "# TYPE c counter\nc_total 1 # {a=\"b\"} 1 Inf\n# EOF\n", line: 2,
        "invalid exemplar timestamp"),
]

@Suite("Invalid expositions")
struct InvalidExpositionTests {
    @Test(arguments: invalidCases)
    func failsWithLineAndMessage(_ testCase: InvalidCase) {
        let error = parseError(testCase.bytes, testCase.format)
        #expect(error != nil, "accepted an invalid exposition")
        guard let error else { return }
        #expect(error.line == testCase.line, "\(error)")
        #expect(error.message.contains(testCase.message), "\(error)")
    }

    @Test func descriptionCarriesTheLine() {
        let error = ExpositionError(line: 7, message: "invalid value \"x\"")
        #expect(error.description == "line 7: invalid value \"x\"")
    }

    @Test func exemplarAtTheCodePointLimitIsAccepted() throws {
        let value = String(repeating: "é", count: 127)
        let exposition = try parse("# TYPE c counter\nc_total 1 # {a=\"\(value)\"} 1\n# EOF\n", .openMetrics)
        #expect(exposition.samples[0].exemplar?.labels == [Label(name: "a", value: value)])
    }
}
