import AgentTestSupport
@testable import Components
import Foundation
import GRPCCore
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

/// `block_on_overflow: true` in front of a slow backend: clients are refused (429 with Retry-After,
/// gRPC `UNAVAILABLE`) while the queue is full and, retrying, lose nothing; the sibling exporter gets
/// every request exactly once because a refused request reaches no exporter.
@Suite(.timeLimit(.minutes(2)))
struct BlockOnOverflowTests {
    final class Tally: Sendable {
        let ids = Mutex<[UInt64]>([])
        func add(_ data: TracesData) { ids.withLock { $0 += BackendOutageTests.ids(data) } }
        var all: [UInt64] { ids.withLock { $0 } }
    }

    static func backend(delay: Duration, tally: Tally) -> HTTPServer {
        HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 16 << 20,
                   logger: Logger(label: "backend")) { request in
            if delay > .zero { try? await Task.sleep(for: delay) }
            if let d = try? TracesData(protobuf: ByteStorage(copying: request.body.readableBytesView)) { tally.add(d) }
            return HTTPServerResponse(status: .ok, headers: ["content-type": "application/x-protobuf"])
        }
    }

    /// Sends `count` requests, each retried after a short pause until accepted; returns how many
    /// attempts were refused.
    static func sendAll(count: Int, send: @Sendable (Int) async throws -> Bool?) async throws -> (refused: Int, failed: Int) {
        var refused = 0
        var failed = 0
        for i in 0..<count {
            var attempts = 0
            while true {
                attempts += 1
                guard let accepted = try await send(i) else { failed += 1; break }
                if accepted { break }
                refused += 1
                try #require(attempts < 2000, "request \(i) refused \(attempts) times")
                try await Task.sleep(for: .milliseconds(20))  // the client's own back-off
            }
        }
        return (refused, failed)
    }

    @Test func refusedClientsRetryAndNothingIsLostOrDuplicated() async throws {
        let slowTally = Tally()
        let siblingTally = Tally()
        let slow = Self.backend(delay: .milliseconds(40), tally: slowTally)
        let sibling = Self.backend(delay: .zero, tally: siblingTally)
        try await slow.start()
        try await sibling.start()
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
                  grpc:
                    endpoint: 127.0.0.1:0
            exporters:
              otlphttp/slow:
                endpoint: http://127.0.0.1:\(slow.localAddress!.port!)
                compression: none
                sending_queue:
                  num_consumers: 1
                  queue_size: 60
                  block_on_overflow: true
              otlphttp/sibling:
                endpoint: http://127.0.0.1:\(sibling.localAddress!.port!)
                compression: none
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [otlphttp/slow, otlphttp/sibling]
            """)
        let (httpPort, grpcPort) = (agent.httpPort, agent.grpcPort)
        let requests = 40
        async let viaHTTP = Self.sendAll(count: requests) { i in
            let r = try await HTTPTestClient.request(port: httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")],
                                                     body: BackendOutageTests.request(i, client: 1).protobufBytes())
            if r.status == 200 { return true }
            return r.status == 429 && r.headers.first(name: "retry-after") != nil ? false : nil
        }
        async let viaGRPC = Self.sendAll(count: requests) { i in
            switch try await rawExport(port: grpcPort, signal: .traces, bytes: BackendOutageTests.request(i, client: 2).protobufBytes()) {
            case .success: return true
            case .failure(let e): return e.code == .unavailable || e.code == .resourceExhausted ? false : nil
            }
        }
        let (http, grpc) = try await (viaHTTP, viaGRPC)
        #expect(http.failed == 0 && grpc.failed == 0)
        #expect(http.refused > 0 && grpc.refused > 0, "a 60-item queue in front of a slow backend must push back on both clients")

        let total = 2 * requests * 40
        await eventually(timeout: .seconds(30)) { slowTally.all.count >= total }
        await agent.stop()
        await slow.shutdown()
        await sibling.shutdown()

        for (name, ids) in [("slow", slowTally.all), ("sibling", siblingTally.all)] {
            #expect(ids.count == total, "\(name) got \(ids.count) of \(total)")
            #expect(Set(ids).count == ids.count, "\(name) got duplicates")
        }
        #expect(agent.renderedTotal("otelsw_exporter_dropped_items_total") == 0)
        #expect(agent.renderedMetric("otelsw_receiver_refused_spans_total", ["transport": "http", "reason": "backpressure"]) == Double(http.refused * 40))
        #expect(agent.renderedMetric("otelsw_receiver_refused_spans_total", ["transport": "grpc", "reason": "backpressure"]) == Double(grpc.refused * 40))
    }
}
