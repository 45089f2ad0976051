import Testing
@testable import LogOps
import OTelModel

@Suite struct FieldPathTests {
    @Test(arguments: [
        ("body", FieldPath.body),
        ("body.a.b", FieldPath.body("a", "b")),
        ("message", FieldPath.body("message")),
        ("a.b", FieldPath.body("a", "b")),
        ("attributes", FieldPath.attributes),
        ("attributes.x", FieldPath.attributes("x")),
        ("attributes[\"x.y\"]", FieldPath.attributes("x.y")),
        ("attributes['x.y'].z", FieldPath.attributes("x.y", "z")),
        ("resource.host", FieldPath.resource("host")),
        ("resource[\"k8s.pod.name\"]", FieldPath.resource("k8s.pod.name")),
        ("body[\"a\"][\"b.c\"]", FieldPath.body("a", "b.c")),
        ("[\"body\"]", FieldPath.body("body")),
        ("body.attributes", FieldPath.body("attributes")),
        ("$body.a", FieldPath.body("a")),
        ("attributes[\"q\\\"uote\"]", FieldPath.attributes("q\"uote")),
    ])
    func parses(_ text: String, _ expected: FieldPath) throws {
        #expect(try FieldPath(parsing: text) == expected)
    }

    @Test(arguments: ["", ".", "body.", ".body", "body..a", "body[a]", "body[\"a\"", "body[\"a\"]x", "a]b", "body.[\"a\"]", "a\"b"])
    func rejects(_ text: String) {
        #expect(throws: FieldPathError.self) { try FieldPath(parsing: text) }
    }

    @Test func descriptionRoundTrips() throws {
        for text in ["body", "body.a.b", "attributes[\"x.y\"]", "resource.host", "attributes[\"q\\\"uote\"].z"] {
            let path = try FieldPath(parsing: text)
            #expect(path.description == text)
            #expect(try FieldPath(parsing: path.description) == path)
        }
    }

    @Test func getFromEveryRoot() throws {
        var e = LogEntry(body: .kvlist([KeyValue(key: "a", value: .kvlist([KeyValue(key: "b", value: .int(1))]))]))
        e.record.attributes = [KeyValue("env", "prod"), KeyValue(key: "x.y", value: .bool(true))]
        e.resource = [KeyValue("host", "h1")]
        #expect(e.get(.body("a", "b")) == .int(1))
        #expect(e.get(.body("a", "c")) == nil)
        #expect(e.get(.body("a", "b", "c")) == nil)
        #expect(e.get(.attributes("env")) == s("prod"))
        #expect(e.get(try FieldPath(parsing: "attributes[\"x.y\"]")) == .bool(true))
        #expect(e.get(.resource("host")) == s("h1"))
        #expect(e.get(.attributes)?.map?.count == 2)
        #expect(LogEntry().get(.body) == nil)
        #expect(entry(body: "text").get(.body("a")) == nil)
    }

    @Test func setCreatesMapsAndReplacesNonMaps() throws {
        var e = entry(body: "plain text")
        try e.set(.body("a", "b"), .int(1))
        #expect(e.record.body == .kvlist([KeyValue(key: "a", value: .kvlist([KeyValue(key: "b", value: .int(1))]))]))
        try e.set(.body("a", "b", "c"), s("deep"))
        #expect(e.get(.body("a", "b", "c")) == s("deep"))
        try e.set(.body("a", "d"), .int(2))
        #expect(e.get(.body("a"))?.map?.keys == ["b", "d"])
        try e.set(.body, s("replaced"))
        #expect(e.record.body == s("replaced"))
    }

    @Test func setMergesMapsIntoMaps() throws {
        var e = LogEntry(body: .kvlist([KeyValue(key: "keep", value: .int(1)), KeyValue(key: "over", value: .int(1))]))
        try e.set(.body, .kvlist([KeyValue(key: "over", value: .int(2)), KeyValue(key: "new", value: .int(3))]))
        #expect(e.record.body.map?.keys == ["keep", "over", "new"])
        #expect(e.get(.body("over")) == .int(2))

        e.record.attributes = [KeyValue("a", "1")]
        try e.set(.attributes, .kvlist([KeyValue("b", "2"), KeyValue("a", "3")]))
        #expect(Array(e.record.attributes) == [KeyValue("a", "3"), KeyValue("b", "2")])
    }

    @Test func rootOfAttributesOrResourceNeedsAMap() {
        var e = LogEntry()
        #expect(throws: FieldPathError.self) { try e.set(.attributes, s("x")) }
        #expect(throws: FieldPathError.self) { try e.set(.resource, .int(1)) }
        #expect(e == LogEntry())
    }

    @Test func setAttributesAndResource() throws {
        var e = LogEntry()
        try e.set(.attributes("k"), s("v"))
        try e.set(.attributes("k"), s("w"))
        try e.set(.resource("r", "nested"), .int(1))
        #expect(Array(e.record.attributes) == [KeyValue("k", "w")])
        #expect(e.get(.resource("r", "nested")) == .int(1))
    }

    @Test func delete() throws {
        var e = LogEntry(body: .kvlist([KeyValue(key: "a", value: .kvlist([KeyValue(key: "b", value: .int(1)), KeyValue(key: "c", value: .int(2))]))]))
        e.record.attributes = [KeyValue("x", "1"), KeyValue("y", "2")]
        e.resource = [KeyValue("r", "1")]
        #expect(e.delete(.body("a", "b")) == .int(1))
        #expect(e.get(.body("a"))?.map?.keys == ["c"])
        #expect(e.delete(.body("a", "zzz")) == nil)
        #expect(e.delete(.attributes("x")) == s("1"))
        #expect(Array(e.record.attributes) == [KeyValue("y", "2")])
        #expect(e.delete(.resource)?.map?.count == 1)
        #expect(e.resource.isEmpty)
        #expect(e.delete(.attributes)?.map?.count == 1)
        #expect(e.record.attributes.isEmpty)
        #expect(e.delete(.body) != nil)
        #expect(e.record.body == .unset)
        #expect(e.delete(.body) == nil)
    }
}
