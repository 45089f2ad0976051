import Foundation

/// Where a `filelog` receiver keeps its checkpoints: one JSON file in the `file_storage` directory,
/// replaced atomically (written beside it, synced, renamed) so a crash leaves the old or the new one.
struct CheckpointStore: Sendable {
    /// One file's checkpoint: its identity, the offset up to which everything was accepted
    /// downstream, and the path it was last seen at (for messages).
    struct Entry: Codable, Equatable, Sendable {
        var identity: FileIdentity
        var offset: Int64
        var path: String
    }

    private struct Contents: Codable {
        var version = 1
        var files: [Entry]
    }

    let path: String

    init(directory: String, receiver: String) {
        let name = receiver.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }
        path = directory + "/filelog-" + String(name) + ".checkpoints.json"
    }

    /// The saved checkpoints; nil when there are none yet (the first run).
    func load() throws -> [Entry]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try JSONDecoder().decode(Contents.self, from: data).files
    }

    func save(_ entries: [Entry]) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let data = try JSONEncoder().encode(Contents(files: entries))
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(fd) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }
}
