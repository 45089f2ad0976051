#if canImport(Glibc)
import Glibc
#endif
import OTelModel

/// One file being followed: its open descriptor, where reading is, and where delivery is.
///
/// Owned by one ``FileTailer`` and used only from its task.
final class TailedFile {
    enum Status: Equatable {
        /// Found at a matching path in the last poll.
        case active
        /// No longer at any matching path (deleted, or moved away): finished through the open
        /// descriptor, then closed once quiet.
        case lost
        /// Its inode now holds other content (truncated or rewritten in place): what was not read
        /// is gone from it, though a copy may still have it.
        case replaced
    }

    var path: String
    var identity: FileIdentity
    private(set) var fd: Int32
    /// The next byte to read.
    private(set) var readOffset: Int64
    private(set) var splitter: RecordSplitter
    /// Everything before this offset was accepted downstream (what a checkpoint records).
    var settled: Int64
    var status = Status.active
    /// The poll at which it was found replaced.
    var replacedAt = 0
    var matched = false
    /// When data last arrived (ns, from the tailer's clock).
    var lastData: UInt64
    /// The attributes every record of the file carries (shared by all of them).
    private(set) var attributes: Attributes

    init(path: String, identity: FileIdentity, fd: Int32, offset: Int64, settings: RecordSplitter.Settings, now: UInt64, attributes: Attributes) {
        self.path = path
        self.identity = identity
        self.fd = fd
        readOffset = offset
        settled = offset
        splitter = RecordSplitter(settings: settings, offset: offset)
        lastData = now
        self.attributes = attributes
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Goes on reading in another file that holds this one's content (a copy made before a truncate).
    func follow(_ file: OpenFile, path: String, fingerprint: [UInt8], attributes: Attributes) {
        close()
        fd = file.fd
        self.path = path
        identity = FileIdentity(device: file.device, inode: file.inode, fingerprint: fingerprint)
        self.attributes = attributes
        status = .active
    }

    /// Reads what is new, up to `limit` bytes, into records. Returns the bytes read (0 when there is
    /// nothing new), or nil on a read error. Each read's memory is as large as what it reads, since
    /// records point into it for as long as they live.
    func read(limit: Int, chunk: Int, into out: inout [RecordSplitter.Record]) -> Int? {
        guard let now = OpenFile.stat(fd) else { return nil }
        var total = 0
        var available = now.size - readOffset
        while total < limit, available > 0 {
            let size = min(chunk, limit - total, Int(clamping: available))
            let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            let n = pread(fd, memory, size, off_t(readOffset))
            guard n > 0 else {
                memory.deallocate()
                return n == 0 || total > 0 ? total : nil
            }
            let storage = ByteStorage(adopting: memory, count: n)
            splitter.feed(storage, count: n, at: readOffset, into: &out)
            readOffset += Int64(n)
            total += n
            available -= Int64(n)
        }
        return total
    }

    /// Emits what the splitter holds (a last line without newline, a multiline record).
    func flush(into out: inout [RecordSplitter.Record]) {
        splitter.flush(at: readOffset, into: &out)
    }

    /// The offset up to which records were cut (a checkpoint may name it once they are accepted).
    var consumed: Int64 { splitter.consumed }
}
