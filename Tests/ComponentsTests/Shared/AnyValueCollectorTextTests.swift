@testable import Components
import OTelModel
import Testing

/// The Collector's text and JSON for attribute values, shared by the attributes processor,
/// remote-write label values and Loki lines: Go map order (keys by their bytes, the last duplicate
/// winning), HTML escaping, ECMAScript numbers.
@Suite struct AnyValueCollectorTextTests {
    @Test func mapsAreWrittenAsGoWritesThem() {
        let map = AnyValue.kvlist([
            KeyValue(key: "é", value: .int(1)), KeyValue(key: "a", value: .double(1e21)), KeyValue(key: "Z", value: .bool(true)),
            KeyValue(key: "a", value: .string("<b>")), KeyValue(key: "n", value: .array([.double(0.5), .empty, .bytes("ab")])),
        ])
        #expect(map.collectorString == #"{"Z":true,"a":"\u003cb\u003e","n":[0.5,null,"YWI="],"é":1}"#)
        var bytes: [UInt8] = []
        map.writeCollectorJSON(into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == map.collectorString)
    }

    @Test func scalarsAsText() {
        #expect(AnyValue.double(1e21).collectorString == "1e+21")
        #expect(AnyValue.double(.nan).collectorString == "NaN")
        #expect(AnyValue.int(-3).collectorString == "-3")
        #expect(AnyValue.string("<x>").collectorString == "<x>")
        var bytes: [UInt8] = []
        AnyValue.double(-.infinity).writeCollectorJSON(into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "\"-Inf\"")
    }
}
