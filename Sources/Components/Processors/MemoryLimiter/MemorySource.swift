#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// Where the memory limiter learns how much memory the agent uses and how much it may use.
public protocol MemorySource: Sendable {
    /// Bytes in use now.
    func usedBytes() -> UInt64
    /// Bytes the agent can have at most (a cgroup limit, else physical memory); nil when unknown.
    func totalBytes() -> UInt64?
    /// Hands free heap memory back to the system: the closest thing to a forced garbage collection.
    func releaseFreeMemory()
}

/// This process's memory as Linux reports it.
///
/// - In use: the resident set, as `/metrics` reports it (``ProcFS/residentBytes(procRoot:)``).
/// - Total: the smaller of the cgroup memory limit and `MemTotal` in `/proc/meminfo`. The cgroup is
///   found in `/proc/self/cgroup`; for cgroup v2 every `memory.max` from the process's cgroup up to the
///   root counts, for v1 `hierarchical_memory_limit` in `memory.stat` (else `memory.limit_in_bytes`).
///   `max`, and values of 2^62 and more (v1's way of writing "none"), mean no limit.
/// - Release: glibc's `malloc_trim(0)`, looked up at run time (a no-op where there is none).
public struct ProcessMemory: MemorySource {
    let procRoot: String
    let cgroupRoot: String

    /// `procRoot` and `cgroupRoot` are `/proc` and `/sys/fs/cgroup`; tests point them at copies.
    public init(procRoot: String = "/proc", cgroupRoot: String = "/sys/fs/cgroup") {
        self.procRoot = procRoot
        self.cgroupRoot = cgroupRoot
    }

    public func usedBytes() -> UInt64 {
        ProcFS.residentBytes(procRoot: procRoot) ?? 0
    }

    public func totalBytes() -> UInt64? {
        let physical = physicalMemory()
        guard let limit = cgroupLimit() else { return physical }
        return physical.map { min($0, limit) } ?? limit
    }

    public func releaseFreeMemory() {
        _ = Self.mallocTrim?(0)
    }

    /// `MemTotal` from `/proc/meminfo`.
    func physicalMemory() -> UInt64? {
        guard let meminfo = ProcFS.readFile(procRoot + "/meminfo") else { return nil }
        for line in meminfo.split(separator: UInt8(ascii: "\n")) where line.starts(with: "MemTotal:".utf8) {
            let words = line.split(separator: UInt8(ascii: " "))
            guard words.count >= 2, let kib = ProcFS.number(words[1]) else { return nil }
            return kib * 1024
        }
        return nil
    }

    /// The memory limit of this process's cgroup, or nil when there is none.
    func cgroupLimit() -> UInt64? {
        guard let text = ProcFS.readFile(procRoot + "/self/cgroup") else { return nil }
        var limits: [UInt64] = []
        // Lines are `hierarchy-id:controllers:path`; v2 has the single line `0::path`.
        for line in text.split(separator: UInt8(ascii: "\n")) {
            let parts = line.split(separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let controllers = parts[1].split(separator: UInt8(ascii: ","))
            let path = String(decoding: parts[2], as: UTF8.self)
            if parts[0].elementsEqual("0".utf8) && parts[1].isEmpty {
                limits += v2Limits(path)
            } else if controllers.contains(where: { $0.elementsEqual("memory".utf8) }) {
                if let l = v1Limit(path) { limits.append(l) }
            }
        }
        return limits.min()
    }

    /// Every `memory.max` from the cgroup up to the mount's root. Inside a container with its own
    /// cgroup namespace the path is `/` and the mount's root is the container's cgroup.
    private func v2Limits(_ path: String) -> [UInt64] {
        var limits: [UInt64] = []
        var components = path.split(separator: "/")
        while true {
            let dir = ([cgroupRoot] + components.map(String.init)).joined(separator: "/")
            if let text = ProcFS.readFile(dir + "/memory.max"), let l = Self.limit(text) { limits.append(l) }
            if components.isEmpty { break }
            components.removeLast()
        }
        return limits
    }

    private func v1Limit(_ path: String) -> UInt64? {
        let trimmed = path.split(separator: "/").joined(separator: "/")
        let candidates = trimmed.isEmpty ? [cgroupRoot + "/memory"] : [cgroupRoot + "/memory/" + trimmed, cgroupRoot + "/memory"]
        for dir in candidates {
            if let stat = ProcFS.readFile(dir + "/memory.stat") {
                for line in stat.split(separator: UInt8(ascii: "\n")) where line.starts(with: "hierarchical_memory_limit ".utf8) {
                    return Self.limit(Array(line.dropFirst("hierarchical_memory_limit ".utf8.count)))
                }
            }
            if let text = ProcFS.readFile(dir + "/memory.limit_in_bytes") { return Self.limit(text) }
        }
        return nil
    }

    /// A limit file's value; nil for `max` or a value so large it means "no limit".
    static func limit(_ text: [UInt8]) -> UInt64? {
        guard let v = ProcFS.number(text[...]), v < 1 << 62, v > 0 else { return nil }
        return v
    }

    private typealias MallocTrim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim`, found at run time so that other C libraries simply have none.
    private static let mallocTrim: MallocTrim? = {
        #if os(Linux)
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
        #else
        return nil
        #endif
    }()
}
