import Foundation
import OTelModel
import Testing

/// Properties of our protobuf codec that the oracle does not show: attributes travel encoded until
/// touched, malformed input always throws (never traps), and hostile nesting is bounded.
@Suite struct ProtobufCodecTests {
    static func sample() -> TracesData {
        var span = Span()
        span.traceID = TraceID(high: 1, low: 2)
        span.spanID = SpanID(3)
        span.name = "GET /items"
        span.attributes = [KeyValue("http.route", "/items"), KeyValue(key: "http.status", value: .int(200)),
                           KeyValue(key: "tags", value: .array([.string("a"), .bool(true), .kvlist([KeyValue("k", "v")])]))]
        var event = SpanEvent()
        event.name = "exception"
        event.attributes = [KeyValue("exception.type", "IOError")]
        span.events = [event]
        return TracesData(resourceSpans: [ResourceSpans(
            resource: Resource(attributes: [KeyValue("service.name", "checkout")]),
            scopeSpans: [ScopeSpans(scope: InstrumentationScope(name: "lib"), spans: [span, span])])])
    }

    @Test func untouchedAttributesAreWrittenBackByteForByte() throws {
        let bytes = Self.sample().encodedProtobufBytes()
        let decoded = try TracesData(protobuf: bytes)
        #expect(decoded == Self.sample())
        #expect(decoded.encodedProtobufBytes() == bytes)
        let span = decoded.resourceSpans[0].scopeSpans[0].spans[0]
        #expect(span.attributes.count == 3)
        #expect(span.attributes[key: "http.status"] == .int(200))
        #expect(Array(span.attributes).map(\.key.string) == ["http.route", "http.status", "tags"])
    }

    @Test func changedAttributesAreEncodedFromTheirNewValue() throws {
        var decoded = try TracesData(protobuf: Self.sample().encodedProtobufBytes())
        decoded.resourceSpans[0].scopeSpans[0].spans[1].attributes.set("http.status", .int(503))
        decoded.resourceSpans[0].resource?.attributes.append(KeyValue("host.name", "node-1"))
        let again = try TracesData(protobuf: decoded.encodedProtobufBytes())
        #expect(again == decoded)
        #expect(again.resourceSpans[0].scopeSpans[0].spans[0].attributes[key: "http.status"] == .int(200))
        #expect(again.resourceSpans[0].scopeSpans[0].spans[1].attributes[key: "http.status"] == .int(503))
        #expect(again.resourceSpans[0].resource?.attributes.count == 2)
    }

    @Test func unknownFieldsInsideAttributesAreDropped() throws {
        // KeyValue{key:"k", value:{string_value:"v"}, field 9 varint 1}
        let kv: [UInt8] = [0x0A, 0x01, 0x6B, 0x12, 0x03, 0x0A, 0x01, 0x76, 0x48, 0x01]
        let resource: [UInt8] = [0x0A, UInt8(kv.count)] + kv
        let rs: [UInt8] = [0x0A, UInt8(resource.count)] + resource
        let request: [UInt8] = [0x0A, UInt8(rs.count)] + rs
        let decoded = try TracesData(protobuf: request)
        #expect(decoded.resourceSpans[0].resource?.attributes[key: "k"] == .string("v"))
        let out = decoded.encodedProtobufBytes()
        #expect(!out.contains(0x48), "the unknown field must not be written back")
        #expect(try TracesData(protobuf: out) == decoded)
    }

    /// A run of attributes is taken as one view up to the first one that must be decoded or the
    /// first other field; what follows joins in order.
    @Test func attributeRunsStopAtUncleanMembersAndOtherFields() throws {
        func kv(_ k: UInt8, _ v: UInt8, extra: [UInt8] = []) -> [UInt8] {
            let body: [UInt8] = [0x0A, 0x01, k, 0x12, 0x03, 0x0A, 0x01, v] + extra
            return [0x0A, UInt8(body.count)] + body
        }
        // Resource{attributes: a, b, c(with unknown field 9), d; dropped_attributes_count: 7; attributes: e, f}
        let resource = kv(0x61, 0x31) + kv(0x62, 0x32) + kv(0x63, 0x33, extra: [0x48, 0x01]) + kv(0x64, 0x34)
            + [0x10, 0x07] + kv(0x65, 0x35) + kv(0x66, 0x36)
        let rs: [UInt8] = [0x0A, UInt8(resource.count)] + resource
        let request: [UInt8] = [0x0A, UInt8(rs.count)] + rs
        let decoded = try TracesData(protobuf: request)
        let attributes = try #require(decoded.resourceSpans[0].resource?.attributes)
        #expect(attributes.count == 6)
        #expect(Array(attributes).map(\.key.string) == ["a", "b", "c", "d", "e", "f"])
        #expect(attributes[key: "f"] == .string("6"))
        #expect(decoded.resourceSpans[0].resource?.droppedAttributesCount == 7)
        let out = decoded.encodedProtobufBytes()
        #expect(!out.contains(0x48), "the unknown field must not be written back")
        #expect(try TracesData(protobuf: out) == decoded)
    }

    /// An unchanged payload is written out as the bytes it came in (unknown fields and all); any
    /// change, however deep, makes it encode afresh.
    @Test func anUnchangedPayloadKeepsItsSourceBytesUntilItChanges() throws {
        // The sample request followed by an unknown top-level field 9 (varint 1).
        let request = Self.sample().encodedProtobufBytes() + [0x48, 0x01]
        var decoded = try TracesData(protobuf: request)
        #expect(decoded.protobufBytes() == request)
        #expect(decoded.withProtobufBytes { Array($0) } == request)
        #expect(decoded == Self.sample(), "the source takes no part in equality")

        decoded.resourceSpans[0].scopeSpans[0].spans[0].name = "renamed"
        let changed = decoded.protobufBytes()
        #expect(changed == decoded.encodedProtobufBytes())
        #expect(!changed.suffix(2).elementsEqual([0x48, 0x01]))
        #expect(try TracesData(protobuf: changed).resourceSpans[0].scopeSpans[0].spans[0].name == "renamed")

        var logs = try LogsData(protobuf: LogsData(resourceLogs: [ResourceLogs(scopeLogs: [ScopeLogs(logRecords: [LogRecord()])])]).encodedProtobufBytes() + [0x48, 0x01])
        #expect(logs.protobufBytes().suffix(2).elementsEqual([0x48, 0x01]))
        var merged = LogsData()
        merged.resourceLogs += logs.resourceLogs
        #expect(!merged.protobufBytes().suffix(2).elementsEqual([0x48, 0x01]), "built in memory: encoded")
        logs.resourceLogs.removeAll()
        #expect(logs.protobufBytes().isEmpty)

        let metrics = try MetricsData(protobuf: [0x48, 0x01])
        #expect(metrics.protobufBytes() == [0x48, 0x01])
    }

    @Test func everyTruncationThrowsInsteadOfTrapping() {
        let bytes = Self.sample().encodedProtobufBytes()
        var failures = 0
        for n in 0..<bytes.count {
            do {
                _ = try TracesData(protobuf: Array(bytes.prefix(n)))
            } catch {
                failures += 1
            }
        }
        // A prefix that ends exactly between top-level fields is valid; all others must throw.
        #expect(failures >= bytes.count - 3)
    }

    @Test func randomCorruptionNeverTraps() {
        var rng = SystemRandomNumberGenerator()
        let bytes = Self.sample().encodedProtobufBytes()
        for _ in 0..<2000 {
            var b = bytes
            for _ in 0..<3 { b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            if let d = try? TracesData(protobuf: b) {
                // Whatever decodes must encode and decode again to the same thing.
                #expect((try? TracesData(protobuf: d.encodedProtobufBytes())) == d)
            }
        }
    }

    @Test func hostileNestingIsRejected() {
        // AnyValue{array_value{values: AnyValue{array_value{...}}}} nested 200 deep inside an attribute.
        var value: [UInt8] = []
        for _ in 0..<200 {
            let array: [UInt8] = [0x0A] + varint(value.count) + value
            value = [0x2A] + varint(array.count) + array
        }
        let kv: [UInt8] = [0x0A, 0x01, 0x6B, 0x12] + varint(value.count) + value
        let resource: [UInt8] = [0x0A] + varint(kv.count) + kv
        let rs: [UInt8] = [0x0A] + varint(resource.count) + resource
        let request: [UInt8] = [0x0A] + varint(rs.count) + rs
        #expect(throws: ProtoDecodingError.self) { try TracesData(protobuf: request) }
    }

    @Test func wrongIDLengthsAreErrors() {
        // Span{trace_id: 3 bytes}
        let span: [UInt8] = [0x0A, 0x03, 1, 2, 3]
        let ss: [UInt8] = [0x12, UInt8(span.count)] + span
        let rs: [UInt8] = [0x12, UInt8(ss.count)] + ss
        let request: [UInt8] = [0x0A, UInt8(rs.count)] + rs
        #expect(throws: ProtoDecodingError.self) { try TracesData(protobuf: request) }
    }

    @Test func gzipRoundTripAndLimits() throws {
        let data = Self.sample().encodedProtobufBytes()
        let gz = Gzip.compress(data)
        #expect(try Gzip.decompress(gz, limit: 1 << 20) == data)
        #expect(throws: Gzip.Error.tooLarge(limit: 10)) { try Gzip.decompress(gz, limit: 10) }
        #expect(throws: Gzip.Error.self) { try Gzip.decompress(Array(gz.dropLast(4)), limit: 1 << 20) }
        #expect(throws: Gzip.Error.self) { try Gzip.decompress([1, 2, 3], limit: 1 << 20) }
        // Two members concatenated decode to both.
        #expect(try Gzip.decompress(gz + gz, limit: 1 << 20) == data + data)
    }
}

func varint(_ n: Int) -> [UInt8] {
    var v = UInt64(n)
    var out: [UInt8] = []
    while v >= 0x80 {
        out.append(UInt8(v & 0x7F) | 0x80)
        v >>= 7
    }
    out.append(UInt8(v))
    return out
}
