import Foundation
import OTelModel

/// Watches a pipeline file by polling, and calls back when its content changed.
///
/// Each poll is one `stat` of the path, following symbolic links, so an edit in place, an atomic
/// rename over the file and the symlink swap of a Kubernetes ConfigMap volume (`..data` re-pointed
/// at a new directory) all change what it sees. Only then is the file read; a callback follows when
/// its SHA-1 differs from the content last seen (a `touch` alone does not reload). A change is read
/// once two polls in a row see the same thing, so a file being written is not read half-way. A path
/// that is missing for a moment (between a delete and a create) is simply polled again.
public struct ConfigWatcher: Sendable {
    public let path: String
    public let interval: Duration

    public init(path: String, interval: Duration = .seconds(1)) {
        self.path = path
        self.interval = interval
    }

    /// Polls until the task is cancelled; `knownSHA1` is the digest of the content already running.
    public func run(knownSHA1: String, onChange: @Sendable (_ sha1: String) async -> Void) async {
        // Nothing seen yet: the first settled poll compares the content with what runs, so an edit
        // made while the agent was starting is not missed.
        var seen: [Int]?
        var candidate: [Int]?
        var sha1 = knownSHA1
        let clock = ContinuousClock()
        while !Task.isCancelled {
            do { try await clock.sleep(for: interval) } catch { return }
            let now = Self.signature(path)
            guard now != seen, now != nil else {
                candidate = nil
                continue
            }
            guard now == candidate else {
                candidate = now
                continue
            }
            seen = now
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let digest = data.withUnsafeBytes { SHA1.hex($0).string }
            guard digest != sha1 else { continue }
            sha1 = digest
            await onChange(digest)
        }
    }

    /// Device, inode, size and modification time of what `path` leads to; nil when it is missing.
    static func signature(_ path: String) -> [Int]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [Int(st.st_dev), Int(st.st_ino), Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)]
    }
}
