import Testing
@testable import LogOps
import OTelModel

@Suite struct TraceContextTests {
    let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"
    let spanHex = "00f067aa0ba902b7"
    var traceID: TraceID { TraceID(hex: traceHex)! }
    var spanID: SpanID { SpanID(hex: spanHex)! }
    var traceparent: String { "00-\(traceHex)-\(spanHex)-01" }

    func record(body: AnyValue = .unset, attributes: [KeyValue] = []) -> LogRecord {
        var r = LogRecord()
        r.body = body
        r.attributes = Attributes(attributes)
        return r
    }

    func expectExtracted(_ r: LogRecord, flags: UInt32 = 1, _ comment: Comment? = nil) {
        #expect(r.traceID == traceID, comment)
        #expect(r.spanID == spanID, comment)
        #expect(r.flags == flags, comment)
    }

    @Test func fromAttributesWithEveryKeySpelling() {
        for (t, sp, f) in [("trace_id", "span_id", "trace_flags"), ("traceId", "spanId", "traceFlags"), ("traceID", "spanID", "trace_flags"), ("trace.id", "span.id", "traceFlags")] {
            var r = record(attributes: [KeyValue(t, traceHex), KeyValue(sp, spanHex), KeyValue(f, "01")])
            #expect(TraceContext.extract(from: &r) == .extracted(.attributes))
            expectExtracted(r, "\(t)")
        }
    }

    @Test func upperCaseHexAndRawBytesAreAccepted() {
        var r = record(attributes: [KeyValue("trace_id", traceHex.uppercased()), KeyValue("span_id", spanHex.uppercased()), KeyValue(key: "trace_flags", value: .int(1))])
        #expect(TraceContext.extract(from: &r) == .extracted(.attributes))
        expectExtracted(r)
        var b = record(attributes: [KeyValue(key: "trace_id", value: .bytes(ByteString(bytes: traceID.bytes))), KeyValue(key: "span_id", value: .bytes(ByteString(bytes: spanID.bytes)))])
        #expect(TraceContext.extract(from: &b) == .extracted(.attributes))
        expectExtracted(b, flags: 0)
    }

    @Test func traceparentAttribute() {
        var r = record(attributes: [KeyValue("traceparent", traceparent)])
        #expect(TraceContext.extract(from: &r) == .extracted(.attributes))
        expectExtracted(r)
    }

    @Test func explicitIDsWinOverTraceparent() {
        var r = record(attributes: [KeyValue("traceparent", "00-11111111111111111111111111111111-2222222222222222-00"), KeyValue("trace_id", traceHex), KeyValue("span_id", spanHex)])
        #expect(TraceContext.extract(from: &r) == .extracted(.attributes))
        expectExtracted(r, flags: 0)
    }

    @Test func fromBodyMapIncludingNestedKeys() {
        var r = record(body: .kvlist([KeyValue("trace_id", traceHex), KeyValue("span_id", spanHex), KeyValue("trace_flags", "01")]))
        #expect(TraceContext.extract(from: &r) == .extracted(.bodyMap))
        expectExtracted(r)
        var n = record(body: .kvlist([
            KeyValue(key: "trace", value: .kvlist([KeyValue("id", traceHex)])),
            KeyValue(key: "span", value: .kvlist([KeyValue("id", spanHex)])),
        ]))
        #expect(TraceContext.extract(from: &n) == .extracted(.bodyMap))
        expectExtracted(n, flags: 0)
    }

    @Test func fromJSONLineBody() {
        var r = record(body: s(#"  {"msg":"hi","traceId":"\#(traceHex)","spanId":"\#(spanHex)","traceFlags":"01"}"#))
        #expect(TraceContext.extract(from: &r) == .extracted(.bodyJSON))
        expectExtracted(r)
    }

    @Test func fromLogfmtBody() {
        var r = record(body: s("level=info msg=\"done\" trace_id=\(traceHex) span_id=\(spanHex) trace_flags=01"))
        #expect(TraceContext.extract(from: &r) == .extracted(.bodyLogfmt))
        expectExtracted(r)
        var q = record(body: s("ts=1 traceparent=\"\(traceparent)\" x=y"))
        #expect(TraceContext.extract(from: &q) == .extracted(.bodyLogfmt))
        expectExtracted(q)
    }

    @Test func traceparentTokenInPlainText() {
        var r = record(body: s("2024-01-01 INFO [\(traceparent)] request done"))
        #expect(TraceContext.extract(from: &r) == .extracted(.bodyText))
        expectExtracted(r)
        var start = record(body: s(traceparent))
        #expect(TraceContext.extract(from: &start) == .extracted(.bodyText))
        // A future version followed by more fields.
        var future = record(body: s("hdr: 01-\(traceHex)-\(spanHex)-01-extra stuff"))
        #expect(TraceContext.extract(from: &future) == .extracted(.bodyText))
        expectExtracted(future)
        // Version 00 must end after the flags.
        var glued = record(body: s("x \(traceparent)-more"))
        #expect(TraceContext.extract(from: &glued) == .notFound)
        var inWord = record(body: s("x a\(traceparent)"))
        #expect(TraceContext.extract(from: &inWord) == .notFound)
    }

    @Test func invalidValuesLeaveTheRecordUnchanged() {
        let cases: [([KeyValue], TraceContext.Outcome)] = [
            ([KeyValue("trace_id", "abc")], .invalidTraceID(.attributes)),
            ([KeyValue("trace_id", String(repeating: "0", count: 32))], .invalidTraceID(.attributes)),
            ([KeyValue("trace_id", String(repeating: "g", count: 32))], .invalidTraceID(.attributes)),
            ([KeyValue(key: "trace_id", value: .int(5))], .invalidTraceID(.attributes)),
            ([KeyValue("trace_id", traceHex), KeyValue("span_id", "0000000000000000")], .invalidSpanID(.attributes)),
            ([KeyValue("trace_id", traceHex), KeyValue("span_id", spanHex + "00")], .invalidSpanID(.attributes)),
            ([KeyValue("trace_id", traceHex), KeyValue("trace_flags", "xyz")], .invalidTraceFlags(.attributes)),
            ([KeyValue(key: "trace_id", value: .string(ByteString(traceHex))), KeyValue(key: "trace_flags", value: .int(300))], .invalidTraceFlags(.attributes)),
            ([KeyValue("traceparent", "ff-\(traceHex)-\(spanHex)-01")], .invalidTraceparent(.attributes)),
            ([KeyValue("traceparent", "00-\(traceHex)-\(spanHex)-01-extra")], .invalidTraceparent(.attributes)),
            ([KeyValue("traceparent", "00-\(traceHex)-\(spanHex)")], .invalidTraceparent(.attributes)),
            ([KeyValue("traceparent", "00-\(String(repeating: "0", count: 32))-\(spanHex)-01")], .invalidTraceID(.attributes)),
            ([KeyValue("traceparent", "00-\(traceHex)-0000000000000000-01")], .invalidSpanID(.attributes)),
        ]
        for (attributes, outcome) in cases {
            var r = record(attributes: attributes)
            let before = r
            let result = TraceContext.extract(from: &r)
            #expect(result == outcome, "\(attributes)")
            #expect(r == before)
        }
        #expect(TraceContext.Outcome.invalidTraceID(.attributes).name == "invalid_trace_id")
    }

    @Test func alreadySetAndNotFound() {
        var r = record(attributes: [KeyValue("trace_id", traceHex)])
        r.traceID = TraceID(high: 1, low: 2)
        #expect(TraceContext.extract(from: &r) == .alreadySet)
        #expect(r.traceID == TraceID(high: 1, low: 2))
        var none = record(body: s("nothing to see here = really"), attributes: [KeyValue("other", "x")])
        #expect(TraceContext.extract(from: &none) == .notFound)
        var spanOnly = record(attributes: [KeyValue("span_id", spanHex)])
        #expect(TraceContext.extract(from: &spanOnly) == .notFound)
        #expect(spanOnly.spanID.isZero)
    }

    @Test func settingsChooseKeysAndPlaces() {
        let settings = TraceContext.Settings(traceIDKeys: ["tid"], spanIDKeys: ["sid"], fromBodyText: false)
        var r = record(attributes: [KeyValue("tid", traceHex), KeyValue("sid", spanHex)])
        #expect(TraceContext.extract(from: &r, settings: settings) == .extracted(.attributes))
        var defaultKeys = record(attributes: [KeyValue("trace_id", traceHex)])
        #expect(TraceContext.extract(from: &defaultKeys, settings: settings) == .notFound)
        var text = record(body: s(traceparent))
        #expect(TraceContext.extract(from: &text, settings: settings) == .notFound)
    }

    @Test func flagsKeepOtherBits() {
        var r = record(attributes: [KeyValue("traceparent", traceparent)])
        r.flags = 0x100
        TraceContext.extract(from: &r)
        #expect(r.flags == 0x101)
    }

    @Test func traceparentParse() {
        #expect((try? Traceparent.parse(traceparent).get())?.description == traceparent)
        #expect((try? Traceparent.parse(" " + traceparent.uppercased() + " ").get())?.traceID == traceID)
        #expect(throws: Traceparent.Problem.malformed) { try Traceparent.parse("00-\(traceHex)-\(spanHex)-0g").get() }
        #expect(throws: Traceparent.Problem.malformed) { try Traceparent.parse("00_\(traceHex)-\(spanHex)-01").get() }
        #expect(throws: Traceparent.Problem.malformed) { try Traceparent.parse("").get() }
        #expect((try? Traceparent.parse("cc-\(traceHex)-\(spanHex)-01-what-ever").get())?.version == 0xCC)
    }

    @Test func hostileBodiesNeverCrash() {
        var rng = TestRandom(seed: 99)
        let pieces = ["{", "}", "\"", "trace_id", "=", "-", traceHex, spanHex, "00-", "traceparent", " ", ":", "\\"]
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<rng.int(12) { text += pieces[rng.int(pieces.count)] }
            var r = record(body: s(text))
            _ = TraceContext.extract(from: &r)
            var bytes = record(body: .string(ByteString(bytes: (0..<rng.int(80)).map { _ in rng.byte() })))
            _ = TraceContext.extract(from: &bytes)
        }
    }
}
