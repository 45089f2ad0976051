import Foundation
import OTelModel

/// Turns the bytes of one file into log records: lines end at `\n`; the multiline rule joins lines;
/// records are trimmed and capped at `maxLogSize`.
///
/// Bytes that do not yet make a whole record (a last line without its newline, a multiline record
/// that may go on) are held, and ``consumed`` — the offset a checkpoint may name — stays before them.
/// Complete lines inside one read are not copied: their records point into the read's storage.
struct RecordSplitter {
    struct Settings: Sendable {
        var maxLogSize = 1 << 20
        var multiline: Multiline?
        var trimLeading = true
        var trimTrailing = true
    }

    enum Multiline: Sendable {
        /// A line matching the pattern starts a record; the lines after it belong to it.
        case lineStart(LinePattern)
        /// A line matching the pattern ends a record.
        case lineEnd(LinePattern)
    }

    /// One record: its bytes (trimmed, at most `maxLogSize`) and the file offset just past it.
    struct Record {
        var bytes: ByteString
        var end: Int64
        /// It was cut at `maxLogSize`.
        var truncated: Bool
    }

    let settings: Settings
    /// Offset just past the last byte that is in an emitted record (or skipped as blank).
    private(set) var consumed: Int64
    /// The start of the incomplete last line held in `carry`, and where it began in the file.
    private var carry: [UInt8] = []
    private var carryStart: Int64 = 0
    /// The line in `carry` grew past `maxLogSize`: the rest of it is skipped up to its newline.
    private var carryOverflow = false
    /// A multiline record being assembled, and whether it was cut.
    private var pending: [UInt8] = []
    private var pendingActive = false
    private var pendingOverflow = false

    init(settings: Settings, offset: Int64) {
        self.settings = settings
        consumed = offset
    }

    /// Whether bytes are held that a force flush would emit.
    var isHolding: Bool { !carry.isEmpty || carryOverflow || pendingActive }

    /// Splits `count` bytes of `storage` read at file offset `offset` (just after what was fed before).
    mutating func feed(_ storage: ByteStorage, count: Int, at offset: Int64, into out: inout [Record]) {
        let base = storage.base
        var start = 0
        while start < count {
            guard let nl = memchr(base + start, 0x0A, count - start) else {
                // No newline left: keep the rest for the next read.
                if carry.isEmpty && !carryOverflow { carryStart = offset + Int64(start) }
                appendCarry(UnsafeRawBufferPointer(start: base + start, count: count - start))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(nl))
            let lineEnd = offset + Int64(end + 1)
            if carry.isEmpty && !carryOverflow {
                line(storage: storage, from: start, count: end - start, start: offset + Int64(start), end: lineEnd, truncated: false, into: &out)
            } else {
                appendCarry(UnsafeRawBufferPointer(start: base + start, count: end - start))
                let joined = ByteStorage(copying: carry)
                let cut = carryOverflow
                carry.removeAll(keepingCapacity: true)
                carryOverflow = false
                line(storage: joined, from: 0, count: joined.count, start: carryStart, end: lineEnd, truncated: cut, into: &out)
            }
            start = end + 1
        }
    }

    /// Emits what is held (an incomplete last line, a multiline record) as records: the file has
    /// been quiet for the force-flush period, or it is finished.
    mutating func flush(at offset: Int64, into out: inout [Record]) {
        if !carry.isEmpty || carryOverflow {
            let joined = ByteStorage(copying: carry)
            let cut = carryOverflow
            carry.removeAll(keepingCapacity: true)
            carryOverflow = false
            line(storage: joined, from: 0, count: joined.count, start: carryStart, end: offset, truncated: cut, into: &out)
        }
        if pendingActive { emitPending(end: offset, into: &out) }
        consumed = max(consumed, offset)
    }

    // MARK: Pieces

    private mutating func appendCarry(_ bytes: UnsafeRawBufferPointer) {
        let room = settings.maxLogSize - carry.count
        if bytes.count > room {
            carry.append(contentsOf: bytes.prefix(max(0, room)))
            carryOverflow = true
        } else {
            carry.append(contentsOf: bytes)
        }
    }

    /// One complete line (without its newline): it starts at file offset `start`, and the next line
    /// at `end`.
    private mutating func line(storage: ByteStorage, from: Int, count: Int, start: Int64, end: Int64, truncated: Bool, into out: inout [Record]) {
        let bytes = UnsafeRawBufferPointer(start: storage.base + from, count: count)
        switch settings.multiline {
        case nil:
            let cut = min(count, settings.maxLogSize)
            emit(storage: storage, from: from, count: cut, end: end, truncated: truncated || cut < count, into: &out)
        case .lineStart(let pattern):
            if pattern.matches(bytes), pendingActive {
                emitPending(end: start, into: &out)
            }
            appendPending(bytes, truncated: truncated)
        case .lineEnd(let pattern):
            appendPending(bytes, truncated: truncated)
            if pattern.matches(bytes) { emitPending(end: end, into: &out) }
        }
    }

    private mutating func appendPending(_ bytes: UnsafeRawBufferPointer, truncated: Bool) {
        if pendingActive {
            if pending.count < settings.maxLogSize { pending.append(0x0A) } else { pendingOverflow = true }
        }
        pendingActive = true
        let room = settings.maxLogSize - pending.count
        if bytes.count > room { pendingOverflow = true }
        pending.append(contentsOf: bytes.prefix(max(0, room)))
        if truncated { pendingOverflow = true }
    }

    private mutating func emitPending(end: Int64, into out: inout [Record]) {
        let storage = ByteStorage(copying: pending)
        let cut = pendingOverflow
        pending.removeAll(keepingCapacity: true)
        pendingActive = false
        pendingOverflow = false
        emit(storage: storage, from: 0, count: storage.count, end: end, truncated: cut, into: &out)
    }

    private mutating func emit(storage: ByteStorage, from: Int, count: Int, end: Int64, truncated: Bool, into out: inout [Record]) {
        var lower = from
        var upper = from + count
        let base = storage.base
        if settings.trimTrailing {
            while upper > lower, Self.isSpace(base.load(fromByteOffset: upper - 1, as: UInt8.self)) { upper -= 1 }
        }
        if settings.trimLeading {
            while lower < upper, Self.isSpace(base.load(fromByteOffset: lower, as: UInt8.self)) { lower += 1 }
        }
        if !pendingActive { consumed = max(consumed, end) }
        guard upper > lower else { return }
        out.append(Record(bytes: ByteString(storage: storage, offset: lower, count: upper - lower), end: end, truncated: truncated))
    }

    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }
}
