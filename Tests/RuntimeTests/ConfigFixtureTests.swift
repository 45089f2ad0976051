import Components
import Configuration
import Factories
import Foundation
import OTelModel
import PipelineCore
import Runtime
import Testing

/// Each `bad-*.yaml` fixture lists, in `# expect:` header lines, every diagnostic the loader must report
/// (`line:column: message`, warnings as `line:column: warning: message`), in any order, and no others.
///
/// The loader's own fixtures sit in `testdata/` beside this file; each component's sit in the
/// `testdata/` beside its tests (`Tests/ComponentsTests/<Kind>/<Component>/testdata`), and run here.
@Suite struct ConfigFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("testdata")
    static let componentTests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ComponentsTests")

    /// Paths of every `bad-*.yaml`, the loader's and the components'.
    static var badFixtures: [String] {
        var found: [String] = []
        let everything = FileManager.default.enumerator(atPath: componentTests.path)?.compactMap { $0 as? String } ?? []
        for path in everything where path.hasSuffix(".yaml") && (path as NSString).deletingLastPathComponent.hasSuffix("testdata") {
            found.append(componentTests.appendingPathComponent(path).path)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] {
            found.append(directory.appendingPathComponent(name).path)
        }
        return found.filter { ($0 as NSString).lastPathComponent.hasPrefix("bad-") }.sorted()
    }

    @Test func componentFixturesAreFound() {
        let names = Set(Self.badFixtures.map { ($0 as NSString).lastPathComponent })
        #expect(names.isSuperset(of: ["bad-attributes.yaml", "bad-filelog.yaml", "bad-otlp.yaml", "bad-loki.yaml", "bad-yaml.yaml"]), "\(names.sorted())")
        // Every component type has its bad-config fixture beside its tests.
        #expect(Self.badFixtures.filter { $0.contains("/ComponentsTests/") }.count >= 16, "\(names.sorted())")
    }

    static let environment = ["OTELSW_TEST_BAD": "nowhere"]

    /// The real registry plus a receiver that only takes traces, to exercise signal checks.
    static var registry: ComponentRegistry {
        var r = Components.registry
        r.add(AnyReceiverFactory(TracesOnlyReceiverFactory()))
        return r
    }

    @Test func goodFileLoads() throws {
        let path = Self.directory.appendingPathComponent("good-full.yaml").path
        let config = try AgentConfig.load(path: path, registry: Self.registry, environment: [:])
        #expect(config.pipelines.map(\.id.description) == ["traces", "traces/second", "metrics", "logs"])
        #expect(config.exporters.map(\.id.description) == ["otlphttp/jaeger", "otlp_http/alias", "file", "debug"])
        #expect(config.telemetry.metricsAddress == "127.0.0.1:0")
        #expect(config.telemetry.exporterStallTimeout == .seconds(30))
        #expect(config.warnings.isEmpty)
        let batch = try #require(config.processors.first { $0.id.description == "batch" }?.config as? BatchConfig)
        #expect(batch.sendBatchSize == 512 && batch.sendBatchMaxSize == 1024 && batch.timeout == .seconds(1))
        let jaeger = try #require(config.exporters.first?.config as? OTLPHTTPExporterConfig)
        #expect(jaeger.queue.numConsumers == 2 && jaeger.queue.queueSize == 5000)
        #expect(jaeger.retry.maxElapsedTime == .zero)
        #expect(jaeger.headers.map { "\($0.0)=\($0.1)" } == ["x-tenant=demo"])
        let receiver = try #require(config.receivers.first?.config as? OTLPReceiverConfig)
        #expect(receiver.http?.endpoint == HostPort(host: "127.0.0.1", port: 4318))
        #expect(receiver.http?.maxRequestBodySize == 1_048_576)
    }

    @Test func environmentOverridesDefault() throws {
        let path = Self.directory.appendingPathComponent("good-full.yaml").path
        let config = try AgentConfig.load(path: path, registry: Self.registry, environment: ["OTELSW_TEST_HTTP": "127.0.0.1:9999"])
        let receiver = try #require(config.receivers.first?.config as? OTLPReceiverConfig)
        #expect(receiver.http?.endpoint.port == 9999)
    }

    @Test(arguments: badFixtures)
    func badFileReportsExactDiagnostics(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        let text = try String(contentsOf: url, encoding: .utf8)
        let expected = text.split(separator: "\n")
            .filter { $0.hasPrefix("# expect: ") }
            .map { String($0.dropFirst("# expect: ".count)) }
        #expect(!expected.isEmpty, "fixture \(name) has no expectations")
        do {
            let config = try AgentConfig.load(path: url.path, registry: Self.registry, environment: Self.environment)
            Issue.record("\(name) loaded without errors; warnings: \(config.warnings)")
        } catch {
            let got = error.diagnostics.map { d in
                let text = d.description
                return String(text.dropFirst(url.path.count + 1))
            }
            #expect(got.sorted() == expected.sorted(), "\(name):\n got:\n  \(got.joined(separator: "\n  "))")
            #expect(error.diagnostics.allSatisfy { $0.location.file == url.path })
        }
    }

    @Test func emptyAndUnreadableFiles() {
        #expect(throws: ConfigError.self) { try AgentConfig.parse("", file: "empty.yaml", registry: Self.registry) }
        do {
            _ = try AgentConfig.load(path: "/nonexistent/otelsw.yaml", registry: Self.registry)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/otelsw.yaml:1:1: cannot read the pipeline file"))
        }
    }

    @Test func durations() {
        #expect(parseDuration("200ms") == .milliseconds(200))
        #expect(parseDuration("1m30s") == .seconds(90))
        #expect(parseDuration("1.5h") == .seconds(5400))
        #expect(parseDuration("0") == .zero)
        #expect(parseDuration("5") == nil)
        #expect(parseDuration("5 s") == nil)
        #expect(parseDuration("") == nil)
    }
}

struct TracesOnlyReceiverFactory: ReceiverFactory {
    struct Config: ComponentConfig {}
    var type: String { "tracesonly" }
    var signals: Set<Signal> { [.traces] }
    var stability: StabilityLevel { .development }
    func makeConfig(_ reader: ConfigReader) -> Config { Config() }
    func makeReceiver(config: Config, context: ComponentContext, consumers: ReceiverConsumers) throws -> any Component {
        throw ConsumerError.permanent("not runnable")
    }
}

/// One size parser for every component: units in any case, powers of 1000 and of 1024.
@Suite struct ByteSizeTests {
    @Test func unitsInAnyCase() {
        #expect(parseByteSize("1000") == 1000)
        #expect(parseByteSize("64KiB") == 65_536)
        #expect(parseByteSize("64kib") == 65_536)
        #expect(parseByteSize("10MB") == 10_000_000)
        #expect(parseByteSize("10mb") == 10_000_000)
        #expect(parseByteSize("1.5GiB") == 1_610_612_736)
        #expect(parseByteSize(" 2 kb ") == 2000)
        #expect(parseByteSize("12B") == 12)
        #expect(parseByteSize("lots") == nil)
        #expect(parseByteSize("-1kb") == nil)
        #expect(parseByteSize("1tb") == nil)
        #expect(parseByteSize("99999999999999gib") == nil)
    }

    /// The prometheus receiver and filelog read sizes alike (they once had parsers of their own).
    @Test func everyComponentReadsTheSameSizes() throws {
        let yaml = """
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: a
                  body_size_limit: 10mib
                  static_configs: [{ targets: ["127.0.0.1:9"] }]
          filelog:
            include: [/nonexistent/*.log]
            max_log_size: 10MiB
        exporters:
          nop:
        service:
          pipelines:
            metrics: { receivers: [prometheus], exporters: [nop] }
            logs: { receivers: [filelog], exporters: [nop] }
        """
        let config = try AgentConfig.parse(yaml, file: "sizes.yaml", registry: Components.registry, environment: [:])
        let prometheus = try #require(config.receivers.first { $0.id.type == "prometheus" }?.config as? PrometheusReceiverConfig)
        let filelog = try #require(config.receivers.first { $0.id.type == "filelog" }?.config as? FileLogConfig)
        #expect(prometheus.scrapeConfigs.first?.bodySizeLimit == 10 << 20)
        #expect(filelog.maxLogSize == 10 << 20)
    }
}

/// Keys the Collector has that change nothing in otelsw load, with a warning at their place.
@Suite struct NoEffectKeyTests {
    @Test func eachIsAWarningAtItsLine() throws {
        let yaml = """
        receivers:
          filelog:
            include: [/nonexistent/*.log]
            retry_on_failure:
              enabled: false
              max_elapsed_time: 1m
        processors:
          batch:
            metadata_cardinality_limit: 10
          attributes:
            actions: [{ key: a, value: b, action: upsert }]
            include:
              match_type: regexp
              regexp: { cacheenabled: true }
              attributes: [{ key: x, value: "y.*" }]
        exporters:
          nop:
        extensions:
          file_storage:
            directory: /tmp
            timeout: 2s
            compaction: { on_start: true }
        service:
          extensions: [file_storage]
          telemetry:
            metrics: { level: detailed }
            logs: { encoding: json }
          pipelines:
            logs: { receivers: [filelog], processors: [batch, attributes], exporters: [nop] }
        """
        let config = try AgentConfig.parse(yaml, file: "f.yaml", registry: Components.registry, environment: [:])
        let warnings = config.warnings.map { w in
            "\(w.location.line):\(w.location.column) " + (w.message.range(of: " has no effect").map { String(w.message[..<$0.upperBound]) } ?? w.message)
        }
        #expect(warnings.sorted() == [
            "14:15 'regexp' in processor 'attributes'.include has no effect",
            "21:14 'timeout' in extension 'file_storage' has no effect",
            "22:17 'compaction' in extension 'file_storage' has no effect",
            "26:23 'level' in service.telemetry.metrics has no effect",
            "27:23 'encoding: json' in service.telemetry.logs has no effect",
            "5:16 'enabled: false' in receiver 'filelog'.retry_on_failure has no effect",
            "6:25 'max_elapsed_time' in receiver 'filelog'.retry_on_failure has no effect",
            "9:33 'metadata_cardinality_limit' in processor 'batch' has no effect",
        ], "\(config.warnings.map(\.description).joined(separator: "\n"))")
    }
}
