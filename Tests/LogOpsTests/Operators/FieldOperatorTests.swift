import Testing
@testable import LogOps
import OTelModel

@Suite struct FieldOperatorTests {
    @Test func moveRenamesAndUnwraps() throws {
        var e = LogEntry(body: .kvlist([KeyValue("key1", "val1"), KeyValue(key: "wrapper", value: .kvlist([KeyValue("a", "1"), KeyValue("b", "2")]))]))
        try MoveConfig(from: "body.key1", to: "body.key3").build().process(&e)
        #expect(e.record.body.map?.keys == ["wrapper", "key3"])
        try MoveConfig(from: "body.wrapper", to: "body").build().process(&e)
        #expect(e.record.body.map?.keys == ["key3", "a", "b"])
        try MoveConfig(from: "body.a", to: "resource[\"service.name\"]").build().process(&e)
        #expect(e.get(.resource("service.name")) == s("1"))
        try MoveConfig(from: "body.key3", to: "body").build().process(&e)
        #expect(e.record.body == s("val1"))
    }

    @Test func moveFailuresLeaveTheEntry() throws {
        var e = LogEntry(body: .kvlist([KeyValue("a", "1")]))
        let before = e
        #expect(throws: OperatorError.self) { try MoveConfig(from: "body.missing", to: "body.x").build().process(&e) }
        #expect(throws: OperatorError.self) { try MoveConfig(from: "body.a", to: "attributes").build().process(&e) }
        #expect(e == before)
    }

    @Test func addValuesOfEveryType() throws {
        var e = entry(body: "text")
        try AddConfig(field: "attributes.s", value: s("v")).build().process(&e)
        try AddConfig(field: "attributes.n", value: .int(3)).build().process(&e)
        try AddConfig(field: "attributes.list", value: .array([.bool(true), .double(1.5)])).build().process(&e)
        try AddConfig(field: "body.key2", value: .kvlist([KeyValue("nested", "value")])).build().process(&e)
        try AddConfig(field: "resource.r", value: s("x")).build().process(&e)
        #expect(e.record.attributes.count == 3)
        #expect(e.get(.body("key2", "nested")) == s("value"))
        #expect(e.get(.resource("r")) == s("x"))
        #expect(throws: OperatorConfigError.self) { try AddConfig(field: "body.x", value: s("EXPR(body.a)")).build() }
    }

    @Test func removeFieldsAndRoots() throws {
        var e = LogEntry(body: .kvlist([KeyValue("a", "1"), KeyValue("b", "2")]), attributes: [KeyValue("x", "1")], resource: [KeyValue("r", "1")])
        try RemoveConfig(field: "body.a").build().process(&e)
        try RemoveConfig(field: "body.zzz").build().process(&e)
        #expect(e.record.body.map?.keys == ["b"])
        try RemoveConfig(field: "attributes").build().process(&e)
        try RemoveConfig(field: "resource").build().process(&e)
        #expect(e.record.attributes.isEmpty && e.resource.isEmpty)
    }

    @Test func sequenceFromConfigs() throws {
        let sequence = try OperatorSequence(building: [
            .jsonParser(JSONParserConfig(parseTo: "body")),
            .move(MoveConfig(from: "body.lvl", to: "attributes.level")),
            .severityParser(SeverityParserConfig(SeverityConfig(parseFrom: "attributes.level"))),
            .timeParser(TimeParserConfig(TimestampConfig(parseFrom: "body.t", layoutType: .epoch, layout: "ms"))),
            .traceParser(TraceParserConfig(TraceConfig(traceID: .init(parseFrom: "body.tid")))),
            .add(AddConfig(field: "resource.source", value: s("file"))),
            .remove(RemoveConfig(field: "body.t")),
            .regexParser(RegexParserConfig(regex: "(?<first>\\w+)", parseFrom: "body.msg")),
        ])
        var e = entry(body: #"{"lvl":"error","t":1700000000123,"tid":"4bf92f3577b34da6a3ce929d0e0e4736","msg":"hello world"}"#)
        var errors: [OperatorError] = []
        #expect(sequence.process(&e) { errors.append($0) })
        #expect(errors.isEmpty)
        #expect(e.record.severityNumber == .error)
        #expect(e.record.timeUnixNano == 1_700_000_000_123_000_000)
        #expect(!e.record.traceID.isZero)
        #expect(e.get(.resource("source")) == s("file"))
        #expect(e.get(.body("t")) == nil)
        #expect(e.get(.attributes("first")) == s("hello"))
        #expect(OperatorConfig.move(MoveConfig(from: "a", to: "b")).type == "move")
    }
}
