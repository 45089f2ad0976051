/// The `file_storage` extension: where persistent sending queues keep their write-ahead logs.
public struct FileStorageConfig: Sendable, Equatable {
    public var directory = ""
    /// `true`: every batch is on disk before the receiver answers (survives power loss).
    /// `false`: data is flushed every `fsyncInterval` (survives a crash of the agent; a power loss may
    /// lose the last interval).
    public var fsync = true
    public var fsyncInterval: Duration = .seconds(1)
    /// Disk space each exporter queue may use.
    public var maxSizeMiB = 1024
    public var segmentSizeMiB = 16
    /// Records whose bytes are still in memory are sent from memory up to this much per queue,
    /// instead of being read back from disk; 0 always reads back.
    public var memoryCacheMiB = 64

    public init() {}

    public init(reading r: ConfigReader) {
        directory = r.string("directory")
        if directory.isEmpty { r.error("'directory' is required", key: "directory") }
        fsync = r.bool("fsync", default: fsync)
        fsyncInterval = r.duration("fsync_interval", default: fsyncInterval)
        maxSizeMiB = r.int("max_size_mib", default: maxSizeMiB, min: 1)
        segmentSizeMiB = r.int("segment_size_mib", default: segmentSizeMiB, min: 1, max: 1024)
        memoryCacheMiB = r.int("memory_cache_mib", default: memoryCacheMiB, min: 0, max: 4096)
        if r.duration("timeout", default: .seconds(1)) != .seconds(1) {
            r.sink.warning("'timeout' in \(r.context) has no effect: files are opened without a lock to wait for", at: r.raw("timeout")?.location ?? r.location)
        }
        r.noEffect("compaction", "segments are deleted once delivered, so there is nothing to compact")
        if fsyncInterval <= .zero { r.error("'fsync_interval' must be positive", key: "fsync_interval") }
        r.finish()
    }
}
