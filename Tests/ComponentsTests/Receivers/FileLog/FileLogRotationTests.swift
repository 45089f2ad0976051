import AgentTestSupport
@testable import Components
import Foundation
import OTelModel
import OTelTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Real files written at a steady pace and rotated under a real `filelog` receiver; the records come
/// out through a `file` exporter and are checked by their sequence numbers: every line once.
@Suite(.timeLimit(.minutes(2)), .serialized)
struct FileLogRotationTests {
    /// Appends numbered lines to a file the way an application does, and rotates it.
    final class Writer {
        let path: String
        private(set) var fd: Int32 = -1
        private(set) var next = 0
        let pad: String

        init(path: String, pad: Int = 24) {
            self.path = path
            self.pad = String(repeating: "x", count: pad)
            reopen()
        }

        deinit { if fd >= 0 { Glibc.close(fd) } }

        func reopen() {
            if fd >= 0 { Glibc.close(fd) }
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            precondition(fd >= 0, "cannot open \(path)")
        }

        /// Writes `count` lines, `perBurst` at a time with a pause between bursts (the writer's pace).
        func write(_ count: Int, perBurst: Int = 20) async throws {
            var left = count
            while left > 0 {
                let n = min(perBurst, left)
                var text = ""
                for _ in 0..<n {
                    text += "seq=\(next) \(pad)\n"
                    next += 1
                }
                let written = text.utf8CString.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
                precondition(written == text.utf8.count)
                left -= n
                try await Task.sleep(for: .milliseconds(5))
            }
        }

        /// logrotate `create`: the file is renamed; the application writes a few more lines to the old
        /// file before it reopens the path.
        func renameRotate(to rotated: String, linesAfter: Int) async throws {
            precondition(rename(path, rotated) == 0)
            try await write(linesAfter)
            reopen()
        }

        /// logrotate `copytruncate`: the content is copied, then the file is cut to zero in place.
        func copyTruncate(to copy: String) throws {
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            precondition(ftruncate(fd, 0) == 0)
        }

        func deleteAndRecreate() {
            precondition(unlink(path) == 0)
            reopen()
        }
    }

    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-filelog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func agent(include: [String], output: String, extra: String = "", storage: String? = nil) async throws -> TestAgent {
        let storageYAML = storage.map { "extensions:\n  file_storage:\n    directory: \($0)\n" } ?? ""
        return try await TestAgent(yaml: """
            \(storageYAML)receivers:
              filelog:
                include: [\(include.joined(separator: ", "))]
                start_at: beginning
                poll_interval: 20ms
                force_flush_period: 200ms
            \(extra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            \(storage != nil ? "    storage: file_storage" : "")
            exporters:
              file:
                path: \(output)
                sending_queue:
                  enabled: false
            service:
              \(storage != nil ? "extensions: [file_storage]" : "")
              pipelines:
                logs:
                  receivers: [filelog]
                  exporters: [file]
            """)
    }

    /// The bodies written to `output` so far, in order.
    static func bodies(_ output: String) -> [String] {
        guard let text = try? String(contentsOfFile: output, encoding: .utf8) else { return [] }
        var out: [String] = []
        for line in text.split(separator: "\n") {
            guard let data = try? LogsData(json: Array(line.utf8)) else { continue }
            for rl in data.resourceLogs {
                for sl in rl.scopeLogs {
                    for r in sl.logRecords {
                        if case .string(let s) = r.body { out.append(s.string) }
                    }
                }
            }
        }
        return out
    }

    /// How many times each sequence number arrived.
    static func sequenceCounts(_ output: String) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for body in bodies(output) {
            guard body.hasPrefix("seq="), let n = Int(body.dropFirst(4).prefix { $0.isNumber }) else { continue }
            counts[n, default: 0] += 1
        }
        return counts
    }

    /// Waits until `expected` sequence numbers arrived (or the deadline passed) and checks each arrived once.
    static func expectEachOnce(_ output: String, expected: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        var counts: [Int: Int] = [:]
        await eventually(timeout: .seconds(30), every: .milliseconds(50)) {
            counts = sequenceCounts(output)
            return counts.count >= expected
        }
        let missing = (0..<expected).filter { counts[$0] == nil }
        let repeated = counts.filter { $0.value > 1 }.keys.sorted()
        #expect(missing.isEmpty, "missing \(missing.count) lines, first \(missing.prefix(10))", sourceLocation: sourceLocation)
        #expect(repeated.isEmpty, "\(repeated.count) lines more than once, first \(repeated.prefix(10))", sourceLocation: sourceLocation)
        #expect(counts.count == expected, sourceLocation: sourceLocation)
    }

    @Test func renameAndCreateWithWritesToTheOldFileAfterTheRename() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        let writer = Writer(path: dir + "/app.log")
        let agent = try await Self.agent(include: [dir + "/app.log"], output: output)
        for round in 0..<3 {
            try await writer.write(200)
            // The rotated name is outside the pattern: its last lines come through the open handle.
            try await writer.renameRotate(to: dir + "/app.log.\(round)", linesAfter: 30)
        }
        try await writer.write(100)
        try await Self.expectEachOnce(output, expected: writer.next)
        // Each rotated file is closed once it has been quiet for a second.
        await eventually(timeout: .seconds(10), every: .milliseconds(50)) {
            agent.renderedMetric("otelsw_receiver_filelog_file_events_total", ["event": "closed"]) ?? 0 >= 3
        }
        #expect(agent.renderedMetric("otelsw_receiver_filelog_file_events_total", ["event": "closed"]) == 3)
        #expect(agent.renderedMetric("otelsw_receiver_filelog_open_files") == 1)
        await agent.stop()
    }

    @Test func copytruncateWithTheCopyInThePattern() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        let writer = Writer(path: dir + "/app.log")
        let agent = try await Self.agent(include: [dir + "/app.log*"], output: output)
        for round in 0..<3 {
            try await writer.write(200)
            try writer.copyTruncate(to: dir + "/app.log.\(round)")
        }
        try await writer.write(100)
        try await Self.expectEachOnce(output, expected: writer.next)
        #expect(agent.renderedMetric("otelsw_receiver_filelog_file_events_total", ["event": "truncated"]) ?? 0 >= 3)
        await agent.stop()
    }

    @Test func deleteAndRecreate() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        let writer = Writer(path: dir + "/app.log")
        let agent = try await Self.agent(include: [dir + "/*.log"], output: output)
        for _ in 0..<3 {
            try await writer.write(200)
            writer.deleteAndRecreate()
        }
        try await writer.write(100)
        try await Self.expectEachOnce(output, expected: writer.next)
        await agent.stop()
    }

    @Test func smallFilesAndFilesThatStartAlike() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        let agent = try await Self.agent(include: [dir + "/*.log"], output: output)
        // Two files whose first bytes are the same, both shorter than the fingerprint for a while.
        let a = Writer(path: dir + "/a.log", pad: 0)
        let b = Writer(path: dir + "/b.log", pad: 0)
        for fd in [a.fd, b.fd] { _ = "header\n".utf8CString.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, 7) } }
        try await Task.sleep(for: .milliseconds(100))
        for _ in 0..<10 {
            try await a.write(3, perBurst: 1)
            try await b.write(3, perBurst: 1)
        }
        await eventually(timeout: .seconds(30), every: .milliseconds(50)) { Self.bodies(output).count >= 62 }
        let bodies = Self.bodies(output)
        #expect(bodies.filter { $0 == "header" }.count == 2, "each file's first line once")
        // The writers share the numbering: a wrote 0,1,2, b 0,1,2, a 3,4,5 ... so each number twice.
        var counts: [String: Int] = [:]
        for body in bodies where body != "header" { counts[body, default: 0] += 1 }
        #expect(counts.count == 30 && counts.values.allSatisfy { $0 == 2 }, "\(counts.filter { $0.value != 2 })")
        await agent.stop()
    }

    @Test func twoHundredFilesAtOnce() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        for i in 0..<200 {
            let text = (0..<50).map { "seq=\(i * 50 + $0) file \(i)\n" }.joined()
            FileManager.default.createFile(atPath: dir + "/f\(i).log", contents: Data(text.utf8))
        }
        let agent = try await Self.agent(include: [dir + "/*.log"], output: output)
        try await Self.expectEachOnce(output, expected: 200 * 50)
        #expect(agent.renderedMetric("otelsw_receiver_filelog_open_files") == 200)
        await agent.stop()
    }
}
