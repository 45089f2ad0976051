import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import OTelModel
import OTelTestSupport
import Pipeline
import Synchronization
import Testing

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
}
