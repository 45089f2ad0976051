import Foundation
import OTelModel
import OTelTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The `filelog` receiver in the real binary, killed with SIGKILL while a file is being written:
/// after a restart every line arrives, and the only repeats are the lines of the last poll that
/// had not been checkpointed.
@Suite(.timeLimit(.minutes(3)))
struct FileLogProcessTests {
    @Test(.enabled(if: AgentProcess.available)) func sigkillMidStreamThenRestartResumesFromTheCheckpoint() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        let config = URL(fileURLWithPath: dir + "/agent.yaml")
        try """
        receivers:
          filelog:
            include: [\(dir)/app.log]
            start_at: beginning
            poll_interval: 20ms
            max_batch_size: 100
            storage: file_storage
        exporters:
          file:
            path: \(output)
            sending_queue:
              enabled: false
        extensions:
          file_storage:
            directory: \(dir)/storage
        service:
          extensions: [file_storage]
          telemetry:
            metrics:
              address: 127.0.0.1:0
          pipelines:
            logs:
              receivers: [filelog]
              exporters: [file]
        """.write(to: config, atomically: true, encoding: .utf8)

        let writer = FileLogRotationTests.Writer(path: dir + "/app.log")
        var agent = try AgentProcess(pipeline: config, log: URL(fileURLWithPath: dir + "/agent-1.log"))
        _ = try await agent.waitForLine(containing: "otelsw is running")
        // Kill it while lines are being written and delivered.
        while writer.next < 600 || FileLogRotationTests.sequenceCounts(output).count < 500 {
            try await writer.write(50, perBurst: 10)
        }
        let before = FileLogRotationTests.sequenceCounts(output).count
        #expect(await agent.stop(signal: SIGKILL) == SIGKILL)
        try await writer.write(2000 - writer.next)

        agent = try AgentProcess(pipeline: config, log: URL(fileURLWithPath: dir + "/agent-2.log"))
        _ = try await agent.waitForLine(containing: "resuming from checkpoints")
        try await writer.write(1000)
        var counts: [Int: Int] = [:]
        await eventually(timeout: .seconds(30), every: .milliseconds(50)) {
            counts = FileLogRotationTests.sequenceCounts(output)
            return counts.count >= writer.next
        }
        _ = await agent.stop()
        let missing = (0..<writer.next).filter { counts[$0] == nil }
        let repeated = counts.filter { $0.value > 1 }.keys.sorted()
        #expect(before >= 500 && before < 2000, "the first agent was killed in the middle (\(before) delivered)")
        #expect(missing.isEmpty, "missing \(missing.count) lines, first \(missing.prefix(10))")
        #expect(counts.values.allSatisfy { $0 <= 2 })
        // The repeats are one run of consecutive lines: those delivered after the last checkpoint.
        if let first = repeated.first, let last = repeated.last {
            #expect(last - first + 1 == repeated.count, "repeats are one contiguous window: \(repeated.prefix(20))")
        }
        #expect(repeated.count <= 1000, "\(repeated.count) repeated lines")
        print("filelog SIGKILL: \(writer.next) lines written, \(counts.count) delivered, \(repeated.count) delivered twice")
    }
}
