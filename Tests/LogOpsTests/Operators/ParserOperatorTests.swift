import Testing
@testable import LogOps
import OTelModel

@Suite struct JSONParserOperatorTests {
    let line = #"{"ts":"2024-05-01T12:34:56.5Z","level":"WARN","msg":"hi","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","trace_flags":"01"}"#

    @Test func parsesBodyIntoAttributesByDefault() throws {
        let op = try JSONParserConfig().build()
        var e = entry(body: #"{"a":1,"b":"x"}"#)
        e.record.attributes = [KeyValue("b", "old"), KeyValue("keep", "1")]
        try op.process(&e)
        #expect(Array(e.record.attributes) == [KeyValue("b", "x"), KeyValue("keep", "1"), KeyValue(key: "a", value: .int(1))])
        #expect(e.record.body == s(#"{"a":1,"b":"x"}"#))

        // A key repeated in the line and present before: the old position, the line's last value.
        var repeated = entry(body: #"{"b":"x","a":1,"b":"y"}"#)
        repeated.record.attributes = [KeyValue("keep", "1"), KeyValue("b", "old")]
        try op.process(&repeated)
        #expect(Array(repeated.record.attributes) == [KeyValue("keep", "1"), KeyValue("b", "y"), KeyValue(key: "a", value: .int(1))])

        var empty = entry(body: "{}")
        empty.record.attributes = [KeyValue("keep", "1")]
        try op.process(&empty)
        #expect(Array(empty.record.attributes) == [KeyValue("keep", "1")])

        var broken = entry(body: #"{"a":1,"#)
        broken.record.attributes = [KeyValue("keep", "1")]
        #expect(throws: OperatorError.self) { try op.process(&broken) }
        #expect(Array(broken.record.attributes) == [KeyValue("keep", "1")])
    }

    @Test func parseToBodyAndFromNestedField() throws {
        let op = try JSONParserConfig(parseTo: "body").build()
        var e = entry(body: #"{"a":{"b":true}}"#)
        try op.process(&e)
        #expect(e.get(.body("a", "b")) == .bool(true))

        let nested = try JSONParserConfig(parseFrom: "body.message", parseTo: "body").build()
        var n = LogEntry(body: .kvlist([KeyValue("message", #"{"key":"val"}"#), KeyValue("other", "x")]))
        try nested.process(&n)
        #expect(n.get(.body("key")) == s("val"))
        #expect(n.get(.body("other")) == s("x"))
    }

    @Test func embeddedSteps() throws {
        let op = try JSONParserConfig(
            timestamp: TimestampConfig(parseFrom: "attributes.ts", layout: "%Y-%m-%dT%H:%M:%S.%LZ"),
            severity: SeverityConfig(parseFrom: "attributes.level"),
            trace: TraceConfig()
        ).build()
        var e = entry(body: line)
        try op.process(&e)
        #expect(e.record.timeUnixNano == 1_714_566_896_500_000_000)
        #expect(e.record.severityNumber == .warn)
        #expect(e.record.severityText == "WARN")
        #expect(e.record.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(e.record.spanID.hex == "00f067aa0ba902b7")
        #expect(e.record.flags == 1)
    }

    @Test func embeddedFailureKeepsTheParseAndTheOtherSteps() throws {
        let op = try JSONParserConfig(
            timestamp: TimestampConfig(parseFrom: "attributes.missing", layout: "%Y"),
            severity: SeverityConfig(parseFrom: "attributes.level")
        ).build()
        var e = entry(body: line)
        do {
            try op.process(&e)
            Issue.record("no error")
        } catch {
            #expect(error.code == .missingField)
            #expect(error.operatorType == "json_parser")
        }
        #expect(e.get(.attributes("msg")) == s("hi"))
        #expect(e.record.severityNumber == .warn)
    }

    @Test func invalidTraceIDInEmbeddedBlock() throws {
        let op = try JSONParserConfig(trace: TraceConfig()).build()
        var e = entry(body: #"{"trace_id":"nothex"}"#)
        #expect(throws: OperatorError.self) { try op.process(&e) }
        #expect(e.record.traceID.isZero)
        #expect(e.get(.attributes("trace_id")) == s("nothex"))
    }

    @Test(arguments: OnError.allCases)
    func onErrorLeavesTheEntryUnchangedAndDecidesItsFate(_ onError: OnError) throws {
        let op = try JSONParserConfig(onError: onError).build()
        let sequence = OperatorSequence([op])
        var e = entry(body: #"{"a": tru"#)
        let before = e
        var reported: [OperatorError] = []
        let kept = sequence.process(&e) { reported.append($0) }
        #expect(e == before)
        #expect(kept == !onError.dropsEntry)
        #expect(reported.count == 1)
        #expect(reported.first?.code == .parseFailed)
        #expect(reported.first?.isQuiet == onError.isQuiet)
    }

    @Test func nonStringAndMissingInput() throws {
        let op = try JSONParserConfig().build()
        var map = LogEntry(body: .kvlist([]))
        #expect(throws: OperatorError.self) { try op.process(&map) }
        var none = LogEntry()
        #expect(throws: OperatorError.self) { try op.process(&none) }
        var bytes = LogEntry(body: .bytes(ByteString(#"{"a":1}"#)))
        try op.process(&bytes)
        #expect(bytes.get(.attributes("a")) == .int(1))
    }

    @Test func badConfigs() {
        #expect(throws: OperatorConfigError.self) { try JSONParserConfig(parseFrom: "body.").build() }
        #expect(throws: OperatorConfigError.self) { try JSONParserConfig(parseTo: "attributes[").build() }
        #expect(throws: OperatorConfigError.self) { try JSONParserConfig(timestamp: TimestampConfig(parseFrom: "x", layout: "%Q")).build() }
        #expect(throws: OperatorConfigError.self) { try JSONParserConfig(maxDepth: 0).build() }
    }
}

@Suite struct RegexParserOperatorTests {
    @Test func namedGroupsInBothGoSpellings() throws {
        let op = try RegexParserConfig(regex: #"^(?P<time>\d{4}-\d{2}-\d{2}) \[(?<severity_field>[A-Z]+)\] (?P<msg_text>.*?)(?: code=(?P<code>\d+))?$"#).build()
        var e = entry(body: "2024-01-02 [ERROR] disk (full) is bad")
        try op.process(&e)
        #expect(Array(e.record.attributes) == [
            KeyValue("time", "2024-01-02"), KeyValue("severity_field", "ERROR"), KeyValue("msg_text", "disk (full) is bad"), KeyValue("code", ""),
        ])
    }

    @Test func groupsCountedPastClassesAndEscapes() throws {
        let op = try RegexParserConfig(regex: #"\[([(])(?:x)\)\((?<a>[^)\]]+)\)(?<b>\w)"#).build()
        var e = entry(body: "[(x)(yz)q")
        try op.process(&e)
        #expect(e.get(.attributes("a")) == s("yz"))
        #expect(e.get(.attributes("b")) == s("q"))
    }

    /// The Collector's regex_parser is Go's RE2: what it refuses (look-around, `(?'name'…)`, names
    /// other than letters, digits and `_`) is refused here too, with Go's words.
    @Test(arguments: [
        (#"(?'msg'.*)"#, "invalid or unsupported Perl syntax"),
        (#"(?P<msg.text>.*)"#, "invalid named capture"),
        (#"(?<a>x)(?<=x)y"#, "invalid named capture"),
        (#"(?<a>x)(?=y)"#, "invalid or unsupported Perl syntax"),
    ])
    func patternsGoRefuses(_ regex: String, _ reason: String) {
        do {
            _ = try RegexParserConfig(regex: regex).build()
            Issue.record("\(regex) was accepted")
        } catch {
            #expect(error.reason.contains(reason), "\(regex): \(error.reason)")
        }
    }

    @Test func embeddedSeverityAndNoMatch() throws {
        let op = try RegexParserConfig(
            regex: #"^StatusCode=(?P<status>\d{3}), Host=(?P<host>[^,]+)"#,
            severity: SeverityConfig(parseFrom: "attributes.status", mapping: ["warn": ["5xx"], "error": ["4xx"]])
        ).build()
        var e = entry(body: "StatusCode=404, Host=example.org")
        try op.process(&e)
        #expect(e.record.severityNumber == .error)
        #expect(e.get(.attributes("host")) == s("example.org"))
        var miss = entry(body: "nothing")
        #expect(throws: OperatorError.self) { try op.process(&miss) }
        #expect(miss == entry(body: "nothing"))
    }

    @Test func unicodeText() throws {
        let op = try RegexParserConfig(regex: #"^(?<word>\S+) (?<rest>.*)$"#).build()
        var e = entry(body: "héllo 日本 😀")
        try op.process(&e)
        #expect(e.get(.attributes("word")) == s("héllo"))
        #expect(e.get(.attributes("rest")) == s("日本 😀"))
    }

    @Test func badConfigs() {
        #expect(throws: OperatorConfigError.self) { try RegexParserConfig(regex: "(unclosed").build() }
        #expect(throws: OperatorConfigError.self) { try RegexParserConfig(regex: "no groups").build() }
        #expect(throws: OperatorConfigError.self) { try RegexParserConfig(regex: "(?<>x)").build() }
    }
}

@Suite struct TraceParserOperatorTests {
    @Test func defaultsReadAttributes() throws {
        let op = try TraceParserConfig().build()
        var e = LogEntry(body: s("x"), attributes: [KeyValue("trace_id", "4BF92F3577B34DA6A3CE929D0E0E4736"), KeyValue("span_id", "00f067aa0ba902b7"), KeyValue("trace_flags", "01")])
        e.record.traceID = TraceID(high: 1, low: 1)
        try op.process(&e)
        #expect(e.record.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(e.record.spanID.hex == "00f067aa0ba902b7")
        #expect(e.record.flags == 1)
    }

    @Test func customFieldsAndMissingOnes() throws {
        let op = try TraceParserConfig(TraceConfig(traceID: .init(parseFrom: "body.t"), spanID: .init(parseFrom: "resource.s"))).build()
        var e = LogEntry(body: .kvlist([KeyValue("t", "4bf92f3577b34da6a3ce929d0e0e4736")]))
        try op.process(&e)
        #expect(e.record.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(e.record.spanID.isZero)
        var empty = LogEntry()
        try op.process(&empty)
        #expect(empty == LogEntry())
    }

    @Test func invalidValuesFailWithACode() throws {
        let op = try TraceParserConfig(onError: .dropQuiet).build()
        for (attrs, code) in [
            ([KeyValue("trace_id", "xyz")], OperatorError.Code.invalidTraceID),
            ([KeyValue("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), KeyValue("span_id", "00")], .invalidSpanID),
            ([KeyValue("span_id", "00f067aa0ba902b7"), KeyValue("trace_flags", "zz")], .invalidTraceFlags),
        ] {
            var e = LogEntry(body: s("x"), attributes: Attributes(attrs))
            let before = e
            do {
                try op.process(&e)
                Issue.record("no error for \(attrs)")
            } catch {
                #expect(error.code == code)
                #expect(error.dropsEntry)
            }
            #expect(e == before)
        }
    }
}
