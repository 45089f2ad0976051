import Foundation
import NIOCore
import NIOPosix
import OTelModel
import OTelTestSupport
import Testing

/// The persistent queue with a real process: SIGKILL while the backend is down loses nothing the
/// receiver acknowledged; after a restart everything reaches the backend.
@Suite(.timeLimit(.minutes(3)))
struct PersistentQueueProcessTests {
    static func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-pq-\(UUID().uuidString)-\(name)")
    }

    /// A port nobody listens on right now (bound, read and released).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    @Test(.enabled(if: AgentProcess.available)) func sigkillWithTheBackendDownLosesNothing() async throws {
        let storage = Self.temp("storage")
        let config = Self.temp("agent.yaml")
        let backendFile = Self.temp("backend.jsonl")
        defer { for f in [storage, config, backendFile] { try? FileManager.default.removeItem(at: f) } }
        let backendPort = try await Self.freePort()
        try """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 127.0.0.1:0
        processors:
          batch:
            timeout: 20ms
        exporters:
          otlphttp:
            endpoint: http://127.0.0.1:\(backendPort)
            compression: none
            timeout: 2s
            sending_queue:
              storage: file_storage
              num_consumers: 2
            retry_on_failure:
              initial_interval: 100ms
              max_interval: 200ms
              max_elapsed_time: 0
        extensions:
          file_storage:
            directory: \(storage.path)
        service:
          extensions: [file_storage]
          telemetry:
            metrics:
              address: 127.0.0.1:0
          pipelines:
            traces:
              receivers: [otlp]
              processors: [batch]
              exporters: [otlphttp]
        """.write(to: config, atomically: true, encoding: .utf8)

        // 1. The backend is down; everything acknowledged is only on disk.
        let first = try AgentProcess(pipeline: config, log: Self.temp("first.log"))
        let port = try await first.httpPort()
        var sent: Set<UInt64> = []
        for i in 0..<20 {
            var data = OTLPHTTPReceiverTests.spans(10, service: "durable")
            for j in data.resourceSpans[0].scopeSpans[0].spans.indices {
                data.resourceSpans[0].scopeSpans[0].spans[j].spanID = SpanID(UInt64(i * 100 + j + 1))
            }
            let r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")], body: data.protobufBytes())
            #expect(r.status == 200)
            if r.status == 200 { for s in data.resourceSpans[0].scopeSpans[0].spans { sent.insert(s.spanID.value) } }
        }
        #expect(sent.count == 200)
        let killed = await first.stop(signal: SIGKILL)
        #expect(killed != 0)

        // 2. The backend comes up; the agent restarts and delivers what the first one acknowledged.
        let backend = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:\(backendPort)
            exporters:
              file:
                path: \(backendFile.path)
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [file]
            """)
        let second = try AgentProcess(pipeline: config, log: Self.temp("second.log"))
        _ = try await second.httpPort()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while (backend.renderedMetric("otelsw_receiver_accepted_spans_total") ?? 0) < 200 && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await second.stop() == 0, "\(second.logText)")
        await backend.stop()

        var received: [UInt64] = []
        for line in try String(contentsOf: backendFile, encoding: .utf8).split(separator: "\n") {
            let d = try TracesData(json: Array(line.utf8))
            for rs in d.resourceSpans { for ss in rs.scopeSpans { received += ss.spans.map(\.spanID.value) } }
        }
        let missing = sent.subtracting(received)
        let duplicates = received.count - Set(received).count
        #expect(missing.isEmpty, "lost \(missing.count) acknowledged spans")
        #expect(duplicates == 0, "nothing was in flight at the kill, so nothing should come twice")
        #expect(second.logText.contains("persistent queue recovered undelivered data"))
    }
}
