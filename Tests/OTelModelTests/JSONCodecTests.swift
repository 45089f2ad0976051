import Foundation
import OTelModel
import OTelTestSupport
import Testing

/// Payloads that use every field and every kind of value of the three signals.
enum JSONSamples {
    static let traceID = TraceID(high: 0x5b8e_fff7_9803_8103, low: 0xd269_b633_813f_c60c)
    static let spanID = SpanID(0xeee1_9b7e_c3c1_b174)

    /// One attribute of each kind of `AnyValue`, nested ones and both kinds of "no value" included.
    static var everyValue: [KeyValue] {
        [
            KeyValue("string", "\"quoted\", a \\ backslash, a\nnewline, a \u{1} control, \u{E9} and \u{1F600}"),
            KeyValue(key: "bool", value: .bool(true)),
            KeyValue(key: "int", value: .int(-42)),
            KeyValue(key: "int.min", value: .int(.min)),
            KeyValue(key: "int.max", value: .int(.max)),
            KeyValue(key: "double", value: .double(0.1)),
            KeyValue(key: "double.big", value: .double(1.5e300)),
            KeyValue(key: "double.infinite", value: .double(-.infinity)),
            KeyValue(key: "bytes", value: .bytes(ByteString(bytes: [0, 1, 2, 0xFF] as [UInt8]))),
            KeyValue(key: "bytes.empty", value: .bytes(.empty)),
            KeyValue(key: "array", value: .array([.string("a"), .int(1), .array([.bool(false)]), .empty])),
            KeyValue(key: "array.empty", value: .array([])),
            KeyValue(key: "kvlist", value: .kvlist([KeyValue("k", "v"), KeyValue(key: "nested", value: .kvlist([]))])),
            KeyValue(key: "empty", value: .empty),
            KeyValue(key: "unset", value: .unset),
        ]
    }

    static var span: Span {
        var s = Span()
        s.traceID = traceID
        s.spanID = spanID
        s.traceState = "vendor=value"
        s.parentSpanID = SpanID(0x0102_0304_0506_0708)
        s.flags = 0x301
        s.name = "GET /cart"
        s.kind = .server
        s.startTimeUnixNano = 1_544_712_660_000_000_000
        s.endTimeUnixNano = .max
        s.attributes = Attributes(everyValue)
        s.droppedAttributesCount = 1
        var event = SpanEvent()
        event.timeUnixNano = 1_544_712_660_500_000_000
        event.name = "exception"
        event.attributes = [KeyValue("exception.type", "IOError")]
        event.droppedAttributesCount = 2
        s.events = [event, SpanEvent()]
        s.droppedEventsCount = 3
        var link = SpanLink()
        link.traceID = TraceID(high: 1, low: 2)
        link.spanID = SpanID(3)
        link.traceState = "k=v"
        link.attributes = [KeyValue(key: "weight", value: .double(0.5))]
        link.droppedAttributesCount = 4
        link.flags = 1
        s.links = [link, SpanLink()]
        s.droppedLinksCount = 5
        s.status = SpanStatus(code: .error, message: "boom")
        return s
    }

    static var traces: TracesData {
        var unknownKind = span
        unknownKind.kind = SpanKind(rawValue: 9)
        unknownKind.status = SpanStatus()
        var entity = EntityRef()
        entity.schemaURL = "https://opentelemetry.io/schemas/1.26.0"
        entity.type = "service"
        entity.idKeys = ["service.name", "service.namespace"]
        entity.descriptionKeys = ["service.version"]
        let resource = Resource(attributes: [KeyValue("service.name", "checkout")], droppedAttributesCount: 1, entityRefs: [entity])
        let scope = InstrumentationScope(name: "lib", version: "1.0", attributes: [KeyValue("a", "b")], droppedAttributesCount: 2)
        return TracesData(resourceSpans: [
            ResourceSpans(
                resource: resource,
                scopeSpans: [ScopeSpans(scope: scope, spans: [span, unknownKind, Span()], schemaURL: "https://s/1"), ScopeSpans()],
                schemaURL: "https://s/2"),
            ResourceSpans(resource: Resource()),
        ])
    }

    static var metrics: MetricsData {
        var exemplar = Exemplar()
        exemplar.filteredAttributes = [KeyValue("user", "u1")]
        exemplar.timeUnixNano = 5
        exemplar.value = .int(7)
        exemplar.spanID = spanID
        exemplar.traceID = traceID

        var point = NumberDataPoint()
        point.attributes = [KeyValue("cpu", "0")]
        point.startTimeUnixNano = 1
        point.timeUnixNano = 1_700_000_000_000_000_000
        point.value = .double(-0.25)
        point.exemplars = [exemplar, Exemplar()]
        var stale = NumberDataPoint()
        stale.flags = DataPointFlags.noRecordedValue
        var gauge = Metric()
        gauge.name = "cpu.usage"
        gauge.description = "CPU in use"
        gauge.unit = "1"
        gauge.data = .gauge(Gauge(dataPoints: [point, stale]))
        gauge.metadata = [KeyValue("prometheus.type", "gauge")]

        var total = NumberDataPoint()
        total.value = .int(.max)
        var sum = Metric()
        sum.name = "requests"
        sum.data = .sum(Sum(dataPoints: [total], aggregationTemporality: .cumulative, isMonotonic: true))

        var bucketed = HistogramDataPoint()
        bucketed.count = 6
        bucketed.sum = 0
        bucketed.bucketCounts = [1, 2, 3]
        bucketed.explicitBounds = [0.5, 1]
        bucketed.exemplars = [exemplar]
        bucketed.min = -1.5
        var histogram = Metric()
        histogram.name = "latency"
        histogram.data = .histogram(Histogram(dataPoints: [bucketed, HistogramDataPoint()], aggregationTemporality: .delta))

        var positive = ExponentialHistogramDataPoint.Buckets()
        positive.offset = -3
        positive.bucketCounts = [4, 0, 5]
        var exponentialPoint = ExponentialHistogramDataPoint()
        exponentialPoint.count = 10
        exponentialPoint.sum = 12.5
        exponentialPoint.scale = -2
        exponentialPoint.zeroCount = 1
        exponentialPoint.positive = positive
        exponentialPoint.negative = ExponentialHistogramDataPoint.Buckets()
        exponentialPoint.flags = 1
        exponentialPoint.min = 0
        exponentialPoint.max = 9
        exponentialPoint.zeroThreshold = 1e-9
        var exponential = Metric()
        exponential.name = "sizes"
        exponential.data = .exponentialHistogram(ExponentialHistogram(dataPoints: [exponentialPoint], aggregationTemporality: .cumulative))

        var quantiles = SummaryDataPoint()
        quantiles.attributes = [KeyValue("rpc", "get")]
        quantiles.startTimeUnixNano = 10
        quantiles.timeUnixNano = 20
        quantiles.count = 3
        quantiles.sum = 4.5
        quantiles.quantileValues = [.init(quantile: 0, value: 0.5), .init(quantile: 0.99, value: 3)]
        var summary = Metric()
        summary.name = "rpc.duration"
        summary.data = .summary(Summary(dataPoints: [quantiles]))

        var noData = Metric()
        noData.name = "no.data"

        return MetricsData(resourceMetrics: [ResourceMetrics(
            resource: Resource(attributes: [KeyValue("service.name", "checkout")]),
            scopeMetrics: [ScopeMetrics(
                scope: InstrumentationScope(name: "meter"),
                metrics: [gauge, sum, histogram, exponential, summary, noData],
                schemaURL: "https://s/3")])])
    }

    static var logs: LogsData {
        var record = LogRecord()
        record.timeUnixNano = 1_700_000_000_000_000_001
        record.observedTimeUnixNano = 1_700_000_000_000_000_002
        record.severityNumber = .warn
        record.severityText = "WARN"
        record.body = .kvlist(everyValue)
        record.attributes = [KeyValue("log.file.name", "app.log")]
        record.droppedAttributesCount = 1
        record.flags = 1
        record.traceID = traceID
        record.spanID = spanID
        record.eventName = "app.started"
        var text = LogRecord()
        text.body = .string("plain text")
        text.severityNumber = SeverityNumber(rawValue: 30)
        var emptyBody = LogRecord()
        emptyBody.body = .empty
        let scope = ScopeLogs(scope: InstrumentationScope(name: "logger"), logRecords: [record, text, emptyBody, LogRecord()], schemaURL: "x")
        return LogsData(resourceLogs: [ResourceLogs(resource: Resource(attributes: [KeyValue("service.name", "checkout")]), scopeLogs: [scope])])
    }

    /// `{"resourceSpans":[{"scopeSpans":[{"spans":[{` + `fields` + `}]}]}]}`.
    static func spanJSON(_ fields: String) -> String {
        #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"# + fields + "}]}]}]}"
    }

    /// A span whose one attribute `k` has the `AnyValue` object `{` + `members` + `}`.
    static func attributeJSON(_ members: String) -> String {
        spanJSON(#""attributes":[{"key":"k","value":{"# + members + "}}]")
    }

    static func firstSpan(_ traces: TracesData) -> Span? {
        traces.resourceSpans.first?.scopeSpans.first?.spans.first
    }

    /// Rewrites every object key of compact JSON from lowerCamelCase to snake_case.
    static func snakeCaseKeys(_ json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < json.count {
            guard json[i] == UInt8(ascii: "\"") else {
                out.append(json[i])
                i += 1
                continue
            }
            var end = i + 1
            while json[end] != UInt8(ascii: "\"") { end += json[end] == UInt8(ascii: "\\") ? 2 : 1 }
            let string = json[i...end]
            if end + 1 < json.count && json[end + 1] == UInt8(ascii: ":") {
                for b in string {
                    if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") {
                        out += [UInt8(ascii: "_"), b | 0x20]
                    } else {
                        out.append(b)
                    }
                }
            } else {
                out += string
            }
            i = end + 1
        }
        return out
    }

    /// Where `needle` starts in `text`, in UTF-8 bytes.
    static func byteOffset(of needle: String, in text: String) -> Int? {
        text.range(of: needle).map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) }
    }
}

/// What the encoder writes is what it reads back, for every signal and every field: decode(encode(x))
/// equals x and encodes to the same bytes, in the OTLP/JSON spelling (lowerCamelCase keys, 64-bit
/// integers as decimal strings, ids as lowercase hex, enums as numbers, bytes as padded base64).
@Suite struct JSONRoundTripTests {
    @Test func traces() throws {
        let json = JSONSamples.traces.jsonBytes()
        let decoded = try TracesData(json: json)
        #expect(decoded == JSONSamples.traces)
        #expect(decoded.jsonBytes() == json)
        let span = try #require(JSONSamples.firstSpan(decoded))
        #expect(span.attributes[key: "double.infinite"] == .double(-.infinity))
        #expect(decoded.resourceSpans[0].scopeSpans[0].spans[1].status == SpanStatus(), "an empty status is still present")
        #expect(decoded.resourceSpans[0].scopeSpans[0].spans[2].status == nil)
    }

    @Test func metrics() throws {
        let json = JSONSamples.metrics.jsonBytes()
        let decoded = try MetricsData(json: json)
        #expect(decoded == JSONSamples.metrics)
        #expect(decoded.jsonBytes() == json)
        #expect(decoded.dataPointCount == 7)
    }

    @Test func logs() throws {
        let json = JSONSamples.logs.jsonBytes()
        let decoded = try LogsData(json: json)
        #expect(decoded == JSONSamples.logs)
        #expect(decoded.jsonBytes() == json)
        let records = decoded.resourceLogs[0].scopeLogs[0].logRecords
        #expect(records.map(\.body) == [.kvlist(JSONSamples.everyValue), .string("plain text"), .empty, .unset])
    }

    @Test func emptyPayloads() throws {
        #expect(TracesData().jsonBytes() == Array("{}".utf8))
        #expect(MetricsData().jsonBytes() == Array("{}".utf8))
        #expect(LogsData().jsonBytes() == Array("{}".utf8))
        #expect(try TracesData(json: Array("{}".utf8)) == TracesData())
        #expect(try MetricsData(json: Array("{}".utf8)) == MetricsData())
        #expect(try LogsData(json: Array("{}".utf8)) == LogsData())
    }

    @Test func tracesAreWrittenInTheOTLPSpelling() {
        var span = Span()
        span.traceID = JSONSamples.traceID
        span.spanID = JSONSamples.spanID
        span.name = "GET /cart"
        span.kind = .server
        span.startTimeUnixNano = 1_544_712_660_000_000_000
        span.endTimeUnixNano = 1_544_712_661_000_000_000
        span.attributes = [KeyValue(key: "http.status_code", value: .int(200))]
        span.status = SpanStatus(code: .error, message: "boom")
        let traces = TracesData(resourceSpans: [ResourceSpans(
            resource: Resource(attributes: [KeyValue("service.name", "checkout")]),
            scopeSpans: [ScopeSpans(scope: InstrumentationScope(name: "lib", version: "1.0"), spans: [span])])])
        let expected = #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},"#
            + #""scopeSpans":[{"scope":{"name":"lib","version":"1.0"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","#
            + #""spanId":"eee19b7ec3c1b174","name":"GET /cart","kind":2,"startTimeUnixNano":"1544712660000000000","#
            + #""endTimeUnixNano":"1544712661000000000","attributes":[{"key":"http.status_code","value":{"intValue":"200"}}],"#
            + #""status":{"message":"boom","code":2}}]}]}]}"#
        #expect(String(decoding: traces.jsonBytes(), as: UTF8.self) == expected)
    }

    @Test func metricsAreWrittenInTheOTLPSpelling() {
        var point = NumberDataPoint()
        point.timeUnixNano = 1_700_000_000_000_000_000
        point.value = .int(5)
        var metric = Metric()
        metric.name = "requests"
        metric.data = .sum(Sum(dataPoints: [point], aggregationTemporality: .cumulative, isMonotonic: true))
        let metrics = MetricsData(resourceMetrics: [ResourceMetrics(scopeMetrics: [ScopeMetrics(metrics: [metric])])])
        let expected = #"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"requests","sum":{"dataPoints":"#
            + #"[{"timeUnixNano":"1700000000000000000","asInt":"5"}],"aggregationTemporality":2,"isMonotonic":true}}]}]}]}"#
        #expect(String(decoding: metrics.jsonBytes(), as: UTF8.self) == expected)
    }

    @Test func logsAreWrittenInTheOTLPSpelling() {
        var record = LogRecord()
        record.timeUnixNano = 1
        record.severityNumber = .error
        record.severityText = "ERROR"
        record.body = .bytes(ByteString(bytes: [0xDE, 0xAD, 0xBE, 0xEF] as [UInt8]))
        record.traceID = JSONSamples.traceID
        let logs = LogsData(resourceLogs: [ResourceLogs(scopeLogs: [ScopeLogs(logRecords: [record])])])
        let expected = #"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1","severityNumber":17,"#
            + #""severityText":"ERROR","body":{"bytesValue":"3q2+7w=="},"traceId":"5b8efff798038103d269b633813fc60c"}]}]}]}"#
        #expect(String(decoding: logs.jsonBytes(), as: UTF8.self) == expected)
    }

    /// Strings are escaped where JSON requires it, and invalid UTF-8 is written as U+FFFD.
    @Test func stringsAreEscaped() throws {
        var span = Span()
        span.name = "a\u{1}\n\"\\/"
        var broken = Span()
        broken.name = ByteString(bytes: [0x61, 0xFF, 0x62] as [UInt8])
        let traces = TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: [span, broken])])])
        let text = String(decoding: traces.jsonBytes(), as: UTF8.self)
        #expect(text.contains(#"{"name":"a\u0001\n\"\\/"}"#))
        #expect(text.contains("{\"name\":\"a\u{FFFD}b\"}"))
        let decoded = try TracesData(json: traces.jsonBytes())
        #expect(decoded.resourceSpans[0].scopeSpans[0].spans.map(\.name) == ["a\u{1}\n\"\\/", "a\u{FFFD}b"])
    }

    /// Special doubles are strings; an optional double keeps its presence, even at zero.
    @Test func specialAndOptionalDoubles() throws {
        var special = HistogramDataPoint()
        special.sum = .nan
        special.min = .infinity
        special.max = 0
        var absent = HistogramDataPoint()
        absent.count = 1
        var metric = Metric()
        metric.data = .histogram(Histogram(dataPoints: [special, absent]))
        let metrics = MetricsData(resourceMetrics: [ResourceMetrics(scopeMetrics: [ScopeMetrics(metrics: [metric])])])
        let text = String(decoding: metrics.jsonBytes(), as: UTF8.self)
        #expect(text.contains(#"{"sum":"NaN","min":"Infinity","max":0.0}"#))
        #expect(text.contains(#"{"count":"1"}"#))
        let decoded = try MetricsData(json: metrics.jsonBytes())
        guard case .histogram(let h)? = decoded.resourceMetrics.first?.scopeMetrics.first?.metrics.first?.data else {
            Issue.record("not a histogram")
            return
        }
        #expect(h.dataPoints.count == 2)
        #expect(h.dataPoints.first?.sum?.isNaN == true)
        #expect(h.dataPoints.first?.min == .infinity && h.dataPoints.first?.max == 0)
        #expect(h.dataPoints.last?.sum == nil && h.dataPoints.last?.min == nil && h.dataPoints.last?.max == nil)
    }

    /// The decoder takes snake_case keys as well (the proto field names), for every field.
    @Test func snakeCaseKeysReadTheSame() throws {
        let traces = JSONSamples.snakeCaseKeys(JSONSamples.traces.jsonBytes())
        let metrics = JSONSamples.snakeCaseKeys(JSONSamples.metrics.jsonBytes())
        let logs = JSONSamples.snakeCaseKeys(JSONSamples.logs.jsonBytes())
        let text = String(decoding: traces + metrics + logs, as: UTF8.self)
        for key in ["resource_spans", "start_time_unix_nano", "kvlist_value", "dropped_attributes_count", "data_points",
                    "exponential_histogram", "aggregation_temporality", "quantile_values", "log_records", "event_name"] {
            #expect(text.contains("\"\(key)\":"), "\(key)")
        }
        #expect(!text.contains("\"resourceSpans\":") && !text.contains("\"traceId\":"))
        #expect(try TracesData(json: traces) == JSONSamples.traces)
        #expect(try MetricsData(json: metrics) == JSONSamples.metrics)
        #expect(try LogsData(json: logs) == JSONSamples.logs)
    }
}

/// Reading hand-written OTLP/JSON: every kind of `AnyValue`, 64-bit integers as strings or numbers,
/// ids in either case, enums by number or name, `null` for defaults, unknown keys skipped at every
/// level, escapes, whitespace and a byte order mark.
@Suite struct JSONReadingTests {
    @Test func everyKindOfValue() throws {
        let json = #"""
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"},"attributes":[
              {"key":"string","value":{"stringValue":"text"}},
              {"key":"bool","value":{"boolValue":false}},
              {"key":"int.string","value":{"intValue":"-9223372036854775808"}},
              {"key":"int.number","value":{"intValue":9007199254740993}},
              {"key":"int.exponent","value":{"intValue":1e3}},
              {"key":"double","value":{"doubleValue":2.5}},
              {"key":"double.integer","value":{"doubleValue":3}},
              {"key":"double.string","value":{"doubleValue":"-0.125"}},
              {"key":"double.infinity","value":{"doubleValue":"Infinity"}},
              {"key":"bytes","value":{"bytesValue":"AAEC/w=="}},
              {"key":"bytes.urlsafe","value":{"bytesValue":"AAEC_w"}},
              {"key":"array","value":{"arrayValue":{"values":[{"stringValue":"x"},{"intValue":"1"},{}]}}},
              {"key":"array.empty","value":{"arrayValue":{}}},
              {"key":"kvlist","value":{"kvlistValue":{"values":[{"key":"inner","value":{"boolValue":true}}]}}},
              {"key":"empty","value":{}},
              {"key":"null","value":null},
              {"key":"absent"}
            ]}]}]}]}
            """#
        let logs = try LogsData(json: Array(json.utf8))
        let record = try #require(logs.resourceLogs.first?.scopeLogs.first?.logRecords.first)
        #expect(record.body == .string("hello"))
        let bytes = AnyValue.bytes(ByteString(bytes: [0, 1, 2, 0xFF] as [UInt8]))
        let expected: [KeyValue] = [
            KeyValue("string", "text"),
            KeyValue(key: "bool", value: .bool(false)),
            KeyValue(key: "int.string", value: .int(.min)),
            KeyValue(key: "int.number", value: .int(9_007_199_254_740_993)),
            KeyValue(key: "int.exponent", value: .int(1000)),
            KeyValue(key: "double", value: .double(2.5)),
            KeyValue(key: "double.integer", value: .double(3)),
            KeyValue(key: "double.string", value: .double(-0.125)),
            KeyValue(key: "double.infinity", value: .double(.infinity)),
            KeyValue(key: "bytes", value: bytes),
            KeyValue(key: "bytes.urlsafe", value: bytes),
            KeyValue(key: "array", value: .array([.string("x"), .int(1), .empty])),
            KeyValue(key: "array.empty", value: .array([])),
            KeyValue(key: "kvlist", value: .kvlist([KeyValue(key: "inner", value: .bool(true))])),
            KeyValue(key: "empty", value: .empty),
            KeyValue(key: "null", value: .unset),
            KeyValue(key: "absent", value: .unset),
        ]
        #expect(Array(record.attributes) == expected)
    }

    @Test func notANumber() throws {
        let traces = try TracesData(json: Array(JSONSamples.attributeJSON(#""doubleValue":"NaN""#).utf8))
        guard case .double(let d)? = JSONSamples.firstSpan(traces)?.attributes[key: "k"] else {
            Issue.record("not a double")
            return
        }
        #expect(d.isNaN)
    }

    @Test func sixtyFourBitIntegersAsStringsOrNumbers() throws {
        let extreme = JSONSamples.spanJSON(#""startTimeUnixNano":"18446744073709551615","endTimeUnixNano":18446744073709551615"#)
        let other = JSONSamples.spanJSON(#""startTimeUnixNano":1544712660000000001,"endTimeUnixNano":"0","droppedAttributesCount":"7""#)
        let first = try TracesData(json: Array(extreme.utf8))
        let second = try TracesData(json: Array(other.utf8))
        let a = try #require(JSONSamples.firstSpan(first))
        let b = try #require(JSONSamples.firstSpan(second))
        #expect(a.startTimeUnixNano == .max && a.endTimeUnixNano == .max)
        #expect(b.startTimeUnixNano == 1_544_712_660_000_000_001 && b.endTimeUnixNano == 0)
        #expect(b.droppedAttributesCount == 7)
        let text = String(decoding: first.jsonBytes(), as: UTF8.self)
        #expect(text.contains(#""startTimeUnixNano":"18446744073709551615","endTimeUnixNano":"18446744073709551615""#))
    }

    @Test func idsInAnyCase() throws {
        let json = JSONSamples.spanJSON(#"""
            "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"eEe19B7ec3C1b174",
            "links":[{"traceId":"5b8efff798038103D269B633813FC60C","spanId":"0000000000000001"},{"traceId":"","spanId":null}]
            """#)
        let traces = try TracesData(json: Array(json.utf8))
        let span = try #require(JSONSamples.firstSpan(traces))
        #expect(span.traceID == JSONSamples.traceID)
        #expect(span.spanID == JSONSamples.spanID && span.parentSpanID == JSONSamples.spanID)
        #expect(span.links.map(\.traceID) == [JSONSamples.traceID, .zero])
        #expect(span.links.map(\.spanID) == [SpanID(1), .zero])
        let text = String(decoding: traces.jsonBytes(), as: UTF8.self)
        #expect(text.contains(#""traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b174""#))
        #expect(text.contains(#""spanId":"0000000000000001"},{}]"#), "zero ids are left out")
    }

    @Test(arguments: ["2", #""2""#, #""SPAN_KIND_SERVER""#])
    func spanKindByNumberOrName(_ kind: String) throws {
        let traces = try TracesData(json: Array(JSONSamples.spanJSON(#""kind":"# + kind).utf8))
        #expect(JSONSamples.firstSpan(traces)?.kind == .server)
    }

    @Test func everyEnumByName() throws {
        let span = JSONSamples.spanJSON(#""kind":"SPAN_KIND_CONSUMER","status":{"code":"STATUS_CODE_OK"}"#)
        let traces = try TracesData(json: Array(span.utf8))
        #expect(JSONSamples.firstSpan(traces)?.kind == .consumer)
        #expect(JSONSamples.firstSpan(traces)?.status?.code == .ok)

        let logs = try LogsData(json: Array(#"""
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[
              {"severityNumber":"SEVERITY_NUMBER_WARN"},{"severityNumber":"SEVERITY_NUMBER_FATAL4"},{"severityNumber":9}
            ]}]}]}
            """#.utf8))
        #expect(logs.resourceLogs[0].scopeLogs[0].logRecords.map(\.severityNumber) == [.warn, SeverityNumber(rawValue: 24), .info])

        let metrics = try MetricsData(json: Array(#"""
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[
              {"sum":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","isMonotonic":true}},
              {"histogram":{"aggregationTemporality":1}}
            ]}]}]}
            """#.utf8))
        let data = metrics.resourceMetrics[0].scopeMetrics[0].metrics.map(\.data)
        #expect(data == [
            .sum(Sum(aggregationTemporality: .cumulative, isMonotonic: true)),
            .histogram(Histogram(aggregationTemporality: .delta)),
        ])
    }

    @Test func unknownEnumNumbersAreKept() throws {
        let traces = try TracesData(json: Array(JSONSamples.spanJSON(#""kind":42"#).utf8))
        #expect(JSONSamples.firstSpan(traces)?.kind == SpanKind(rawValue: 42))
        #expect(String(decoding: traces.jsonBytes(), as: UTF8.self).contains(#""kind":42"#))
    }

    @Test func unknownKeysAreSkippedAtEveryLevel() throws {
        let json = #"""
            {"future":{"a":[1,-2.5e-3,true,false,null,"x\"y",{"b":[]}]},
             "resourceSpans":[{"extra":"x","scopeSpans":[{"spans":[
               {"name":"op","newField":{"deep":[[{}]]},"kind":1,"Name":"ignored","traceid":"not an id",
                "attributes":[{"key":"k","value":{"stringValue":"v","futureValue":7},"note":null}]}
             ]}]}],
             "trailer":123}
            """#
        let traces = try TracesData(json: Array(json.utf8))
        let span = try #require(JSONSamples.firstSpan(traces))
        #expect(traces.spanCount == 1)
        #expect(span.name == "op" && span.kind == SpanKind.internal && span.traceID == .zero)
        #expect(Array(span.attributes) == [KeyValue("k", "v")])
    }

    @Test func nullReadsAsTheDefault() throws {
        let json = #"""
            {"resourceSpans":[{"resource":null,"schemaUrl":null,"scopeSpans":[{"scope":null,"spans":[
              {"name":null,"attributes":null,"status":null,"startTimeUnixNano":null,"events":null,"traceId":null,"kind":null}
            ]}]}]}
            """#
        let traces = try TracesData(json: Array(json.utf8))
        #expect(traces.resourceSpans.first?.resource == nil)
        #expect(traces.resourceSpans.first?.scopeSpans.first?.scope == nil)
        #expect(JSONSamples.firstSpan(traces) == Span())
    }

    @Test func escapesInStringsAndKeys() throws {
        let escapedValue = JSONSamples.spanJSON(#""name":"a\"b\\c\/d\u00e9\ud83d\ude00\n\t""#)
        let escapedKey = JSONSamples.spanJSON(#""\u006eame":"escaped key","traceState":"lone \ud800 surrogate""#)
        let first = try TracesData(json: Array(escapedValue.utf8))
        let second = try TracesData(json: Array(escapedKey.utf8))
        #expect(JSONSamples.firstSpan(first)?.name == "a\"b\\c/d\u{E9}\u{1F600}\n\t")
        #expect(JSONSamples.firstSpan(second)?.name == "escaped key")
        #expect(JSONSamples.firstSpan(second)?.traceState == "lone \u{FFFD} surrogate")
    }

    @Test func whitespaceAndByteOrderMark() throws {
        let json = [0xEF, 0xBB, 0xBF] + Array(" \r\n\t{ \"resourceSpans\" : [ { \"scopeSpans\" : [ ] } ] }\n ".utf8)
        let traces = try TracesData(json: json)
        #expect(traces == TracesData(resourceSpans: [ResourceSpans()]))
    }
}

/// Malformed input throws ``JSONDecodingError`` naming the problem and its byte offset: invalid JSON,
/// values of the wrong type or out of range, bad ids and base64, truncation, random corruption, and
/// nesting beyond 64 levels. Nothing traps.
@Suite struct JSONMalformedInputTests {
    static let cases: [(String, String)] = [
        ("", "unexpected end of input"),
        ("[]", "expected an object"),
        ("{} {}", "unexpected data after the top-level object"),
        ("{}\u{0}", "unexpected data after the top-level object"),
        (#"{"resourceSpans":{}}"#, "expected an array"),
        (#"{"resourceSpans" []}"#, "expected ':' after an object key"),
        (#"{"resourceSpans":[] "x":1}"#, "expected ',' or '}' in an object"),
        (#"{"resourceSpans":[{},]}"#, "expected an object"),
        (#"{resourceSpans:[]}"#, "expected a quoted object key"),
        (JSONSamples.spanJSON(#""name":5"#), "expected a string"),
        (JSONSamples.spanJSON(#""name":"unterminated"#), "unterminated string"),
        (JSONSamples.spanJSON(#""name":"a\x""#), "invalid escape sequence"),
        (JSONSamples.spanJSON(#""name":"\u12""#), "invalid \\u escape"),
        (JSONSamples.spanJSON("\"name\":\"a\tb\""), "unescaped control character in a string"),
        (JSONSamples.spanJSON(#""startTimeUnixNano":true"#), "expected a number"),
        (JSONSamples.spanJSON(#""startTimeUnixNano":-"#), "invalid number"),
        (JSONSamples.spanJSON(#""startTimeUnixNano":1."#), "invalid number"),
        (JSONSamples.spanJSON(#""startTimeUnixNano":"12abc""#), "string is not a number"),
        (JSONSamples.spanJSON(#""startTimeUnixNano":"-1""#), "not an unsigned 64-bit integer"),
        (JSONSamples.spanJSON(#""startTimeUnixNano":"18446744073709551616""#), "not an unsigned 64-bit integer"),
        (JSONSamples.spanJSON(#""flags":4294967296"#), "not an unsigned 32-bit integer"),
        (JSONSamples.spanJSON(#""kind":2147483648"#), "not a signed 32-bit integer"),
        (JSONSamples.spanJSON(#""kind":"SPAN_KIND_BOGUS""#), "unknown enum value name"),
        (JSONSamples.spanJSON(#""kind":"span_kind_server""#), "unknown enum value name"),
        (JSONSamples.spanJSON(#""kind":true"#), "expected a number"),
        (JSONSamples.spanJSON(#""traceId":"5b8efff798038103d269b633813fc60""#), "trace id must be 32 hex digits"),
        (JSONSamples.spanJSON(#""traceId":"5b8efff798038103d269b633813fc60c0""#), "trace id must be 32 hex digits"),
        (JSONSamples.spanJSON(#""traceId":"zz8efff798038103d269b633813fc60c""#), "trace id must be 32 hex digits"),
        (JSONSamples.spanJSON(#""traceId":5"#), "expected a hex trace id string"),
        (JSONSamples.spanJSON(#""spanId":"eee19b7ec3c1b17""#), "span id must be 16 hex digits"),
        (JSONSamples.spanJSON(#""spanId":"0x19b7ec3c1b1740""#), "span id must be 16 hex digits"),
        (JSONSamples.spanJSON(#""status":[]"#), "expected an object"),
        (JSONSamples.attributeJSON(#""bytesValue":"A""#), "invalid base64"),
        (JSONSamples.attributeJSON(#""bytesValue":"AA=A""#), "invalid base64"),
        (JSONSamples.attributeJSON(#""bytesValue":"AAE==""#), "invalid base64"),
        (JSONSamples.attributeJSON(#""bytesValue":"AA*A""#), "invalid base64"),
        (JSONSamples.attributeJSON(#""boolValue":"true""#), "expected true or false"),
        (JSONSamples.attributeJSON(#""boolValue":tru"#), "invalid literal"),
        (JSONSamples.attributeJSON(#""intValue":1.5"#), "not a signed 64-bit integer"),
        (JSONSamples.attributeJSON(#""intValue":"9223372036854775808""#), "not a signed 64-bit integer"),
        (JSONSamples.attributeJSON(#""doubleValue":1e400"#), "number out of double range"),
        (JSONSamples.attributeJSON(#""doubleValue":"fast""#), "string is not a number"),
        (JSONSamples.attributeJSON(#""arrayValue":{"values":[null]}"#), "expected an object"),
    ]

    @Test(arguments: cases)
    func rejected(_ json: String, _ reason: String) {
        let error = #expect(throws: JSONDecodingError.self) { try TracesData(json: Array(json.utf8)) }
        #expect(error?.reason == reason)
    }

    @Test func theOffsetPointsAtTheBadValue() {
        let json = JSONSamples.spanJSON(#""name":"ok","traceId":"abc""#)
        let error = #expect(throws: JSONDecodingError.self) { try TracesData(json: Array(json.utf8)) }
        #expect(error?.offset == JSONSamples.byteOffset(of: #""abc""#, in: json))
        #expect(error?.description == "malformed OTLP/JSON at byte \(error?.offset ?? -1): trace id must be 32 hex digits")

        let control = JSONSamples.spanJSON("\"name\":\"abc\u{7}\"")
        let controlError = #expect(throws: JSONDecodingError.self) { try TracesData(json: Array(control.utf8)) }
        #expect(controlError?.offset == JSONSamples.byteOffset(of: "\u{7}", in: control))
    }

    @Test(arguments: [[0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]] as [[UInt8]])
    func invalidUTF8InAStringIsRejected(_ bad: [UInt8]) {
        let prefix = Array(JSONSamples.spanJSON(#""name":"ok"#).utf8.prefix { $0 != UInt8(ascii: "}") })
        let json = prefix + bad + Array(#""}]}]}]}"#.utf8)
        let error = #expect(throws: JSONDecodingError.self) { try TracesData(json: json) }
        #expect(error?.reason == "invalid UTF-8 in a string")
        #expect(error?.offset == prefix.count)
    }

    @Test func everySignalRejectsWhatIsNotAnObject() {
        for json in ["", "[]", "null", "{", "{}}"] {
            #expect(throws: JSONDecodingError.self, "\(json)") { try TracesData(json: Array(json.utf8)) }
            #expect(throws: JSONDecodingError.self, "\(json)") { try MetricsData(json: Array(json.utf8)) }
            #expect(throws: JSONDecodingError.self, "\(json)") { try LogsData(json: Array(json.utf8)) }
        }
    }

    /// How many of the proper prefixes of `bytes` do not decode.
    static func rejectedPrefixes(of bytes: [UInt8], _ decodes: ([UInt8]) -> Bool) -> Int {
        (0..<bytes.count).filter { !decodes(Array(bytes.prefix($0))) }.count
    }

    @Test func everyTruncationThrows() {
        let traces = JSONSamples.traces.jsonBytes()
        let metrics = JSONSamples.metrics.jsonBytes()
        let logs = JSONSamples.logs.jsonBytes()
        let rejectedTraces = Self.rejectedPrefixes(of: traces) { (try? TracesData(json: $0)) != nil }
        let rejectedMetrics = Self.rejectedPrefixes(of: metrics) { (try? MetricsData(json: $0)) != nil }
        let rejectedLogs = Self.rejectedPrefixes(of: logs) { (try? LogsData(json: $0)) != nil }
        #expect(rejectedTraces == traces.count)
        #expect(rejectedMetrics == metrics.count)
        #expect(rejectedLogs == logs.count)
    }

    @Test func randomCorruptionNeverTraps() {
        var rng = SplitMix64(seed: 0x4A53_4F4E)
        for bytes in [JSONSamples.traces.jsonBytes(), JSONSamples.metrics.jsonBytes(), JSONSamples.logs.jsonBytes()] {
            for _ in 0..<500 {
                var b = bytes
                for _ in 0..<3 { b[rng.below(b.count)] = rng.byte() }
                // Whatever decodes must encode to something that decodes and encodes to the same bytes.
                if let traces = try? TracesData(json: b) {
                    let once = traces.jsonBytes()
                    #expect((try? TracesData(json: once))?.jsonBytes() == once)
                }
                if let metrics = try? MetricsData(json: b) {
                    let once = metrics.jsonBytes()
                    #expect((try? MetricsData(json: once))?.jsonBytes() == once)
                }
                if let logs = try? LogsData(json: b) {
                    let once = logs.jsonBytes()
                    #expect((try? LogsData(json: once))?.jsonBytes() == once)
                }
            }
        }
    }

    /// 63 arrays inside the top-level object are accepted, a 64th is not.
    @Test func nestingIsBoundedAt64Levels() throws {
        func nested(_ depth: Int) -> [UInt8] {
            Array(("{\"x\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}").utf8)
        }
        #expect(try TracesData(json: nested(63)) == TracesData())
        let error = #expect(throws: JSONDecodingError.self) { try TracesData(json: nested(64)) }
        #expect(error?.reason == "objects and arrays nested deeper than 64")
        #expect(error?.offset == 5 + 63)
        #expect(throws: JSONDecodingError.self) { try TracesData(json: nested(100_000)) }
    }

    @Test func deeplyNestedValuesAreRejected() throws {
        func attribute(depth: Int) -> String {
            var object = #"{"stringValue":"leaf"}"#
            for _ in 0..<depth { object = #"{"arrayValue":{"values":["# + object + "]}}" }
            return JSONSamples.attributeJSON(String(object.dropFirst().dropLast()))
        }
        let shallow = try TracesData(json: Array(attribute(depth: 10).utf8))
        var value = JSONSamples.firstSpan(shallow)?.attributes[key: "k"]
        var depth = 0
        while case .array(let values)? = value {
            depth += 1
            value = values.first
        }
        #expect(depth == 10 && value == .string("leaf"))
        let error = #expect(throws: JSONDecodingError.self) { try TracesData(json: Array(attribute(depth: 1000).utf8)) }
        #expect(error?.reason == "objects and arrays nested deeper than 64")
    }
}
