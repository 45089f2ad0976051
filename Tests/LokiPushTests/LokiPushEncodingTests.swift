import Foundation
@testable import LokiPush
import Testing

@Suite("LokiPushEncoding")
struct LokiPushEncodingTests {
    @Test("protobuf bytes of a minimal push match the schema by hand")
    func protobufBytes() {
        let stream = LokiStream(labels: [LokiLabel(name: "a", value: "b")],
                                entries: [LokiEntry(timestampNanos: 1_000_000_001, line: "x")])
        let expected: [UInt8] = [
            0x0A, 0x14,                                          // PushRequest.streams, 20 bytes
            0x0A, 0x07] + Array(#"{a="b"}"#.utf8) + [            // StreamAdapter.labels
            0x12, 0x09,                                          // StreamAdapter.entries, 9 bytes
            0x0A, 0x04, 0x08, 0x01, 0x10, 0x01,                  // timestamp {seconds 1, nanos 1}
            0x12, 0x01, 0x78,                                    // line "x"
        ]
        #expect(LokiPushEncoding.protobuf([stream]) == expected)
    }

    @Test("the epoch is still sent as an (empty) timestamp message; metadata pairs follow the line")
    func epochAndMetadata() {
        let stream = LokiStream(labels: [LokiLabel(name: "a", value: "b")], entries: [
            LokiEntry(timestampNanos: 0, line: "", structuredMetadata: [LokiLabel(name: "k", value: "v")]),
        ])
        let bytes = LokiPushEncoding.protobuf([stream])
        let entry: [UInt8] = [0x12, 0x0A, 0x0A, 0x00, 0x1A, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76]
        #expect(Array(bytes.suffix(entry.count)) == entry)
        #expect(LokiPushEncoding.protobuf([]) == [])
    }

    @Test("timestamps split by floor division", arguments: [
        (Int64(0), Int64(0), Int32(0)),
        (1_999_999_999, 1, 999_999_999),
        (-1, -1, 999_999_999),
        (-1_000_000_000, -1, 0),
        (-1_500_000_000, -2, 500_000_000),
        (.max, 9_223_372_036, 854_775_807),
        (.min, -9_223_372_037, 145_224_192),
    ])
    func timestampSplit(nanos: Int64, seconds: Int64, remainder: Int32) {
        let split = LokiPushEncoding.splitTimestamp(nanos)
        #expect(split.seconds == seconds)
        #expect(split.nanos == remainder)
    }

    @Test("estimatedSize is the exact protobuf size of each stream")
    func estimatedSize() {
        for streams in [Fixtures.edgeCases, Fixtures.manyStreams(50)] {
            let total = streams.reduce(0) { $0 + LokiPushEncoding.estimatedSize(of: $1) }
            #expect(total == LokiPushEncoding.protobuf(streams).count)
            for stream in streams {
                #expect(LokiPushEncoding.estimatedSize(of: stream) == LokiPushEncoding.protobuf([stream]).count)
            }
        }
        let unsorted = LokiStream(labels: [], entries: [])
        var copy = unsorted
        copy.labels = [LokiLabel(name: "z", value: "\u{85}\n"), LokiLabel(name: "a", value: "")]
        #expect(LokiPushEncoding.estimatedSize(of: copy) == LokiPushEncoding.protobuf([copy]).count)
    }

    @Test("JSON has the documented shape and parses with JSONSerialization")
    func jsonShape() throws {
        let stream = LokiStream(labels: [LokiLabel(name: "b", value: "2"), LokiLabel(name: "a", value: "1")], entries: [
            LokiEntry(timestampNanos: -5, line: "x"),
            LokiEntry(timestampNanos: .max, line: "y\n\u{1}", structuredMetadata: [LokiLabel(name: "k", value: "v")]),
        ])
        let text = String(decoding: LokiPushEncoding.json([stream]), as: UTF8.self)
        #expect(text == #"{"streams":[{"stream":{"a":"1","b":"2"},"values":[["-5","x"],["9223372036854775807","y\n\u0001",{"k":"v"}]]}]}"#)
        #expect(String(decoding: LokiPushEncoding.json([]), as: UTF8.self) == #"{"streams":[]}"#)

        let all = LokiPushEncoding.json(Fixtures.edgeCases + Fixtures.manyStreams(20))
        #expect(try JSONSerialization.jsonObject(with: Data(all)) is [String: Any])
    }

    @Test("JSON escapes every control character and replaces invalid UTF-8 with U+FFFD", arguments: [
        ([0x00, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x7F], #""\u0000\b\t\n\f\r\u001f\#u{7F}""#),
        (Array(#"a"b\c/"#.utf8), #""a\"b\\c/""#),
        ([0xC3, 0xA9, 0xE4, 0xB8, 0x96, 0xF0, 0x9F, 0x98, 0x80], "\"é世😀\""),
        ([0x61, 0xFF, 0x62], "\"a\u{FFFD}b\""),
        ([0xC0, 0xAF], "\"\u{FFFD}\u{FFFD}\""),                  // overlong
        ([0xED, 0xA0, 0x80], "\"\u{FFFD}\u{FFFD}\u{FFFD}\""),    // surrogate
        ([0xF4, 0x90, 0x80, 0x80], "\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\""),  // > U+10FFFF
        ([0xE4, 0xB8, 0x61], "\"\u{FFFD}a\""),                   // truncated, maximal subpart
        ([0xF0, 0x9F, 0x98], "\"\u{FFFD}\""),                    // truncated at the end
    ] as [([UInt8], String)])
    func jsonStringEscaping(input: [UInt8], expected: String) {
        var output: [UInt8] = []
        input.withUnsafeBufferPointer { LokiPushEncoding.appendJSONString($0, to: &output) }
        #expect(String(decoding: output, as: UTF8.self) == expected)
        #expect(String(validating: output, as: UTF8.self) != nil)
    }
}
