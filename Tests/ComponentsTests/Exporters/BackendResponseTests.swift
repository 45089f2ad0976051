import AgentTestSupport
@testable import Components
import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import OTelModel
import OTelTestSupport
import PipelineCore
import Synchronization
import Testing
import Transport

/// The otlphttp exporter against a real HTTP backend that throttles or rejects: Retry-After is
/// honoured, permanent errors are dropped at once and counted, and a sibling exporter is unaffected.
@Suite(.timeLimit(.minutes(1)))
struct BackendResponseTests {
    /// A backend answering from a script of statuses (then 200), recording when each request came.
    final class ScriptedBackend: Sendable {
        final class State: Sendable {
            let arrivals = Mutex<[ContinuousClock.Instant]>([])
            let remaining: Mutex<[(HTTPResponseStatus, retryAfter: String?)]>
            init(_ script: [(HTTPResponseStatus, retryAfter: String?)]) { remaining = Mutex(script) }
        }
        let server: HTTPServer
        let state: State
        let delivered = AsyncStream<Int>.makeStream()

        init(script: [(HTTPResponseStatus, retryAfter: String?)]) {
            let state = State(script)
            self.state = state
            let delivered = self.delivered.continuation
            server = HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 16 << 20,
                                logger: Logger(label: "backend")) { request in
                state.arrivals.withLock { $0.append(.now) }
                if let (status, retryAfter) = state.remaining.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                    var r = HTTPServerResponse(status: status)
                    if let retryAfter { r.headers.add(name: "retry-after", value: retryAfter) }
                    return r
                }
                let spans = (try? TracesData(protobuf: ByteStorage(copying: request.body.readableBytesView)))?.spanCount ?? -1
                delivered.yield(spans)
                return HTTPServerResponse(status: .ok, headers: ["content-type": "application/x-protobuf"])
            }
        }

        var port: Int { server.localAddress!.port! }
        var times: [ContinuousClock.Instant] { state.arrivals.withLock { $0 } }
    }

    static func agent(backendPort: Int, file: String) async throws -> TestAgent {
        try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            exporters:
              otlphttp:
                endpoint: http://127.0.0.1:\(backendPort)
                compression: none
                retry_on_failure:
                  initial_interval: 10ms
                  max_interval: 20ms
                  max_elapsed_time: 30s
              file:
                path: \(file)
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [otlphttp, file]
            """)
    }

    @Test func retryAfterIsHonoured() async throws {
        let backend = ScriptedBackend(script: [(.serviceUnavailable, "1"), (.tooManyRequests, "1")])
        try await backend.server.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-br-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let agent = try await Self.agent(backendPort: backend.port, file: file)
        let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")],
                                                 body: OTLPHTTPReceiverTests.spans(4).protobufBytes())
        #expect(r.status == 200)
        var it = backend.delivered.stream.makeAsyncIterator()
        #expect(await it.next() == 4)
        let t = backend.times
        #expect(t.count == 3)
        // The back-off alone would retry after 10–20 ms; the server asked for a second each time.
        #expect(t[1] - t[0] >= .milliseconds(950))
        #expect(t[2] - t[1] >= .milliseconds(950))
        await agent.stop()
        #expect(agent.renderedMetric("otelsw_exporter_retries_total", ["exporter": "otlphttp"]) == 2)
        #expect(agent.renderedMetric("otelsw_exporter_sent_spans_total", ["exporter": "otlphttp"]) == 4)
        await backend.server.shutdown()
    }

    @Test func permanentErrorsAreDroppedAtOnceAndCountedWhileTheSiblingDelivers() async throws {
        let backend = ScriptedBackend(script: [(.badRequest, nil)])
        try await backend.server.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-br-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let agent = try await Self.agent(backendPort: backend.port, file: file)
        for n in [3, 2] {
            let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")],
                                                     body: OTLPHTTPReceiverTests.spans(n).protobufBytes())
            #expect(r.status == 200)
        }
        var it = backend.delivered.stream.makeAsyncIterator()
        #expect(await it.next() == 2, "the rejected request is not retried; the next one is delivered")
        await agent.stop()
        #expect(backend.times.count == 2)
        #expect(agent.renderedMetric("otelsw_exporter_dropped_items_total", ["exporter": "otlphttp", "reason": "permanent_error"]) == 3)
        #expect(agent.renderedMetric("otelsw_exporter_retries_total", ["exporter": "otlphttp"]) == 0)
        #expect(agent.renderedMetric("otelsw_exporter_sent_spans_total", ["exporter": "file"]) == 5, "the sibling got both requests")
        await backend.server.shutdown()
    }

    /// The gRPC exporter against a gRPC backend that answers `UNAVAILABLE` with a `RetryInfo` of one
    /// second: the exporter waits that long, not its own 10 ms back-off.
    @Test func grpcRetryInfoIsHonoured() async throws {
        let arrivals = Mutex<[ContinuousClock.Instant]>([])
        let delivered = AsyncStream<Int>.makeStream()
        let backendConsumer = ClosureConsumer<TracesData> { data in
            let n = arrivals.withLock { $0.append(.now); return $0.count }
            if n <= 2 { throw ConsumerError.refused("busy", retryAfter: .seconds(1)) }
            delivered.continuation.yield(data.spanCount)
        }
        var settings = OTLPReceiverConfig.GRPC()
        settings.endpoint = HostPort(host: "127.0.0.1", port: 0)
        let backend = OTLPGRPCServer(settings: settings, context: testContext("otlp"), consumers: ReceiverConsumers(traces: backendConsumer))
        try await backend.start()
        let backendPort = try #require(backend.localAddress?.port)
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            exporters:
              otlp:
                endpoint: http://127.0.0.1:\(backendPort)
                retry_on_failure:
                  initial_interval: 10ms
                  max_interval: 20ms
                  max_elapsed_time: 30s
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [otlp]
            """)
        let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")],
                                                 body: OTLPHTTPReceiverTests.spans(6).protobufBytes())
        #expect(r.status == 200)
        var it = delivered.stream.makeAsyncIterator()
        #expect(await it.next() == 6)
        let t = arrivals.withLock { $0 }
        #expect(t.count == 3)
        #expect(t[1] - t[0] >= .milliseconds(950), "waited \(t[1] - t[0])")
        #expect(t[2] - t[1] >= .milliseconds(950), "waited \(t[2] - t[1])")
        await agent.stop()
        #expect(agent.renderedMetric("otelsw_exporter_retries_total", ["exporter": "otlp"]) == 2)
        #expect(agent.renderedMetric("otelsw_exporter_sent_spans_total", ["exporter": "otlp"]) == 6)
        await backend.shutdown()
    }

    /// A backend that takes half a second per request beside one that answers at once: the fast
    /// one has everything while the slow one has barely started, and every item is accounted for.
    @Test func aSlowExporterDoesNotHoldUpAFastOne() async throws {
        let fast = ScriptedBackend(script: [])
        try await fast.server.start()
        let slowCount = Mutex(0)
        let slow = HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 16 << 20,
                              logger: Logger(label: "slow")) { request in
            try? await Task.sleep(for: .milliseconds(500))
            let spans = (try? TracesData(protobuf: ByteStorage(copying: request.body.readableBytesView)))?.spanCount ?? 0
            slowCount.withLock { $0 += spans }
            return HTTPServerResponse(status: .ok, headers: ["content-type": "application/x-protobuf"])
        }
        try await slow.start()
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            exporters:
              otlphttp/fast:
                endpoint: http://127.0.0.1:\(fast.port)
                compression: none
              otlphttp/slow:
                endpoint: http://127.0.0.1:\(slow.localAddress!.port!)
                compression: none
                sending_queue:
                  num_consumers: 1
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [otlphttp/fast, otlphttp/slow]
            """)
        let requests = 100
        for _ in 0..<requests {
            let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")],
                                                     body: OTLPHTTPReceiverTests.spans(10).protobufBytes())
            #expect(r.status == 200)
        }
        var it = fast.delivered.stream.makeAsyncIterator()
        var fastSpans = 0
        while fastSpans < requests * 10, let n = await it.next() { fastSpans += n }
        let slowSoFar = slowCount.withLock { $0 }
        #expect(fastSpans == requests * 10)
        #expect(slowSoFar < requests * 10 / 2, "the slow backend can take at most two requests a second; it got \(slowSoFar) spans")
        await agent.stop()
        let slowSent = agent.renderedMetric("otelsw_exporter_sent_spans_total", ["exporter": "otlphttp/slow"]) ?? 0
        let slowDropped = agent.renderedMetric("otelsw_exporter_dropped_items_total", ["exporter": "otlphttp/slow", "reason": "shutdown"]) ?? 0
        #expect(slowSent + slowDropped == Double(requests * 10), "every item the slow exporter took is either sent or in the ledger")
        #expect(agent.renderedTotal("otelsw_exporter_dropped_items_total", ["exporter": "otlphttp/fast"]) == 0)
        await slow.shutdown()
        await fast.server.shutdown()
    }
}
