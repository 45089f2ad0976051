import AgentTestSupport
@testable import Components
import Foundation
import OTelModel
import OTelTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the receiver makes of awkward files, and what it remembers across restarts.
@Suite(.timeLimit(.minutes(2)), .serialized)
struct FileLogInputTests {
    @Test func longLinesInvalidUTF8BinaryAndStackTracesLoseNothingElse() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        var text = Data("seq=0 first\n".utf8)
        text.append(Data(String(repeating: "L", count: 5000).utf8))
        text.append(Data("\nseq=1 after the long line\nseq=2 bad ".utf8))
        text.append(Data([0xFF, 0xFE, 0xC3]))
        text.append(Data(" bytes\n".utf8))
        FileManager.default.createFile(atPath: dir + "/mixed.log", contents: text)
        // Random bytes: any content is cut into lines without stopping the other files.
        var binary = [UInt8](repeating: 0, count: 20000)
        for i in binary.indices { binary[i] = UInt8.random(in: 0...255) }
        FileManager.default.createFile(atPath: dir + "/binary.log", contents: Data(binary))
        FileManager.default.createFile(atPath: dir + "/after.log", contents: Data("seq=3 in the next file\n".utf8))

        let agent = try await FileLogRotationTests.agent(include: [dir + "/*.log"], output: output, extra: "max_log_size: 1kib")
        await eventually(timeout: .seconds(20)) { FileLogRotationTests.sequenceCounts(output).count >= 4 }
        let bodies = FileLogRotationTests.bodies(output)
        #expect(FileLogRotationTests.sequenceCounts(output) == [0: 1, 1: 1, 2: 1, 3: 1])
        #expect(bodies.contains(String(repeating: "L", count: 1024)), "the long line, cut at max_log_size")
        #expect(bodies.contains("seq=2 bad \u{FFFD}\u{FFFD}\u{FFFD} bytes"))
        #expect(agent.renderedMetric("otelsw_receiver_filelog_altered_records_total", ["reason": "max_log_size"]) ?? 0 >= 1)
        #expect(agent.renderedMetric("otelsw_receiver_filelog_altered_records_total", ["reason": "invalid_utf8"]) ?? 0 >= 2)
        await agent.stop()
    }

    @Test func multilineStackTraces() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        let trace = """
            2026-11-26 10:00:00 ERROR boom
            java.lang.IllegalStateException: bad
                at a.B.c(B.java:1)
                at a.B.d(B.java:2)
            2026-11-26 10:00:01 INFO fine
            """
        FileManager.default.createFile(atPath: dir + "/app.log", contents: Data((trace + "\n").utf8))
        let agent = try await FileLogRotationTests.agent(include: [dir + "/app.log"], output: output,
                                                         extra: "multiline:\n  line_start_pattern: '^\\d{4}-\\d{2}-\\d{2}'")
        // The last record is complete only after the force-flush period.
        await eventually(timeout: .seconds(20)) { FileLogRotationTests.bodies(output).count >= 2 }
        #expect(FileLogRotationTests.bodies(output) == [
            "2026-11-26 10:00:00 ERROR boom\njava.lang.IllegalStateException: bad\n    at a.B.c(B.java:1)\n    at a.B.d(B.java:2)",
            "2026-11-26 10:00:01 INFO fine",
        ])
        await agent.stop()
    }

    /// A checkpoint naming the inode a new file got (inodes are reused once a file is deleted) must
    /// not make the new file start at the old offset: its first bytes differ, so it is read whole.
    @Test func aReusedInodeDoesNotInheritTheOldOffset() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        let storage = dir + "/storage"
        let writer = FileLogRotationTests.Writer(path: dir + "/app.log")
        try await writer.write(100)
        var agent = try await FileLogRotationTests.agent(include: [dir + "/app.log"], output: output, storage: storage)
        try await FileLogRotationTests.expectEachOnce(output, expected: 100)
        await agent.stop()

        // The file is replaced by one with other content; the checkpoint is made to name the new
        // file's device and inode, as if the old inode had been handed to it.
        let store = CheckpointStore(directory: storage, receiver: "filelog")
        var entries = try #require(try store.load())
        #expect(entries.count == 1 && entries[0].offset > 0)
        writer.deleteAndRecreate()
        // Longer than the old offset, so starting there would silently skip lines.
        try await writer.write(200)
        let fresh = try #require(OpenFile.open(dir + "/app.log"))
        fresh.close()
        entries[0].identity.device = fresh.device
        entries[0].identity.inode = fresh.inode
        try store.save(entries)

        agent = try await FileLogRotationTests.agent(include: [dir + "/app.log"], output: output, storage: storage)
        try await FileLogRotationTests.expectEachOnce(output, expected: 300)
        await agent.stop()
    }
}

/// Which files are followed: old ones are left alone, and past `max_concurrent_files` files take turns.
@Suite(.timeLimit(.minutes(2)), .serialized)
struct FileLogSelectionTests {
    @Test func filesOlderThanTheLimitAreLeftAlone() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        #expect(FileManager.default.createFile(atPath: dir + "/old.log", contents: Data("seq=100 old\n".utf8)))
        let twoDaysAgo = Date().addingTimeInterval(-2 * 86400)
        try FileManager.default.setAttributes([.modificationDate: twoDaysAgo], ofItemAtPath: dir + "/old.log")
        #expect(FileManager.default.createFile(atPath: dir + "/new.log", contents: Data("seq=0 new\n".utf8)))
        let agent = try await FileLogRotationTests.agent(include: [dir + "/*.log"], output: output, extra: "exclude_older_than: 24h")
        try await FileLogRotationTests.expectEachOnce(output, expected: 1)
        // A line added to new.log: the poll that reads it globs old.log too, and would have read it
        // by then were it not left alone.
        let newLog = try #require(FileHandle(forWritingAtPath: dir + "/new.log"))
        try newLog.seekToEnd()
        try newLog.write(contentsOf: Data("seq=1 new, later\n".utf8))
        try newLog.close()
        await eventually(timeout: .seconds(20)) { FileLogRotationTests.sequenceCounts(output)[1] != nil }
        #expect(FileLogRotationTests.sequenceCounts(output) == [0: 1, 1: 1], "old.log's seq=100 never comes")
        await agent.stop()
    }

    @Test func pastMaxConcurrentFilesFilesTakeTurns() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        for i in 0..<30 {
            let text = (0..<20).map { "seq=\(i * 20 + $0) file \(i)\n" }.joined()
            #expect(FileManager.default.createFile(atPath: dir + "/f\(i).log", contents: Data(text.utf8)))
        }
        let agent = try await FileLogRotationTests.agent(include: [dir + "/*.log"], output: output, extra: "max_concurrent_files: 4")
        try await FileLogRotationTests.expectEachOnce(output, expected: 600)
        // Every file gets its turn again (closed, then opened where it stopped) without being read twice.
        await eventually(timeout: .seconds(20)) {
            agent.renderedMetric("otelsw_receiver_filelog_file_events_total", ["event": "opened"]) ?? 0 >= 90
        }
        #expect(agent.renderedMetric("otelsw_receiver_filelog_file_events_total", ["event": "opened"]) ?? 0 >= 90)
        #expect(agent.renderedMetric("otelsw_receiver_filelog_open_files") ?? 99 <= 4)
        try await FileLogRotationTests.expectEachOnce(output, expected: 600)
        await agent.stop()
    }
}
