#if canImport(Glibc)
// `struct stat` may be imported through CoreFoundation (a module beside this one imports
// Foundation); its members are visible only with that module imported too.
import CoreFoundation
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says of a file, as plain Swift values.
public struct FileStatus: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Last modification, seconds since the Unix epoch.
    public var modified: Double
    public var links: Int
    public var isRegularFile: Bool
    public var isDirectory: Bool

    /// `fstat` of an open descriptor.
    public static func of(descriptor fd: Int32) -> FileStatus? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return FileStatus(st)
    }

    /// `stat` of a path, following symbolic links.
    public static func of(path: String) -> FileStatus? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileStatus(st)
    }

    private init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        #if canImport(Darwin)
        modified = Double(st.st_mtimespec.tv_sec) + Double(st.st_mtimespec.tv_nsec) / 1e9
        #else
        modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        #endif
        links = Int(st.st_nlink)
        isRegularFile = (st.st_mode & S_IFMT) == S_IFREG
        isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
    }
}
