import Testing
@testable import LogOps
import OTelModel

@Suite struct SeverityTests {
    func parse(_ value: AnyValue, _ config: SeverityConfig = SeverityConfig(parseFrom: "body.sev")) throws -> LogRecord {
        let op = try SeverityParserConfig(config).build()
        var e = LogEntry(body: .kvlist([KeyValue(key: "sev", value: value)]))
        try op.process(&e)
        return e.record
    }

    @Test(arguments: [
        ("trace", 1), ("DEBUG", 5), ("Info", 9), ("info3", 11), ("warn", 13), ("WARNING", 13), ("warning2", 14),
        ("error", 17), ("ERR", 17), ("err4", 20), ("fatal", 21), ("fatal4", 24), ("9", 9), ("24", 24),
    ])
    func defaultPreset(_ text: String, _ number: Int32) throws {
        let r = try parse(s(text))
        #expect(r.severityNumber.rawValue == number)
        #expect(r.severityText == ByteString(text))
    }

    @Test func unknownValueIsUnspecifiedWithItsText() throws {
        let r = try parse(s("loud"))
        #expect(r.severityNumber == .unspecified)
        #expect(r.severityText == "loud")
        let n = try parse(.int(404))
        #expect(n.severityNumber == .unspecified)
        #expect(n.severityText == "404")
    }

    @Test func integersAndWholeDoubles() throws {
        #expect(try parse(.int(17)).severityNumber == .error)
        #expect(try parse(.double(13)).severityNumber == .warn)
        #expect(try parse(.double(13)).severityText == "13")
        #expect(throws: OperatorError.self) { try parse(.double(1.5)) }
        #expect(throws: OperatorError.self) { try parse(.bool(true)) }
        #expect(throws: OperatorError.self) { try parse(.kvlist([])) }
    }

    @Test func customMapping() throws {
        let config = SeverityConfig(parseFrom: "body.sev", mapping: [
            "error": ["oops", .number(404)],
            "warn": ["5xx"],
            "info": [.range(min: 300, max: 399)],
            "debug": ["2xx"],
            "fatal2": ["Really Serious"],
        ])
        #expect(try parse(s("OOPS"), config).severityNumber == .error)
        #expect(try parse(.int(404), config).severityNumber == .error)
        #expect(try parse(s("404"), config).severityNumber == .error)
        #expect(try parse(.int(503), config).severityNumber == .warn)
        #expect(try parse(s("302"), config).severityNumber == .info)
        #expect(try parse(.int(200), config).severityNumber == .debug)
        #expect(try parse(s("really serious"), config).severityNumber.rawValue == 22)
        #expect(try parse(.int(600), config).severityNumber == .unspecified)
        // The preset stays.
        #expect(try parse(s("error"), config).severityNumber == .error)
    }

    @Test func nearMissesAndLargeMappings() throws {
        // Same length, one byte off; a prefix; a case fold that is not ASCII.
        for text in ["infx", "inf", "infoo", "İNFO", "warn "] {
            #expect(try parse(s(text)).severityNumber == .unspecified, "\(text)")
        }
        // A mapping too large for the short scan is looked up by hash, with the same results.
        let many = (0..<300).map { SeverityMappingValue.text("code-\($0)") }
        let config = SeverityConfig(parseFrom: "body.sev", mapping: ["error": many])
        #expect(try parse(s("CODE-299"), config).severityNumber == .error)
        #expect(try parse(s("code-300"), config).severityNumber == .unspecified)
        #expect(try parse(s("Warning"), config).severityNumber == .warn)
    }

    @Test func presetNone() throws {
        let config = SeverityConfig(parseFrom: "body.sev", preset: "none", mapping: ["error": ["nooo!"]])
        #expect(try parse(s("nooo!"), config).severityNumber == .error)
        #expect(try parse(s("ERROR"), config).severityNumber == .unspecified)
        let otel = SeverityConfig(parseFrom: "body.sev", preset: "otel")
        #expect(try parse(s("warning"), otel).severityNumber == .unspecified)
        #expect(try parse(s("warn"), otel).severityNumber == .warn)
    }

    @Test func overwriteText() throws {
        let config = SeverityConfig(parseFrom: "body.sev", mapping: ["info3": ["medium"]], overwriteText: true)
        let r = try parse(s("medium"), config)
        #expect(r.severityNumber.rawValue == 11)
        #expect(r.severityText == "INFO3")
        #expect(try parse(s("whatever"), config).severityText == "whatever")
    }

    @Test func badConfigurations() {
        #expect(throws: OperatorConfigError.self) { try SeverityParserConfig(SeverityConfig(parseFrom: "body.x", preset: "nope")).build() }
        #expect(throws: OperatorConfigError.self) { try SeverityParserConfig(SeverityConfig(parseFrom: "body.x", mapping: ["loud": ["x"]])).build() }
        #expect(throws: OperatorConfigError.self) { try SeverityParserConfig(SeverityConfig(parseFrom: "body..x")).build() }
    }

    @Test func missingFieldFollowsOnError() throws {
        let op = try SeverityParserConfig(SeverityConfig(parseFrom: "attributes.level"), onError: .drop).build()
        var e = entry(body: "x")
        #expect(throws: OperatorError(.missingField, operatorType: "severity_parser", message: "log entry does not have the parse_from field attributes.level", onError: .drop)) {
            try op.process(&e)
        }
    }
}
