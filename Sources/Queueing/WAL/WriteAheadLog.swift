import Foundation
import Logging
import OTelModel
import PipelineCore
import Synchronization

/// A durable FIFO of byte records in segment files: the persistent sending queue.
///
/// `append` returns once the record is written (and, with ``FsyncPolicy/everyRecord``, on disk), so a
/// receiver can acknowledge the data afterwards. Records are handed out in order by `next`; the
/// position persisted in the cursor file advances only past records acknowledged with `acknowledge`
/// (out-of-order acknowledgements wait for the ones before them). On open, the log recovers every
/// record after the cursor, truncates a torn tail, and skips corrupt records with a count — it never
/// refuses to start because of its own files. Fully delivered segments are deleted; nothing
/// undelivered is ever deleted. Capacity is bounded in bytes.
public final class WriteAheadLog: Sendable {
    public enum FsyncPolicy: Sendable, Equatable {
        /// `fdatasync` after every record before `append` returns: survives power loss.
        case everyRecord
        /// `fdatasync` at most this often: survives a process crash; a power loss may lose the last interval.
        case interval(Duration)
    }

    public struct Options: Sendable {
        public var directory: String
        public var segmentSize = 16 << 20
        public var capacityBytes = 1 << 30
        public var fsync = FsyncPolicy.everyRecord
        /// Records appended with their bytes still in memory are handed out from memory, up to this
        /// many bytes, instead of being read back from disk.
        public var memoryCacheBytes = 64 << 20
        /// The largest record `append` takes (the format's limit, which recovery checks, by default);
        /// a larger one is refused with ``RecordTooLarge`` before anything is written.
        public var maxRecordBytes = WALFormat.maxRecordSize

        public init(directory: String) { self.directory = directory }
    }

    /// Where a record starts: segment sequence number and byte offset of its header.
    public struct RecordID: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var segment: UInt64
        public var offset: Int
        public static func < (a: RecordID, b: RecordID) -> Bool { (a.segment, a.offset) < (b.segment, b.offset) }
        public var description: String { "\(segment):\(offset)" }
    }

    public struct Record: Sendable {
        public var id: RecordID
        /// The first bytes of the payload, when `next(prefixLength:)` asked for them apart.
        public var prefix: [UInt8] = []
        /// The (rest of the) payload, in storage of its own (model data can be decoded as views into it).
        public var storage: ByteStorage
        public var payload: [UInt8] { prefix + Array(storage.buffer) }
    }

    /// What opening the log found.
    public struct RecoveryReport: Sendable, Equatable {
        /// Records waiting to be delivered.
        public var records = 0
        public var bytes = 0
        /// Records (or unreadable spans of a segment) skipped because their checksum or length was wrong.
        public var corruptRecords = 0
        public var corruptBytes = 0
        /// Bytes of an incomplete last record, cut off.
        public var truncatedBytes = 0
        /// The cursor file was unreadable, so delivery restarts at the oldest segment (duplicates, no loss).
        public var cursorReset = false

        public init() {}
    }

    /// A record larger than ``Options/maxRecordBytes``: nothing was written.
    public struct RecordTooLarge: Error, CustomStringConvertible, Sendable {
        public var bytes: Int
        public var limit: Int
        public var description: String { "a record of \(bytes) bytes exceeds the persistent queue's limit of \(limit) bytes" }
    }

    /// The log has no room for a record: the queue is full.
    public struct FullError: Error, CustomStringConvertible, Sendable {
        public var capacity: Int
        public var description: String { "persistent queue is full (\(capacity) bytes)" }
    }

    /// A record that cannot be read back intact (failed its checksum, cut short, or an I/O error);
    /// it is not handed out again, and the caller should acknowledge it to move past it.
    public struct UnreadableRecord: Error, CustomStringConvertible, Sendable {
        public var id: RecordID
        public var reason: String
        public var description: String { "record \(id) of the persistent queue is unreadable: \(reason)" }
    }

    private struct Entry {
        var id: RecordID
        var length: Int
        var crc: UInt32
        var checksum: WALFormat.Checksum
    }

    private struct State {
        var files: [UInt64: SegmentFile] = [:]
        var sizes: [UInt64: Int] = [:]
        var writer: UInt64 = 0
        /// Live records from the cursor on, in log order; `entries[base...]`.
        var entries: [Entry] = []
        var base = 0
        var nextToHand = 0
        var acked: Set<RecordID> = []
        /// Records handed out and given back undelivered; handed out again first.
        var released: [Entry] = []
        var usedBytes = 0
        /// Records whose bytes are still in memory (see ``Options/memoryCacheBytes``).
        var cached: [RecordID: (prefix: [UInt8], storage: ByteStorage)] = [:]
        var cachedBytes = 0
        var unsynced = false
        var closed = false
    }

    public let options: Options
    let logger: Logger
    private let state: Mutex<State>

    private init(options: Options, state: State, logger: Logger) {
        self.options = options
        self.logger = logger
        self.state = Mutex(state)
    }

    // MARK: Opening and recovery

    /// Opens (creating if needed) the log in `options.directory` and recovers what is there.
    public static func open(_ options: Options, logger: Logger) throws(PersistenceError) -> (WriteAheadLog, RecoveryReport) {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
        } catch {
            throw PersistenceError(message: "cannot create \(options.directory): \(error.localizedDescription)")
        }
        var report = RecoveryReport()
        var state = State()
        let names = ((try? fm.contentsOfDirectory(atPath: options.directory)) ?? []).compactMap { name -> (UInt64, String)? in
            WALFormat.sequence(ofSegment: name).map { ($0, name) }
        }.sorted { $0.0 < $1.0 }

        var cursor = readCursor(options.directory)
        if cursor == nil && FileManager.default.fileExists(atPath: cursorPath(options.directory)) {
            report.cursorReset = true
            logger.error("the persistent queue's cursor file is unreadable; delivering again from the oldest segment", metadata: ["directory": "\(options.directory)"])
        }
        if let c = cursor, !names.contains(where: { $0.0 >= c.segment }) { cursor = nil }

        for (sequence, name) in names {
            let path = options.directory + "/" + name
            if let c = cursor, sequence < c.segment {
                // Every record in it was delivered; it survived only because we stopped before deleting it.
                try? fm.removeItem(atPath: path)
                continue
            }
            let file = try SegmentFile.open(path, create: false)
            var size = file.size
            let magic = try file.read(count: WALFormat.headerSize, at: 0)
            guard let checksum = WALFormat.checksum(forMagic: magic) else {
                file.close()
                if size <= WALFormat.headerSize {
                    // Created but never written: a crash between creating and writing the magic.
                    try? fm.removeItem(atPath: path)
                    continue
                }
                report.corruptRecords += 1
                report.corruptBytes += size
                logger.error("persistent queue segment has no valid header; skipped and renamed", metadata: ["file": "\(path)"])
                try? fm.moveItem(atPath: path, toPath: path + ".corrupt")
                continue
            }
            var position = WALFormat.headerSize
            if let c = cursor, sequence == c.segment { position = min(max(c.offset, WALFormat.headerSize), size) }
            let isLast = sequence == names.last?.0
            while position + 8 <= size {
                let header = try file.read(count: 8, at: position)
                let (length, crc) = header.withUnsafeBytes { (Int(WALFormat.readUInt32($0, 0)), WALFormat.readUInt32($0, 4)) }
                if length == 0 || length > WALFormat.maxRecordSize || position + 8 + length > size {
                    if isLast {
                        break  // a torn tail; cut below
                    }
                    report.corruptRecords += 1
                    report.corruptBytes += size - position
                    logger.error("persistent queue segment has an unreadable record; skipping the rest of the segment",
                                 metadata: ["file": "\(path)", "offset": "\(position)"])
                    position = size
                    break
                }
                let payload = try file.read(count: length, at: position + 8)
                if checksum.of(payload) != crc {
                    report.corruptRecords += 1
                    report.corruptBytes += 8 + length
                    logger.error("persistent queue record failed its checksum; skipped", metadata: ["file": "\(path)", "offset": "\(position)"])
                } else {
                    state.entries.append(Entry(id: RecordID(segment: sequence, offset: position), length: length, crc: crc, checksum: checksum))
                    report.records += 1
                    report.bytes += length
                }
                position += 8 + length
            }
            if position < size && isLast {
                report.truncatedBytes += size - position
                logger.warning("persistent queue: cutting off an incomplete last record", metadata: ["file": "\(path)", "bytes": "\(size - position)"])
                try file.truncate(to: position)
                try file.sync()
                size = position
            }
            state.files[sequence] = file
            state.sizes[sequence] = size
            state.usedBytes += size
        }

        // New data goes to a fresh segment, never after a recovered tail.
        state.writer = (names.last?.0 ?? 0) + 1
        let log = WriteAheadLog(options: options, state: state, logger: logger)
        try log.state.withLock { s throws(PersistenceError) in try log.startSegment(&s, sequence: s.writer) }
        return (log, report)
    }

    private func startSegment(_ s: inout State, sequence: UInt64) throws(PersistenceError) {
        let path = options.directory + "/" + WALFormat.segmentName(sequence)
        let file = try SegmentFile.open(path, create: true)
        try file.write(WALFormat.magic, at: 0)
        try file.sync()
        SegmentFile.syncDirectory(options.directory)
        s.files[sequence] = file
        s.sizes[sequence] = WALFormat.headerSize
        s.usedBytes += WALFormat.headerSize
        s.writer = sequence
    }

    // MARK: Writing

    /// Appends one record; durable on return as the fsync policy says. Throws ``FullError`` at capacity.
    @discardableResult
    public func append(_ payload: [UInt8]) throws -> RecordID {
        try payload.withUnsafeBytes { try append(raw: $0) }
    }

    /// Appends one record made of a small `prefix` followed by `payload`, without joining them first
    /// (see ``append(_:)``).
    ///
    /// When `keeping` holds exactly the bytes of `payload`, the record is handed out from it while it
    /// waits (within ``Options/memoryCacheBytes``): it never needs reading back from disk.
    @discardableResult
    public func append(prefix: [UInt8] = [], raw payload: UnsafeRawBufferPointer, keeping storage: ByteStorage? = nil) throws -> RecordID {
        let length = prefix.count + payload.count
        // Recovery refuses what the format cannot frame; refusing it here keeps a restart from
        // cutting the segment at this record.
        guard length > 0, length <= min(options.maxRecordBytes, WALFormat.maxRecordSize) else {
            throw RecordTooLarge(bytes: length, limit: min(options.maxRecordBytes, WALFormat.maxRecordSize))
        }
        let crc = WALFormat.Checksum.crc32c.of(payload, seed: WALFormat.Checksum.crc32c.of(prefix))
        let header = WALFormat.littleEndian(UInt32(length)) + WALFormat.littleEndian(crc) + prefix
        let frameCount = header.count + payload.count
        return try state.withLock { s throws -> RecordID in
            guard !s.closed else { throw PersistenceError(message: "the persistent queue is closed") }
            guard s.usedBytes + frameCount <= options.capacityBytes else { throw FullError(capacity: options.capacityBytes) }
            if let size = s.sizes[s.writer], size > WALFormat.headerSize, size + frameCount > options.segmentSize {
                try s.files[s.writer]?.sync()
                try startSegment(&s, sequence: s.writer + 1)
            }
            let offset = s.sizes[s.writer] ?? WALFormat.headerSize
            guard let file = s.files[s.writer] else { throw PersistenceError(message: "no open segment") }
            try file.write(header: header, payload: payload, at: offset)
            if options.fsync == .everyRecord {
                try file.sync()
            } else {
                s.unsynced = true
            }
            let id = RecordID(segment: s.writer, offset: offset)
            s.entries.append(Entry(id: id, length: length, crc: crc, checksum: .crc32c))
            if let storage, storage.count == payload.count, s.cachedBytes + storage.count <= options.memoryCacheBytes {
                s.cached[id] = (prefix, storage)
                s.cachedBytes += storage.count
            }
            s.sizes[s.writer] = offset + frameCount
            s.usedBytes += frameCount
            return id
        }
    }

    /// Flushes written records to disk (the interval policy's timer calls this).
    public func sync() throws {
        try state.withLock { s throws in
            guard s.unsynced, let file = s.files[s.writer] else { return }
            try file.sync()
            s.unsynced = false
        }
    }

    // MARK: Reading and acknowledging

    /// The next record to deliver, or nil when all are handed out. With `prefixLength`, that many
    /// leading bytes come apart in ``Record/prefix`` and the storage holds only the rest. The record
    /// is checked against its checksum; one that fails throws ``UnreadableRecord``.
    public func next(prefixLength: Int = 0) throws(UnreadableRecord) -> Record? {
        let picked: (Entry, SegmentFile?, (prefix: [UInt8], storage: ByteStorage)?)? = state.withLock { s in
            let entry: Entry
            if !s.released.isEmpty {
                entry = s.released.removeFirst()
            } else if s.nextToHand < s.entries.count {
                entry = s.entries[s.nextToHand]
                s.nextToHand += 1
            } else {
                return nil
            }
            if let kept = s.cached[entry.id], kept.prefix.count == prefixLength { return (entry, nil, kept) }
            guard let file = s.files[entry.id.segment] else { return nil }
            return (entry, file, nil)
        }
        guard let (entry, segment, kept) = picked else { return nil }
        if let kept { return Record(id: entry.id, prefix: kept.prefix, storage: kept.storage) }
        guard let file = segment else { return nil }
        let split = min(prefixLength, entry.length)
        let prefix: [UInt8]
        let stored: ByteStorage?
        do {
            prefix = split > 0 ? try file.read(count: split, at: entry.id.offset + 8) : []
            stored = try file.readStorage(count: entry.length - split, at: entry.id.offset + 8 + split)
        } catch {
            throw UnreadableRecord(id: entry.id, reason: error.description)
        }
        guard prefix.count == split, let storage = stored else {
            throw UnreadableRecord(id: entry.id, reason: "shorter than its header says")
        }
        guard entry.checksum.of(storage.buffer, seed: entry.checksum.of(prefix)) == entry.crc else {
            throw UnreadableRecord(id: entry.id, reason: "failed its checksum")
        }
        return Record(id: entry.id, prefix: prefix, storage: storage)
    }

    /// Gives back a record that was not delivered; `next` hands it out again before newer ones.
    public func release(_ id: RecordID) {
        state.withLock { s in
            guard let entry = s.entries[s.base...].first(where: { $0.id == id }) else { return }
            let i = s.released.firstIndex { $0.id > id } ?? s.released.endIndex
            s.released.insert(entry, at: i)
        }
    }

    /// Marks a record delivered. The cursor advances past every record delivered in order, and
    /// segments left behind are deleted.
    public func acknowledge(_ id: RecordID) throws {
        try state.withLock { s throws in
            s.acked.insert(id)
            if let kept = s.cached.removeValue(forKey: id) { s.cachedBytes -= kept.storage.count }
            var moved = false
            while s.base < s.entries.count, s.acked.remove(s.entries[s.base].id) != nil {
                s.base += 1
                moved = true
            }
            guard moved else { return }
            let cursor = s.base < s.entries.count ? s.entries[s.base].id : RecordID(segment: s.writer, offset: s.sizes[s.writer] ?? WALFormat.headerSize)
            try writeCursor(cursor)
            for (sequence, file) in s.files where sequence < cursor.segment {
                file.close()
                try? FileManager.default.removeItem(atPath: options.directory + "/" + WALFormat.segmentName(sequence))
                s.usedBytes -= s.sizes[sequence] ?? 0
                s.files[sequence] = nil
                s.sizes[sequence] = nil
            }
            if s.base > 1024 && s.base * 2 > s.entries.count {
                s.entries.removeFirst(s.base)
                s.nextToHand -= s.base
                s.base = 0
            }
        }
    }

    /// Records not yet acknowledged (queued or in flight).
    public var pendingRecords: Int { state.withLock { $0.entries.count - $0.base } }
    /// Bytes of the live segment files.
    public var usedBytes: Int { state.withLock { $0.usedBytes } }

    /// Syncs and closes the files. Undelivered records stay for the next open.
    public func close() {
        state.withLock { s in
            guard !s.closed else { return }
            s.closed = true
            for file in s.files.values {
                try? file.sync()
                file.close()
            }
            s.files = [:]
        }
    }

    // MARK: Cursor file

    static func cursorPath(_ directory: String) -> String { directory + "/cursor" }

    private func writeCursor(_ cursor: RecordID) throws(PersistenceError) {
        var bytes = WALFormat.littleEndian(cursor.segment) + WALFormat.littleEndian(UInt64(cursor.offset))
        bytes += WALFormat.littleEndian(WALFormat.Checksum.crc32.of(bytes))
        let path = Self.cursorPath(options.directory)
        let temporary = path + ".tmp"
        let file = try SegmentFile.open(temporary, create: true)
        defer { file.close() }
        try file.write(bytes, at: 0)
        if options.fsync == .everyRecord { try file.sync() }
        guard rename(temporary, path) == 0 else { throw .errno("cannot rename", temporary) }
    }

    static func readCursor(_ directory: String) -> RecordID? {
        guard let data = FileManager.default.contents(atPath: cursorPath(directory)), data.count == 20 else { return nil }
        let bytes = Array(data)
        let crc = bytes.withUnsafeBytes { WALFormat.readUInt32($0, 16) }
        guard WALFormat.Checksum.crc32.of(Array(bytes[0..<16])) == crc else { return nil }
        return bytes.withUnsafeBytes { RecordID(segment: WALFormat.readUInt64($0, 0), offset: Int(WALFormat.readUInt64($0, 8))) }
    }
}
