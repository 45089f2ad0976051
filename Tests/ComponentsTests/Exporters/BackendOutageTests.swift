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
import Runtime
import Synchronization
import Testing
import Transport

/// A backend that is down for 30 s while an HTTP and a gRPC client keep sending at a steady pace:
/// every request the agent acknowledged reaches the backend once it is up; the rest were refused (429 /
/// `UNAVAILABLE`) and are the clients' to retry. `OTELSW_OUTAGE_SECONDS` shortens the outage for local runs.
@Suite(.timeLimit(.minutes(3)))
struct BackendOutageTests {
    final class Received: Sendable {
        let spans = Mutex(Set<UInt64>())
        let duplicates = Mutex(0)
    }

    struct Outcome: Sendable {
        var acknowledged = Set<UInt64>()
        var refused = 0
        var unexpected: [String] = []
    }

    enum Answer: Sendable { case accepted, refused, unexpected(String) }

    static var outage: Duration {
        .seconds(Int(ProcessInfo.processInfo.environment["OTELSW_OUTAGE_SECONDS"] ?? "") ?? 30)
    }

    /// Request `i` of a client: 40 spans whose ids are unique across clients and requests.
    static func request(_ i: Int, client: UInt64) -> TracesData {
        var data = OTLPHTTPReceiverTests.spans(40, service: "outage")
        for j in data.resourceSpans[0].scopeSpans[0].spans.indices {
            data.resourceSpans[0].scopeSpans[0].spans[j].spanID = SpanID(client << 32 | UInt64(i * 1000 + j + 1))
        }
        return data
    }

    static func ids(_ data: TracesData) -> [UInt64] { data.resourceSpans.flatMap { $0.scopeSpans.flatMap { $0.spans.map(\.spanID.value) } } }

    /// Sends one request every `period` until `duration` has passed.
    static func steadyLoad(duration: Duration, period: Duration, send: @Sendable (Int) async throws -> (ids: [UInt64], answer: Answer)) async throws -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        var outcome = Outcome()
        var i = 0
        while clock.now - start < duration {
            let (ids, result) = try await send(i)
            switch result {
            case .accepted: outcome.acknowledged.formUnion(ids)
            case .unexpected(let message): outcome.unexpected.append(message)
            case .refused: outcome.refused += 1
            }
            i += 1
            try await clock.sleep(until: start + period * i)
        }
        return outcome
    }

    @Test func everythingAcknowledgedDuringAnOutageIsDeliveredAfterIt() async throws {
        // The clients offer 800 spans a second; the queue holds about a third of the outage's load.
        let queueSize = Int(Self.outage.components.seconds) * 260
        let backendPort = try await PersistentQueueProcessTests.freePort()
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
                  grpc:
                    endpoint: 127.0.0.1:0
            processors:
              batch:
                timeout: 50ms
            exporters:
              otlphttp:
                endpoint: http://127.0.0.1:\(backendPort)
                compression: none
                timeout: 1s
                sending_queue:
                  queue_size: \(queueSize)
                retry_on_failure:
                  initial_interval: 50ms
                  max_interval: 200ms
                  max_elapsed_time: 0
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [batch]
                  exporters: [otlphttp]
            """)

        // Steady load for the whole outage: each client sends 40 spans every 100 ms.
        let duration = Self.outage
        let (httpPort, grpcPort) = (agent.httpPort, agent.grpcPort)
        async let viaHTTP = Self.steadyLoad(duration: duration, period: .milliseconds(100)) { i in
            let data = Self.request(i, client: 1)
            let r = try await HTTPTestClient.request(port: httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")], body: data.protobufBytes())
            switch r.status {
            case 200: return (Self.ids(data), .accepted)
            case 429 where r.headers.first(name: "retry-after") != nil: return (Self.ids(data), .refused)
            default: return (Self.ids(data), .unexpected("HTTP \(r.status)"))
            }
        }
        async let viaGRPC = Self.steadyLoad(duration: duration, period: .milliseconds(100)) { i in
            let data = Self.request(i, client: 2)
            switch try await rawExport(port: grpcPort, signal: .traces, bytes: data.protobufBytes()) {
            case .success(let response) where (response.partialSuccess?.rejected ?? 0) == 0: return (Self.ids(data), .accepted)
            case .success(let response): return (Self.ids(data), .unexpected("partial success: \(response)"))
            case .failure(let error) where error.code == .unavailable: return (Self.ids(data), .refused)
            case .failure(let error): return (Self.ids(data), .unexpected("gRPC \(error)"))
            }
        }
        let (http, grpc) = try await (viaHTTP, viaGRPC)
        #expect(http.unexpected.isEmpty && grpc.unexpected.isEmpty, "\(http.unexpected) \(grpc.unexpected)")
        #expect(http.refused > 0 && grpc.refused > 0, "a \(queueSize)-item queue cannot hold the outage's load: both clients must see refusals")
        #expect(!http.acknowledged.isEmpty && !grpc.acknowledged.isEmpty)
        let acknowledged = http.acknowledged.union(grpc.acknowledged)

        // The backend comes up.
        let received = Received()
        let backend = HTTPServer(host: "127.0.0.1", port: backendPort, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 64 << 20,
                                 logger: Logger(label: "backend")) { request in
            if let d = try? TracesData(protobuf: ByteStorage(copying: request.body.readableBytesView)) {
                for id in Self.ids(d) where !received.spans.withLock({ $0.insert(id).inserted }) {
                    received.duplicates.withLock { $0 += 1 }
                }
            }
            return HTTPServerResponse(status: .ok, headers: ["content-type": "application/x-protobuf"])
        }
        try await backend.start()
        await eventually(timeout: .seconds(60), every: .milliseconds(50)) { received.spans.withLock { $0.count } >= acknowledged.count }
        await agent.stop()
        await backend.shutdown()

        let got = received.spans.withLock { $0 }
        print("outage of \(duration): acknowledged \(acknowledged.count) spans (HTTP \(http.acknowledged.count), gRPC \(grpc.acknowledged.count)), "
              + "refused \(http.refused) + \(grpc.refused) requests, delivered \(got.count), duplicates \(received.duplicates.withLock { $0 })")
        #expect(acknowledged.subtracting(got).isEmpty, "lost \(acknowledged.subtracting(got).count) acknowledged spans")
        #expect(got.subtracting(acknowledged).isEmpty, "refused spans must not be delivered")
        #expect(received.duplicates.withLock { $0 } == 0)
        #expect(agent.renderedMetric("otelsw_receiver_accepted_spans_total", ["transport": "http"]) == Double(http.acknowledged.count))
        #expect(agent.renderedMetric("otelsw_receiver_accepted_spans_total", ["transport": "grpc"]) == Double(grpc.acknowledged.count))
        #expect(agent.renderedMetric("otelsw_exporter_sent_spans_total", ["exporter": "otlphttp"]) == Double(acknowledged.count))
        #expect(agent.renderedTotal("otelsw_exporter_dropped_items_total") == 0)
    }
}
