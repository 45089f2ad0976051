import AgentTestSupport
@testable import Components
import Factories
import Foundation
import GRPCCore
import NIOHTTP1
import OTelModel
import OTelTestSupport
import PipelineCore
import Testing

/// A running agent with `memory_limiter` first in its pipelines, on a memory source the test raises
/// and lowers: OTLP/HTTP answers 429 (gRPC `RESOURCE_EXHAUSTED` with `RetryInfo`) while usage is over the soft limit and 200
/// again once it drops, nothing accepted is lost, and the refusals are on /metrics; a refused scrape
/// is counted.
@Suite(.timeLimit(.minutes(1))) struct MemoryLimiterEndToEndTests {
    static func registry(_ memory: FakeMemory) -> ComponentRegistry {
        var r = Components.registry
        r.add(AnyProcessorFactory(MemoryLimiterProcessorFactory(memory: memory)))
        return r
    }

    static func traces(_ request: Int, spans: Int) -> TracesData {
        var data = sampleTraces(spans: spans, service: "client")
        for i in data.resourceSpans[0].scopeSpans[0].spans.indices {
            data.resourceSpans[0].scopeSpans[0].spans[i].traceID = TraceID(high: UInt64(request + 1), low: UInt64(i + 1))
        }
        return data
    }

    static func logs(records: Int) -> LogsData {
        var scope = ScopeLogs(scope: nil)
        for i in 0..<records {
            var r = LogRecord()
            r.body = .string(ByteString("line \(i)"))
            scope.logRecords.append(r)
        }
        return LogsData(resourceLogs: [ResourceLogs(resource: Resource(attributes: [KeyValue("service.name", "client")]), scopeLogs: [scope])])
    }

    static func post(_ port: Int, _ path: String, _ body: [UInt8]) async throws -> HTTPTestClient.Response {
        try await HTTPTestClient.request(port: port, path: path, headers: [("content-type", "application/x-protobuf")], body: body)
    }

    /// Waits, at most ten seconds, until `name{labels}` on the agent's registry satisfies `condition`.
    static func waitFor(_ agent: TestAgent, _ name: String, _ labels: [String: String] = [:],
                        _ condition: (Double) -> Bool) async throws -> Bool {
        await eventually(timeout: .seconds(10), every: .milliseconds(10)) {
            guard let v = agent.renderedMetric(name, labels) else { return false }
            return condition(v)
        }
    }

    /// Trace ids written by the file exporter, one payload per line.
    static func traceIDs(in path: String) throws -> [TraceID] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").flatMap { line in
            try TracesData(json: ByteStorage(copying: Array(line.utf8))).resourceSpans.flatMap { $0.scopeSpans.flatMap { $0.spans.map(\.traceID) } }
        }
    }

    @Test func overTheLimitHTTPAnswers429AndRecoversWhenUsageDrops() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/traces.jsonl"
        let memory = FakeMemory(usedMiB: 10)
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http: {endpoint: 127.0.0.1:0}
                  grpc: {endpoint: 127.0.0.1:0}
            processors:
              memory_limiter:
                check_interval: 20ms
                limit_mib: 100
                spike_limit_mib: 20
            exporters:
              file:
                path: \(output)
                sending_queue: {enabled: false}
              nop:
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [memory_limiter]
                  exporters: [file]
                logs:
                  receivers: [otlp]
                  processors: [memory_limiter]
                  exporters: [nop]
            """, registry: Self.registry(memory))
        let port = agent.httpPort

        let first = try await Self.post(port, "/v1/traces", Self.traces(0, spans: 3).protobufBytes())
        #expect(first.status == 200)

        // Over the soft limit (80 MiB): the next check refuses, for every pipeline listing the id.
        memory.set(usedMiB: 85)
        try #require(try await Self.waitFor(agent, "otelsw_processor_memory_limiter_refusing") { $0 == 1 })
        let second = Self.traces(1, spans: 4).protobufBytes()
        let refused = try await Self.post(port, "/v1/traces", second)
        #expect(refused.status == 429)
        #expect(refused.headers.first(name: "retry-after") != nil)
        let logsRefused = try await Self.post(port, "/v1/logs", Self.logs(records: 2).protobufBytes())
        #expect(logsRefused.status == 429)
        let again = try await Self.post(port, "/v1/traces", second)
        #expect(again.status == 429)
        // OTLP/gRPC refuses with the code clients retry.
        let viaGRPC = try await rawExport(port: agent.grpcPort, signal: .traces, bytes: Self.traces(2, spans: 1).protobufBytes())
        #expect(throws: (any Error).self) { try viaGRPC.get() }
        if case .failure(let error) = viaGRPC { #expect(error.code == .resourceExhausted) }

        #expect(try await agent.metric("otelsw_processor_memory_limiter_refusing", ["processor": "memory_limiter"]) == 1)
        #expect(try await agent.metric("otelsw_processor_memory_limiter_usage_bytes") == Double(85 << 20))
        #expect(try await agent.metric("otelsw_processor_memory_limiter_soft_limit_bytes") == Double(80 << 20))
        #expect(try await agent.metric("otelsw_processor_memory_limiter_hard_limit_bytes") == Double(100 << 20))
        #expect(try await agent.metric("otelsw_processor_memory_limiter_refusing_transitions_total") == 1)
        #expect(try await agent.metric("otelsw_processor_refused_spans_total", ["processor": "memory_limiter", "reason": "memory_limit"]) == 9)
        #expect(try await agent.metric("otelsw_processor_refused_log_records_total", ["reason": "memory_limit"]) == 2)
        #expect(try await agent.metric("otelsw_receiver_refused_spans_total", ["transport": "http", "reason": "memory_limit"]) == 8)
        #expect(try await agent.metric("otelsw_receiver_refused_spans_total", ["transport": "grpc", "reason": "memory_limit"]) == 1)
        #expect(try await agent.metric("otelsw_receiver_refused_log_records_total", ["transport": "http", "reason": "memory_limit"]) == 2)

        // Usage drops: the client's retry goes through, on its own, without a restart.
        memory.set(usedMiB: 40)
        try #require(try await Self.waitFor(agent, "otelsw_processor_memory_limiter_refusing") { $0 == 0 })
        let recovered = try await Self.post(port, "/v1/traces", second)
        #expect(recovered.status == 200)
        let logsAccepted = try await Self.post(port, "/v1/logs", Self.logs(records: 2).protobufBytes())
        #expect(logsAccepted.status == 200)
        await agent.stop()

        // Every accepted span reached the exporter once; refused attempts reached nothing.
        let ids = try Self.traceIDs(in: output)
        #expect(ids.count == 7)
        let firstIDs: [TraceID] = (1...3).map { TraceID(high: 1, low: UInt64($0)) }
        let secondIDs: [TraceID] = (1...4).map { TraceID(high: 2, low: UInt64($0)) }
        #expect(Set(ids) == Set(firstIDs + secondIDs))
        #expect(agent.renderedMetric("otelsw_receiver_accepted_spans_total", ["transport": "http"]) == 7)
        #expect(agent.renderedMetric("otelsw_processor_refused_spans_total", ["reason": "memory_limit"]) == 9)
        #expect(agent.renderedMetric("otelsw_exporter_sent_log_records_total", ["exporter": "nop"]) == 2)
    }

    @Test func aRefusedScrapeIsCountedAsSkipped() async throws {
        let selfPort = try await PersistentQueueProcessTests.freePort()
        let memory = FakeMemory(usedMiB: 95)
        let agent = try await TestAgent(yaml: """
            receivers:
              prometheus:
                config:
                  scrape_configs:
                    - job_name: self
                      scrape_interval: 100ms
                      static_configs:
                        - targets: [127.0.0.1:\(selfPort)]
            processors:
              memory_limiter:
                check_interval: 20ms
                limit_mib: 100
            exporters:
              nop:
            service:
              pipelines:
                metrics:
                  receivers: [prometheus]
                  processors: [memory_limiter]
                  exporters: [nop]
            """, telemetryPort: selfPort, registry: Self.registry(memory))

        #expect(try await Self.waitFor(agent, "otelsw_receiver_scrapes_total", ["scrape_job": "self", "result": "skipped_backpressure"]) { $0 > 0 })
        #expect(agent.renderedMetric("otelsw_receiver_refused_metric_points_total", ["transport": "scrape", "reason": "memory_limit"]).map { $0 > 0 } == true)
        #expect(agent.renderedMetric("otelsw_receiver_accepted_metric_points_total", ["transport": "scrape"]) ?? 0 == 0)
        #expect(agent.renderedTotal("otelsw_receiver_scrapes_total", ["scrape_job": "self", "result": "success"]) == 0,
                "a refused scrape is counted once, as skipped")

        memory.set(usedMiB: 10)
        // A scrape is counted once its data is accepted, so wait for the count rather than the data.
        #expect(try await Self.waitFor(agent, "otelsw_receiver_scrapes_total", ["scrape_job": "self", "result": "success"]) { $0 > 0 })
        #expect(agent.renderedMetric("otelsw_receiver_accepted_metric_points_total", ["transport": "scrape"]).map { $0 > 0 } == true)
        await agent.stop()
    }
}
