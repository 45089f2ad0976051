@testable import Components
import Foundation
import Logging
import PipelineCore
import Queueing
import Runtime
import Telemetry
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The tailer poll by poll, with file changes made between polls: what a slow poll sees under load.
@Suite struct FileTailerTests {
    /// Reads what every returned file has and settles it, as an accepted batch would.
    static func pollAndRead(_ tailer: FileTailer, now: UInt64) -> [String] {
        var lines: [String] = []
        for f in tailer.poll(now: now, wallClock: Date().timeIntervalSince1970) {
            var records: [RecordSplitter.Record] = []
            _ = f.read(limit: 1 << 20, chunk: 1 << 16, into: &records)
            lines += records.map(\.bytes.string)
            f.settled = f.consumed
        }
        return lines
    }

    @Test func aFileTruncatedToNothingBeforeItsCopyAppearsIsFollowedIntoTheCopy() throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = FileLogConfig(include: [dir + "/app.log*"])
        config.startAtBeginning = true
        let tailer = FileTailer(config: config, checkpoints: nil, counters: FileLogCounters(telemetry: SelfTelemetry(version: "t"), id: ComponentID(type: "filelog"), operatorTypes: []), logger: Logger(label: "t"))
        let first = (0..<10).map { "seq=\($0)\n" }.joined()
        #expect(FileManager.default.createFile(atPath: dir + "/app.log", contents: Data(first.utf8)))
        #expect(Self.pollAndRead(tailer, now: 1) == (0..<10).map { "seq=\($0)" })

        // Two more lines land, then the file is cut to nothing; this poll sees it empty, no copy yet.
        let all = first + "seq=10\nseq=11\n"
        #expect(truncate(dir + "/app.log", 0) == 0)
        #expect(Self.pollAndRead(tailer, now: 2).isEmpty)
        // The copy (made before the cut, with the two lines) shows up at the next poll.
        #expect(FileManager.default.createFile(atPath: dir + "/app.log.1", contents: Data(all.utf8)))
        #expect(Self.pollAndRead(tailer, now: 3) == ["seq=10", "seq=11"], "only what had not been read, from the copy")
        #expect(Self.pollAndRead(tailer, now: 4).isEmpty)
    }
}

/// What may stand where a log file was: only a regular file is opened. A FIFO swapped in after the
/// glob saw a file would block an ordinary `open` for ever; a directory or device is no log.
@Suite(.timeLimit(.minutes(1))) struct OpenFileTests {
    @Test func onlyRegularFilesOpen() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-open-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/app.log"
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(OpenFile.open(fifo) == nil, "a FIFO is refused without blocking")
        #expect(OpenFile.open(dir) == nil, "a directory is refused")
        #expect(OpenFile.open("/dev/zero") == nil, "a device is refused")
        let file = dir + "/real.log"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x\n".utf8)))
        let opened = try #require(OpenFile.open(file))
        #expect(opened.size == 2)
        opened.close()
    }
}
