#if canImport(Glibc)
import Glibc
#endif

/// A path pattern, as filelog's `include` and `exclude` and the prometheus receiver's `file_sd_configs`
/// take it: `*`, `?` and `[...]` within one path component (as `fnmatch`), and `**` for any number of
/// directories (`/var/log/**/*.log`). Relative patterns are relative to the working directory.
struct FileGlob: Sendable, Hashable {
    let pattern: String
    private let components: [String]
    private let absolute: Bool

    init(_ pattern: String) {
        self.pattern = pattern
        absolute = pattern.hasPrefix("/")
        components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The regular files the pattern matches now, sorted.
    func expand() -> [String] {
        var out: [String] = []
        walk(absolute ? "/" : "", 0, into: &out)
        return Array(Set(out)).sorted()
    }

    /// Whether `path` matches the pattern.
    func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return Self.match(components[...], parts[...])
    }

    private static func match(_ pattern: ArraySlice<String>, _ parts: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return parts.isEmpty }
        if first == "**" {
            // Zero or more directories.
            var rest = parts
            while true {
                if match(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let part = parts.first, fnmatch(first, part, 0) == 0 else { return false }
        return match(pattern.dropFirst(), parts.dropFirst())
    }

    private static func isWildcard(_ s: String) -> Bool { s.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    private func walk(_ directory: String, _ index: Int, into out: inout [String]) {
        func join(_ name: String) -> String {
            directory.isEmpty ? name : (directory.hasSuffix("/") ? directory + name : directory + "/" + name)
        }
        guard index < components.count else { return }
        let part = components[index]
        let last = index == components.count - 1
        if part == "**" {
            // Zero directories here, then every subdirectory.
            walk(directory, index + 1, into: &out)
            for (name, isDirectory) in Self.entries(directory) where isDirectory {
                walk(join(name), index, into: &out)
            }
            return
        }
        if !Self.isWildcard(part) {
            let path = join(part)
            if last {
                if Self.isRegularFile(path) { out.append(path) }
            } else {
                walk(path, index + 1, into: &out)
            }
            return
        }
        for (name, isDirectory) in Self.entries(directory) where fnmatch(part, name, 0) == 0 {
            let path = join(name)
            if last {
                if !isDirectory && Self.isRegularFile(path) { out.append(path) }
            } else if isDirectory {
                walk(path, index + 1, into: &out)
            }
        }
    }

    /// The entries of a directory (without `.` and `..`), with whether each is a directory
    /// (following symbolic links). Unreadable directories have none.
    private static func entries(_ directory: String) -> [(String, Bool)] {
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return [] }
        defer { closedir(dir) }
        var out: [(String, Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_LNK) || entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                isDirectory = FileStatus.of(path: directory.isEmpty ? name : directory + "/" + name)?.isDirectory ?? false
            }
            out.append((name, isDirectory))
        }
        return out
    }

    private static func isRegularFile(_ path: String) -> Bool {
        FileStatus.of(path: path)?.isRegularFile ?? false
    }
}
