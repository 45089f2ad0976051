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

/// A backend that is down while clients keep sending: every request the agent acknowledged reaches
/// the backend once it is up; the rest were refused (429) and are the client's to retry.
@Suite(.timeLimit(.minutes(2)))
struct BackendOutageTests {
    final class Received: Sendable {
        let spans = Mutex(Set<UInt64>())
        let duplicates = Mutex(0)
    }

    @Test func everythingAcknowledgedDuringAnOutageIsDeliveredAfterIt() async throws {
        let backendPort = try await PersistentQueueProcessTests.freePort()
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
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
                  queue_size: 3000
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

        // Steady load for the whole outage: 100 requests of 50 spans, each span id unique.
        var acknowledged = Set<UInt64>()
        var refused = 0
        for i in 0..<100 {
            var data = OTLPHTTPReceiverTests.spans(50, service: "outage")
            for j in data.resourceSpans[0].scopeSpans[0].spans.indices {
                data.resourceSpans[0].scopeSpans[0].spans[j].spanID = SpanID(UInt64(i * 1000 + j + 1))
            }
            let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")], body: data.protobufBytes())
            if r.status == 200 {
                for s in data.resourceSpans[0].scopeSpans[0].spans { acknowledged.insert(s.spanID.value) }
            } else {
                #expect(r.status == 429)
                refused += 1
            }
        }
        #expect(refused > 0, "a 3000-item queue cannot hold 5000 spans: some requests must be refused")
        #expect(!acknowledged.isEmpty)

        // The backend comes up.
        let received = Received()
        let backend = HTTPServer(host: "127.0.0.1", port: backendPort, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 64 << 20,
                                 logger: Logger(label: "backend")) { request in
            if let d = try? TracesData(protobuf: ByteStorage(copying: request.body.readableBytesView)) {
                for rs in d.resourceSpans { for ss in rs.scopeSpans { for s in ss.spans {
                    if !received.spans.withLock({ $0.insert(s.spanID.value).inserted }) { received.duplicates.withLock { $0 += 1 } }
                } } }
            }
            return HTTPServerResponse(status: .ok, headers: ["content-type": "application/x-protobuf"])
        }
        try await backend.start()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while received.spans.withLock({ $0.count }) < acknowledged.count && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        await agent.stop()
        await backend.shutdown()

        let got = received.spans.withLock { $0 }
        #expect(acknowledged.subtracting(got).isEmpty, "lost \(acknowledged.subtracting(got).count) acknowledged spans")
        #expect(got.subtracting(acknowledged).isEmpty, "refused spans must not be delivered")
        #expect(received.duplicates.withLock { $0 } == 0)
        #expect(agent.renderedMetric("otelsw_receiver_accepted_spans_total") == Double(acknowledged.count))
        #expect(agent.renderedMetric("otelsw_exporter_sent_spans_total", ["exporter": "otlphttp"]) == Double(acknowledged.count))
        #expect(agent.renderedMetric("otelsw_exporter_dropped_items_total") == nil)
    }
}
