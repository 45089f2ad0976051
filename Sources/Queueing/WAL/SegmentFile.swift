import OTelModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error from the file system, with the path and what was being done.
public struct PersistenceError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }

    static func errno(_ what: String, _ path: String) -> PersistenceError {
        PersistenceError(message: "\(what) \(path): \(String(cString: strerror(Glibc.errno)))")
    }
}

/// A file opened for appending and positional reads; the descriptor is closed by `close()`.
struct SegmentFile {
    let path: String
    let fd: Int32

    static func open(_ path: String, create: Bool) throws(PersistenceError) -> SegmentFile {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = Glibc.open(path, flags, 0o644)
        guard fd >= 0 else { throw .errno("cannot open", path) }
        return SegmentFile(path: path, fd: fd)
    }

    var size: Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(PersistenceError) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw .errno("cannot write", path)
            }
            done += n
        }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int) throws(PersistenceError) {
        let result: Result<Void, PersistenceError> = bytes.withUnsafeBytes { raw in
            do throws(PersistenceError) {
                try write(raw, at: offset)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Reads exactly `count` bytes at `offset` (fewer only at the end of the file).
    func read(count: Int, at offset: Int) throws(PersistenceError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw .errno("cannot read", path)
            }
            if n == 0 { break }
            done += n
        }
        if done < count { out.removeSubrange(done...) }
        return out
    }

    /// Reads exactly `count` bytes at `offset` into a new storage; nil when the file is shorter.
    func readStorage(count: Int, at offset: Int) throws(PersistenceError) -> ByteStorage? {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        var done = 0
        while done < count {
            let n = pread(fd, p + done, count - done, off_t(offset + done))
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                p.deallocate()
                throw .errno("cannot read", path)
            }
            if n == 0 { break }
            done += n
        }
        guard done == count else {
            p.deallocate()
            return nil
        }
        return ByteStorage(adopting: p, count: count)
    }

    /// Writes `header` then `payload` at `offset` with one system call.
    func write(header: [UInt8], payload: UnsafeRawBufferPointer, at offset: Int) throws(PersistenceError) {
        let total = header.count + payload.count
        var done = 0
        while done < total {
            let n: Int = header.withUnsafeBytes { h in
                var vectors = [iovec](repeating: iovec(), count: 2)
                var count: Int32 = 0
                if done < header.count {
                    vectors[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: h.baseAddress! + done), iov_len: header.count - done)
                    vectors[1] = iovec(iov_base: UnsafeMutableRawPointer(mutating: payload.baseAddress), iov_len: payload.count)
                    count = 2
                } else {
                    let skip = done - header.count
                    vectors[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: payload.baseAddress! + skip), iov_len: payload.count - skip)
                    count = 1
                }
                return pwritev(fd, vectors, count, off_t(offset + done))
            }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw .errno("cannot write", path)
            }
            done += n
        }
    }

    func sync() throws(PersistenceError) {
        guard fdatasync(fd) == 0 else { throw .errno("cannot sync", path) }
    }

    func truncate(to size: Int) throws(PersistenceError) {
        guard ftruncate(fd, off_t(size)) == 0 else { throw .errno("cannot truncate", path) }
    }

    func close() { _ = Glibc.close(fd) }

    /// Makes a rename or creation in `directory` durable.
    static func syncDirectory(_ directory: String) {
        let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = Glibc.close(fd)
    }
}
