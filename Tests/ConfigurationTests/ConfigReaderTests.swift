import Configuration
import Testing

/// Each typed getter returns the value when it fits; when the key is absent or null it returns the
/// default silently, and when the value is of the wrong type or out of range it returns the default and
/// reports an error at the value, in words that name the key and quote what was written.
@Suite struct TypedGetterTests {
    @Test func boolAcceptsTrueAndFalse() throws {
        let doc = YAMLDocument("""
            enabled: true
            capital: True
            disabled: FALSE
            odd: yes please
            nested: [true]
            empty:
            """)
        let r = try #require(doc.reader())
        #expect(r.bool("enabled", default: false) == true)
        #expect(r.bool("capital", default: false) == true)
        #expect(r.bool("disabled", default: true) == false)
        #expect(r.bool("odd", default: true) == true)
        #expect(r.bool("nested", default: false) == false)
        #expect(r.bool("empty", default: true) == true)
        #expect(r.bool("absent", default: true) == true)
        #expect(doc.diagnostics == [
            "4:6: 'odd' must be true or false, got 'yes please'",
            "5:9: 'nested' must be a single value, got a list",
        ])
    }

    @Test func intWithBounds() throws {
        let doc = YAMLDocument("""
            plain: 42
            grouped: 1_000_000
            negative: -3
            word: lots
            fraction: 1.5
            low: 0
            high: 2000
            """)
        let r = try #require(doc.reader())
        #expect(r.int("plain", default: 0) == 42)
        #expect(r.int("grouped", default: 0) == 1_000_000)
        #expect(r.int("negative", default: 0) == -3)
        #expect(r.int("word", default: 7) == 7)
        #expect(r.int("fraction", default: 7) == 7)
        #expect(r.int("low", default: 5, min: 1) == 5)
        #expect(r.int("high", default: 5, min: 1, max: 1024) == 5)
        #expect(r.int("absent", default: 9, min: 10) == 9, "a default is not checked against the bounds")
        #expect(doc.diagnostics == [
            "4:7: 'word' must be an integer, got 'lots'",
            "5:11: 'fraction' must be an integer, got '1.5'",
            "6:6: 'low' must be at least 1, got 0",
            "7:7: 'high' must be at most 1024, got 2000",
        ])
    }

    @Test func doubleMustBeFinite() throws {
        let doc = YAMLDocument("""
            ratio: 0.25
            whole: 3
            word: half
            infinite: inf
            notanumber: nan
            low: 0.5
            high: 2
            """)
        let r = try #require(doc.reader())
        #expect(r.double("ratio", default: 0) == 0.25)
        #expect(r.double("whole", default: 0) == 3)
        #expect(r.double("word", default: 1.5) == 1.5)
        #expect(r.double("infinite", default: 1.5) == 1.5)
        #expect(r.double("notanumber", default: 1.5) == 1.5)
        #expect(r.double("low", default: 1.5, min: 1) == 1.5)
        #expect(r.double("high", default: 0.5, min: 0, max: 1) == 0.5)
        #expect(r.double("absent", default: 2.5) == 2.5)
        #expect(doc.diagnostics == [
            "3:7: 'word' must be a number, got 'half'",
            "4:11: 'infinite' must be a number, got 'inf'",
            "5:13: 'notanumber' must be a number, got 'nan'",
            "6:6: 'low' must be at least 1.0, got 0.5",
            "7:7: 'high' must be at most 1.0, got 2",
        ])
    }

    @Test func durationInGoSyntax() throws {
        let doc = YAMLDocument("""
            short: 200ms
            mixed: 1m30s
            zero: 0
            bare: 5
            words: 5 seconds
            list: [1s]
            """)
        let r = try #require(doc.reader())
        #expect(r.duration("short", default: .zero) == .milliseconds(200))
        #expect(r.duration("mixed", default: .zero) == .seconds(90))
        #expect(r.duration("zero", default: .seconds(1)) == .zero)
        #expect(r.duration("bare", default: .seconds(1)) == .seconds(1))
        #expect(r.duration("words", default: .seconds(1)) == .seconds(1))
        #expect(r.duration("list", default: .seconds(1)) == .seconds(1))
        #expect(r.duration("absent", default: .seconds(2)) == .seconds(2))
        #expect(doc.diagnostics == [
            "4:7: 'bare' must be a duration such as 200ms, 5s or 1m30s, got '5'",
            "5:8: 'words' must be a duration such as 200ms, 5s or 1m30s, got '5 seconds'",
            "6:7: 'list' must be a single value, got a list",
        ])
    }

    @Test func choiceIsCaseSensitive() throws {
        let doc = YAMLDocument("compression: gzip\nmode: Fast\n")
        let r = try #require(doc.reader())
        #expect(r.choice("compression", ["gzip", "none"], default: "none") == "gzip")
        #expect(r.choice("mode", ["fast", "slow"], default: "slow") == "slow")
        #expect(r.choice("absent", ["fast", "slow"], default: "fast") == "fast")
        #expect(doc.diagnostics == ["2:7: 'mode' must be one of fast, slow, got 'Fast'"])
    }

    @Test func stringListOfScalars() throws {
        let doc = YAMLDocument("""
            list: [a, b, "c"]
            single: a
            mixed: [a, [b], c]
            nulls: [a, ~]
            block:
              - x
              - 2
            """)
        let r = try #require(doc.reader())
        #expect(r.stringList("list") == ["a", "b", "c"])
        #expect(r.stringList("single").isEmpty)
        #expect(r.stringList("mixed") == ["a", "c"])
        #expect(r.stringList("nulls") == ["a"])
        #expect(r.stringList("block") == ["x", "2"])
        #expect(r.stringList("absent").isEmpty)
        #expect(doc.diagnostics == [
            "2:9: 'single' must be a list, got 'a'",
            "3:12: 'mixed' must be a list of strings, got a list",
            "4:12: 'nulls' must be a list of strings, got null",
        ])
    }

    @Test func stringMapOfScalars() throws {
        let doc = YAMLDocument("""
            headers:
              x-tenant: demo
              empty:
              nested: {a: b}
            notmap: [a]
            """)
        let r = try #require(doc.reader())
        #expect(r.stringMap("headers").map { "\($0.0)=\($0.1)" } == ["x-tenant=demo", "empty="])
        #expect(r.stringMap("notmap").isEmpty)
        #expect(r.stringMap("absent").isEmpty)
        #expect(doc.diagnostics == [
            "4:11: 'headers.nested' must be a string, got a mapping",
            "5:9: 'notmap' must be a mapping, got a list",
        ])
    }

    @Test func byteSizeWithMinimum() throws {
        let doc = YAMLDocument("limit: 64kib\nbad: lots\nsmall: 10\n")
        let r = try #require(doc.reader())
        #expect(r.byteSize("limit", default: 0) == 65_536)
        #expect(r.byteSize("bad", default: 7) == 7)
        #expect(r.byteSize("small", default: 5, min: 100) == 5)
        #expect(r.byteSize("absent", default: 3) == 3)
        #expect(doc.diagnostics == [
            "2:6: 'bad' must be a size such as 1000, 64kib or 1MiB, got 'lots'",
            "3:8: 'small' must be at least 100 bytes, got '10'",
        ])
    }
}

/// `finish()` reports, at its key, every key that no getter asked for, listing the keys that were asked
/// for (present or not, once each, alphabetically) so that a typo shows its correction.
@Suite struct UnknownKeyTests {
    @Test func unknownKeysAreListedWithTheValidOnes() throws {
        let doc = YAMLDocument("endpoint: x\nendpont: y\ntimeout: 5s\nextra: {a: 1}\n")
        let r = try #require(doc.reader())
        _ = r.string("endpoint")
        _ = r.duration("timeout", default: .seconds(1))
        _ = r.bool("enabled", default: true)
        _ = r.string("endpoint")
        r.finish()
        #expect(doc.diagnostics == [
            "2:1: unknown key 'endpont' in the top level (valid keys: enabled, endpoint, timeout)",
            "4:1: unknown key 'extra' in the top level (valid keys: enabled, endpoint, timeout)",
        ])
    }

    @Test func aMappingNobodyReadsHasNoValidKeys() throws {
        let doc = YAMLDocument("a: 1\n")
        let r = try #require(doc.reader(context: "processor 'batch'"))
        r.finish()
        #expect(doc.diagnostics == ["1:1: unknown key 'a' in processor 'batch' (valid keys: none)"])
    }

    @Test func nestedMappingsAreNamedByTheirPath() throws {
        let doc = YAMLDocument("""
            exporters:
              otlp:
                endpoint: x
                tls: {insecure: true}
            """)
        let root = try #require(doc.reader())
        let exporters = try #require(root.section("exporters"))
        let otlp = try #require(exporters.section("otlp"))
        #expect(exporters.context == "exporters")
        #expect(otlp.context == "exporters.otlp")
        _ = otlp.string("endpoint")
        otlp.finish()
        exporters.finish()
        root.finish()
        #expect(doc.diagnostics == ["4:5: unknown key 'tls' in exporters.otlp (valid keys: endpoint)"])
        let named = try #require(doc.reader(context: "receiver 'otlp'")?.section("exporters"))
        #expect(named.context == "receiver 'otlp'.exporters")
    }

    @Test func noEffectKeysWarnAndCountAsKnown() throws {
        let doc = YAMLDocument("compaction: {on_start: true}\n")
        let r = try #require(doc.reader(context: "extension 'file_storage'"))
        #expect(r.noEffect("compaction", "segments are deleted once delivered"))
        #expect(!r.noEffect("timeout", "files are not locked"))
        r.finish()
        #expect(doc.diagnostics == [
            "1:13: warning: 'compaction' in extension 'file_storage' has no effect: segments are deleted once delivered",
        ])
    }
}

/// Nested mappings: `section` reads one (nil when absent, empty when null), `presentSection` tells a
/// present but empty mapping from an absent one, and `sectionList` reads a list of mappings. Each is
/// named by its path, and problems with a whole mapping point at the key that names it.
@Suite struct SectionTests {
    @Test func problemsWithASectionPointAtItsKey() throws {
        let doc = YAMLDocument("""
            exporters:
              otlp:
                endpoint: x
            """)
        let otlp = try #require(doc.reader()?.section("exporters")?.section("otlp"))
        #expect(otlp.location.line == 2 && otlp.location.column == 3)
        otlp.error("'tls' is required")
        otlp.error("bad endpoint", key: "endpoint")
        otlp.error("missing port", key: "port")
        #expect(doc.diagnostics == ["2:3: 'tls' is required", "3:15: bad endpoint", "2:3: missing port"])
    }

    @Test func absentNullAndScalarSections() throws {
        let doc = YAMLDocument("empty:\nscalar: big\n")
        let r = try #require(doc.reader())
        #expect(r.section("absent")?.context == nil)
        let empty = try #require(r.section("empty"))
        let scalar = try #require(r.section("scalar"))
        #expect(empty.keys.isEmpty && scalar.keys.isEmpty)
        #expect(doc.diagnostics == ["2:9: scalar must be a mapping, got 'big'"])
    }

    @Test func presentSectionTellsEmptyFromAbsent() throws {
        let doc = YAMLDocument("protocols:\n  http:\n")
        let protocols = try #require(doc.reader()?.section("protocols"))
        #expect(protocols.presentSection("grpc")?.context == nil)
        let http = try #require(protocols.presentSection("http"))
        #expect(http.context == "protocols.http")
        #expect(http.location.line == 2 && http.location.column == 3)
        http.finish()
        protocols.finish()
        #expect(doc.diagnostics.isEmpty)
    }

    /// A section that may be absent is still a key the mapping accepts, so a typo beside it should
    /// list it, as every other getter's key is listed whether present or not.
    @Test func anAbsentPresentSectionIsAValidKey() throws {
        let doc = YAMLDocument("protocols:\n  htp: {}\n")
        let protocols = try #require(doc.reader()?.section("protocols"))
        #expect(protocols.presentSection("grpc")?.context == nil)
        #expect(protocols.presentSection("http")?.context == nil)
        protocols.finish()
        #expect(doc.diagnostics == ["2:3: unknown key 'htp' in protocols (valid keys: grpc, http)"])
    }

    @Test func sectionListReadsEachItem() throws {
        let doc = YAMLDocument("""
            scrape_configs:
              - job_name: a
              - job_name: b
                extra: 1
              - just text
            """)
        let items = try #require(doc.reader()).sectionList("scrape_configs")
        #expect(items.map(\.context) == ["scrape_configs[0]", "scrape_configs[1]", "scrape_configs[2]"])
        #expect(items.map { "\($0.location.line):\($0.location.column)" } == ["2:5", "3:5", "5:5"])
        #expect(items.map { $0.string("job_name") } == ["a", "b", ""])
        items.forEach { $0.finish() }
        #expect(doc.diagnostics == [
            "5:5: scrape_configs[2] must be a mapping, got 'just text'",
            "4:5: unknown key 'extra' in scrape_configs[1] (valid keys: job_name)",
        ])
    }

    @Test func sectionListOfSomethingElse() throws {
        let doc = YAMLDocument("scrape_configs: x\nnone:\n")
        let r = try #require(doc.reader())
        #expect(r.sectionList("scrape_configs").isEmpty)
        #expect(r.sectionList("none").isEmpty)
        #expect(r.sectionList("absent").isEmpty)
        #expect(doc.diagnostics == ["1:17: 'scrape_configs' must be a list, got 'x'"])
    }
}
