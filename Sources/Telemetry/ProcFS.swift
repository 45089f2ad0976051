#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small reads of Linux's process files: the one place the agent learns how much memory it uses,
/// for `/metrics` and for the memory limiter alike.
public enum ProcFS {
    static let pageSize: UInt64 = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? UInt64(size) : 4096
    }()

    /// The resident set of this process in bytes, from `<procRoot>/self/statm` (one small read);
    /// nil where there is no such file.
    public static func residentBytes(procRoot: String = "/proc") -> UInt64? {
        // statm: size resident shared text lib data dt, in pages.
        guard let statm = readFile(procRoot + "/self/statm") else { return nil }
        let fields = statm.split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = number(fields[1]) else { return nil }
        return pages * pageSize
    }

    /// A decimal number, ignoring surrounding whitespace.
    public static func number(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(b - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                value = a
                digits += 1
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"):
                if digits > 0 { return value }
            default:
                return nil
            }
        }
        return digits > 0 ? value : nil
    }

    /// The bytes of a small file (procfs and cgroupfs files report no size, so read until the end).
    public static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while out.count < 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            out.append(contentsOf: chunk[..<n])
        }
        return out
    }
}
