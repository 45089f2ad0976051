#if canImport(Glibc)
import Glibc
#endif

/// What tells one file from another: its first bytes (up to `fingerprint_size`) together with its
/// device and inode.
///
/// The fingerprint of a file shorter than the fingerprint size is all of it, and grows with the file:
/// two fingerprints belong to one file when one is a prefix of the other. The inode alone is not an
/// identity (inodes are reused after a delete); the content alone is not either (two small files can
/// start alike); together they are.
struct FileIdentity: Sendable, Equatable, Codable {
    var device: UInt64
    var inode: UInt64
    var fingerprint: [UInt8]

    /// Whether `other` is the same content as far as both go (one fingerprint is a prefix of the other).
    func sameContent(as other: [UInt8]) -> Bool {
        let n = min(fingerprint.count, other.count)
        guard n > 0 else { return false }
        return fingerprint.withUnsafeBytes { a in other.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, n) == 0 } }
    }

    func sameInode(as other: FileIdentity) -> Bool { device == other.device && inode == other.inode }
}

/// An open file: its descriptor with what `fstat` says of it.
struct OpenFile {
    let fd: Int32
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: Double
    let links: Int

    /// Opens `path` for reading; nil when it cannot be opened (gone, no permission) or is not a
    /// regular file. The open does not block: a FIFO or device put where a log file was (after the
    /// glob saw a regular file there) is refused instead of hanging the tailer or reading forever.
    static func open(_ path: String) -> OpenFile? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        guard let status = FileStatus.of(descriptor: fd), status.isRegularFile, let s = stat(fd) else {
            _ = Glibc.close(fd)
            return nil
        }
        return s
    }

    func close() { _ = Glibc.close(fd) }

    /// `fstat` of an open descriptor.
    static func stat(_ fd: Int32) -> OpenFile? {
        guard let s = FileStatus.of(descriptor: fd) else { return nil }
        return OpenFile(fd: fd, device: s.device, inode: s.inode, size: s.size, modified: s.modified, links: s.links)
    }

    /// The first `count` bytes (fewer when the file is shorter).
    func prefix(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(got)) }
            if n <= 0 { break }
            got += n
        }
        out.removeLast(count - got)
        return out
    }
}
