import Foundation
import Logging
import OTelModel
@testable import Queueing
import Runtime
import Testing

/// The write-ahead log on real files: order, acknowledgement, recovery after reopen, torn tails,
/// corrupt records and segments, an unreadable cursor, capacity and segment deletion.
@Suite struct WriteAheadLogTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-wal-\(UUID().uuidString)").path
    let logger = Logger(label: "wal-test")

    func options(segmentSize: Int = 1 << 20, capacity: Int = 1 << 30) -> WriteAheadLog.Options {
        var o = WriteAheadLog.Options(directory: directory)
        o.segmentSize = segmentSize
        o.capacityBytes = capacity
        return o
    }

    func payload(_ i: Int, size: Int = 40) -> [UInt8] { (0..<size).map { UInt8(truncatingIfNeeded: i &* 31 &+ $0) } }

    func drain(_ log: WriteAheadLog) throws -> [WriteAheadLog.Record] {
        var out: [WriteAheadLog.Record] = []
        while let r = try log.next() { out.append(r) }
        return out
    }

    func segments() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".wal") }.sorted()
    }

    @Test func deliversInOrderAndResumesAfterTheLastAcknowledged() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var (log, report) = try WriteAheadLog.open(options(), logger: logger)
        #expect(report == .init())
        for i in 0..<5 { try log.append(payload(i)) }
        let first = try #require(try log.next())
        _ = try log.next()
        #expect(first.payload == payload(0))
        try log.acknowledge(first.id)
        log.close()

        (log, report) = try WriteAheadLog.open(options(), logger: logger)
        #expect(report.records == 4, "the unacknowledged second record and the three never handed out")
        #expect(try drain(log).map(\.payload) == (1..<5).map { payload($0) })
        log.close()
    }

    @Test func outOfOrderAcknowledgementsWaitForEarlierRecords() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var (log, _) = try WriteAheadLog.open(options(), logger: logger)
        for i in 0..<4 { try log.append(payload(i)) }
        let records = try drain(log)
        try log.acknowledge(records[2].id)
        try log.acknowledge(records[0].id)
        #expect(log.pendingRecords == 3)
        log.close()
        var report: WriteAheadLog.RecoveryReport
        (log, report) = try WriteAheadLog.open(options(), logger: logger)
        // Record 1 was never acknowledged, so 1, 2 and 3 come again (2 as a duplicate).
        #expect(report.records == 3)
        #expect(try drain(log).map(\.payload) == [payload(1), payload(2), payload(3)])
        log.close()
    }

    @Test func releasedRecordsComeBackFirst() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (log, _) = try WriteAheadLog.open(options(), logger: logger)
        for i in 0..<3 { try log.append(payload(i)) }
        let a = try #require(try log.next())
        let b = try #require(try log.next())
        log.release(b.id)
        log.release(a.id)
        #expect(try drain(log).map(\.payload) == [payload(0), payload(1), payload(2)])
        log.close()
    }

    @Test func deliveredSegmentsAreDeletedAndCapacityIsBounded() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (log, _) = try WriteAheadLog.open(options(segmentSize: 200, capacity: 1000), logger: logger)
        var appended = 0
        do {
            for i in 0..<100 {
                try log.append(payload(i))
                appended += 1
            }
        } catch let error as WriteAheadLog.FullError {
            #expect(error.capacity == 1000)
        }
        #expect(appended > 5 && appended < 100)
        #expect(log.usedBytes <= 1000)
        #expect(segments().count > 2)
        for r in try drain(log) { try log.acknowledge(r.id) }
        #expect(segments().count == 1, "only the segment being written remains: \(segments())")
        try log.append(payload(999))
        #expect(log.pendingRecords == 1)
        log.close()
    }

    @Test func aTornTailIsCutAndTheRestRecovered() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var (log, _) = try WriteAheadLog.open(options(), logger: logger)
        for i in 0..<3 { try log.append(payload(i)) }
        log.close()
        let path = directory + "/" + segments().last!
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data([100, 0, 0, 0, 1, 2, 3, 4, 9, 9]))   // a header promising 100 bytes, then 2
        try handle.close()
        let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int

        var report: WriteAheadLog.RecoveryReport
        (log, report) = try WriteAheadLog.open(options(), logger: logger)
        #expect(report.records == 3)
        #expect(report.truncatedBytes == 10)
        #expect(report.corruptRecords == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int == before - 10)
        #expect(try drain(log).map(\.payload) == (0..<3).map { payload($0) })
        log.close()
    }

    @Test func aCorruptRecordIsSkippedAndCounted() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var (log, _) = try WriteAheadLog.open(options(), logger: logger)
        for i in 0..<3 { try log.append(payload(i)) }
        log.close()
        let path = directory + "/" + segments().last!
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Flip a byte in the middle record's payload: magic 8 + record 0 (8 + 40) + header 8 + 5.
        bytes[8 + 48 + 8 + 5] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))

        var report: WriteAheadLog.RecoveryReport
        (log, report) = try WriteAheadLog.open(options(), logger: logger)
        #expect(report.corruptRecords == 1 && report.corruptBytes == 48)
        #expect(report.records == 2)
        #expect(try drain(log).map(\.payload) == [payload(0), payload(2)])
        log.close()
    }

    @Test func aRecordDamagedAfterItWasWrittenIsRefusedWhenReadBack() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (log, _) = try WriteAheadLog.open(options(), logger: logger)
        for i in 0..<3 { try log.append(payload(i)) }
        // The disk flips a byte of the middle record while the log is open.
        let handle = try #require(FileHandle(forUpdatingAtPath: directory + "/" + segments().last!))
        try handle.seek(toOffset: UInt64(8 + 48 + 8 + 5))
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: UInt64(8 + 48 + 8 + 5))
        try handle.write(contentsOf: [byte ^ 0x01])
        try handle.close()

        #expect(try log.next()?.payload == payload(0))
        do {
            _ = try log.next()
            Issue.record("a damaged record was handed out")
        } catch {
            #expect(error.reason == "failed its checksum")
            try log.acknowledge(error.id)
        }
        #expect(try log.next()?.payload == payload(2))
        log.close()
    }

    /// Records appended with their bytes in memory are handed out from memory (within the budget);
    /// the others are read back from disk and checked.
    @Test func recordsStillInMemoryAreNotReadBack() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var o = options()
        o.memoryCacheBytes = 50
        let (log, _) = try WriteAheadLog.open(o, logger: logger)
        for i in 0..<2 {
            let p = payload(i)
            let storage = ByteStorage(copying: p)
            try p.withUnsafeBytes { _ = try log.append(prefix: [9, 9, 9, 9], raw: $0, keeping: storage) }
        }
        // Damage both records on disk: the first is served from memory, the second (over the
        // 50-byte budget) is read back and refused.
        let handle = try #require(FileHandle(forUpdatingAtPath: directory + "/" + segments().last!))
        for offset in [8 + 8 + 4 + 5, 8 + 52 + 8 + 4 + 5] {
            try handle.seek(toOffset: UInt64(offset))
            try handle.write(contentsOf: [0xEE])
        }
        try handle.close()
        let first = try #require(try log.next(prefixLength: 4))
        #expect(first.prefix == [9, 9, 9, 9])
        #expect(Array(first.storage.buffer) == payload(0))
        do {
            _ = try log.next(prefixLength: 4)
            Issue.record("the damaged second record was handed out")
        } catch {
            #expect(error.reason == "failed its checksum")
        }
        log.close()
    }

    /// Segments of the first format (magic `OTSWAL01`, CRC-32 as zlib computes it) are still read.
    @Test func segmentsOfTheFirstFormatAreStillRead() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func crc32(_ bytes: [UInt8]) -> UInt32 {
            var reg: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                reg ^= UInt32(b)
                for _ in 0..<8 { reg = (reg >> 1) ^ (0xEDB8_8320 & (0 &- (reg & 1))) }
            }
            return ~reg
        }
        func le(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        var file = Array("OTSWAL01".utf8)
        for i in 0..<2 { file += le(40) + le(crc32(payload(i))) + payload(i) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(file).write(to: URL(fileURLWithPath: directory + "/00000000000000000001.wal"))

        let (log, report) = try WriteAheadLog.open(options(), logger: logger)
        #expect(report.records == 2 && report.corruptRecords == 0)
        try log.append(payload(2))
        #expect(try drain(log).map(\.payload) == [payload(0), payload(1), payload(2)])
        log.close()
    }

    @Test func aForeignSegmentIsSetAsideAndAnUnreadableCursorRestartsDelivery() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var (log, _) = try WriteAheadLog.open(options(), logger: logger)
        for i in 0..<3 { try log.append(payload(i)) }
        let r = try #require(try log.next())
        try log.acknowledge(r.id)
        log.close()
        try Data("not a segment at all".utf8).write(to: URL(fileURLWithPath: directory + "/00000000000000000000.wal"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory + "/cursor"))

        var report: WriteAheadLog.RecoveryReport
        (log, report) = try WriteAheadLog.open(options(), logger: logger)
        #expect(report.cursorReset)
        #expect(report.corruptRecords == 1)
        #expect(FileManager.default.fileExists(atPath: directory + "/00000000000000000000.wal.corrupt"))
        // Delivery restarts at the oldest record: the acknowledged one comes again, nothing is lost.
        #expect(try drain(log).map(\.payload) == (0..<3).map { payload($0) })
        log.close()
    }
}

/// Records larger than recovery accepts are refused at append, before anything is written, so a
/// restart never cuts a segment at one (and loses every record after it).
@Suite struct WriteAheadLogRecordLimitTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-wal-limit-\(UUID().uuidString)").path
    let logger = Logger(label: "wal-test")

    @Test func aRecordOverTheLimitIsRefusedAndTheLogStaysWhole() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = WriteAheadLog.Options(directory: directory)
        options.maxRecordBytes = 100
        var (log, _) = try WriteAheadLog.open(options, logger: logger)
        try log.append([UInt8](repeating: 1, count: 100))
        #expect(throws: WriteAheadLog.RecordTooLarge.self) { try log.append([UInt8](repeating: 2, count: 101)) }
        try log.append([UInt8](repeating: 3, count: 10))
        // The format's own limit holds whatever the option says.
        var unlimited = options
        unlimited.maxRecordBytes = .max
        log.close()
        (log, _) = try WriteAheadLog.open(unlimited, logger: logger)
        let huge = [UInt8](repeating: 0, count: WALFormat.maxRecordSize + 1)
        #expect(throws: WriteAheadLog.RecordTooLarge.self) { try log.append(huge) }
        log.close()
        let (reopened, report) = try WriteAheadLog.open(options, logger: logger)
        #expect(report.records == 2 && report.corruptRecords == 0 && report.truncatedBytes == 0)
        #expect(try reopened.next()?.payload == [UInt8](repeating: 1, count: 100))
        #expect(try reopened.next()?.payload == [UInt8](repeating: 3, count: 10))
        reopened.close()
    }
}
