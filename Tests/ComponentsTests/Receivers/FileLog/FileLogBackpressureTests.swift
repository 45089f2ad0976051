import AgentTestSupport
@testable import Components
import Foundation
import OTelModel
import OTelTestSupport
import Testing

/// While the pipeline refuses (the exporter's queue is full and blocks), the tailer stops reading and
/// offers the same records again: the file is the buffer. When the backend comes back, every line
/// arrives once and nothing was dropped.
@Suite(.timeLimit(.minutes(2)))
struct FileLogBackpressureTests {
    @Test func aFullQueuePausesReadingAndNothingIsLost() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/backend.jsonl"
        let backendPort = try await PersistentQueueProcessTests.freePort()
        let writer = FileLogRotationTests.Writer(path: dir + "/app.log")
        try await writer.write(3000, perBurst: 100)

        let agent = try await TestAgent(yaml: """
            receivers:
              filelog:
                include: [\(dir)/app.log]
                start_at: beginning
                poll_interval: 20ms
                max_batch_size: 100
                retry_on_failure:
                  initial_interval: 20ms
                  max_interval: 100ms
            exporters:
              otlphttp:
                endpoint: http://127.0.0.1:\(backendPort)
                compression: none
                sending_queue:
                  queue_size: 3
                  block_on_overflow: true
                retry_on_failure:
                  initial_interval: 20ms
                  max_interval: 50ms
                  max_elapsed_time: 0
            service:
              pipelines:
                logs:
                  receivers: [filelog]
                  exporters: [otlphttp]
            """)
        // The backend is down: the queue fills, then the receiver is refused and waits.
        await eventually(timeout: .seconds(20)) {
            (agent.renderedMetric("otelsw_receiver_refused_log_records_total", ["reason": "backpressure"]) ?? 0) != 0
        }
        #expect((agent.renderedMetric("otelsw_receiver_refused_log_records_total", ["reason": "backpressure"]) ?? 0) > 0)
        let acceptedWhileDown = agent.renderedMetric("otelsw_receiver_accepted_log_records_total") ?? 0
        #expect(acceptedWhileDown <= 100, "one batch went into the empty queue; reading stopped there: \(acceptedWhileDown)")

        let backend = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:\(backendPort)
            exporters:
              file:
                path: \(output)
                sending_queue:
                  enabled: false
            service:
              pipelines:
                logs:
                  receivers: [otlp]
                  exporters: [file]
            """)
        try await FileLogRotationTests.expectEachOnce(output, expected: 3000)
        #expect(agent.renderedTotal("otelsw_exporter_dropped_items_total") == 0)
        #expect(agent.renderedMetric("otelsw_receiver_accepted_log_records_total") == 3000)
        await agent.stop()
        await backend.stop()
    }
}
