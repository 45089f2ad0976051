import Configuration
import Foundation
import LogOps
import OTelModel
import PipelineCore

/// `filelog` receiver settings, with the collector's names and defaults.
public struct FileLogConfig: ComponentConfig, StorageReferencing {
    public var include: [String] = []
    public var exclude: [String] = []
    /// Files not modified for this long are left alone; nil for no limit.
    public var excludeOlderThan: Duration?
    /// Where files found at the first poll start when nothing was checkpointed: the end (default) or
    /// the beginning. Files that appear later are always read from the beginning.
    public var startAtBeginning = false
    public var pollInterval: Duration = .milliseconds(200)
    public var fingerprintSize = 1000
    public var maxLogSize = 1 << 20
    public var maxConcurrentFiles = 1024
    public var maxBatchSize = 1000
    var encoding = FileEncoding.utf8
    var multiline: RecordSplitter.Multiline?
    public var forceFlushPeriod: Duration = .milliseconds(500)
    public var includeFileName = true
    public var includeFilePath = false
    public var trimLeading = true
    public var trimTrailing = true
    /// Operators run on every record, in order (`json_parser`, `regex_parser`, ...).
    public var operators: [OperatorConfig] = []
    /// Attributes added to every record, and the resource of every record.
    public var attributes: [(String, String)] = []
    public var resource: [(String, String)] = []
    /// The `file_storage` extension where checkpoints live; nil keeps them in memory only.
    public var storage: ComponentID?
    public var storageLocation: SourceLocation?
    /// Back-off while the pipeline refuses data (`retry_on_failure`): reading pauses, nothing is dropped.
    public var retryInitialInterval: Duration = .seconds(1)
    public var retryMaxInterval: Duration = .seconds(30)

    public var storageReference: (id: ComponentID, location: SourceLocation?)? { storage.map { ($0, storageLocation) } }

    /// Defaults, following `include` (for tests and embedding).
    init(include: [String]) {
        self.include = include
    }

    init(reading r: ConfigReader) {
        include = r.stringList("include")
        if include.isEmpty { r.error("'include' is required: the files to tail (globs such as /var/log/app/*.log)", key: "include") }
        exclude = r.stringList("exclude")
        if let text = r.optionalString("exclude_older_than") {
            if let d = parseDuration(text), d >= .zero {
                excludeOlderThan = d == .zero ? nil : d
            } else {
                r.error("'exclude_older_than' must be a duration such as 24h, got '\(text)'", key: "exclude_older_than")
            }
        }
        startAtBeginning = r.choice("start_at", ["beginning", "end"], default: "end") == "beginning"
        pollInterval = r.duration("poll_interval", default: pollInterval)
        if pollInterval <= .zero { r.error("'poll_interval' must be positive", key: "poll_interval") }
        fingerprintSize = r.byteSize("fingerprint_size", default: fingerprintSize, min: 16)
        maxLogSize = r.byteSize("max_log_size", default: maxLogSize, min: 1)
        maxConcurrentFiles = r.int("max_concurrent_files", default: maxConcurrentFiles, min: 1)
        maxBatchSize = r.int("max_batch_size", default: maxBatchSize, min: 1)
        let encodingName = r.string("encoding", default: "utf-8")
        if let e = FileEncoding.named(encodingName) {
            encoding = e
        } else {
            r.error("encoding '\(encodingName)' is not supported (supported: utf-8, ascii, nop)", key: "encoding")
        }
        if let m = r.section("multiline") {
            let start = m.optionalString("line_start_pattern")
            let end = m.optionalString("line_end_pattern")
            switch (start, end) {
            case (let s?, nil): multiline = Self.pattern(m, "line_start_pattern", s).map { .lineStart($0) }
            case (nil, let e?): multiline = Self.pattern(m, "line_end_pattern", e).map { .lineEnd($0) }
            case (.some, .some): m.error("give either 'line_start_pattern' or 'line_end_pattern', not both")
            case (nil, nil): m.error("'multiline' needs 'line_start_pattern' or 'line_end_pattern'")
            }
            _ = m.bool("omit_pattern", default: false)
            m.finish()
        }
        forceFlushPeriod = r.duration("force_flush_period", default: forceFlushPeriod)
        includeFileName = r.bool("include_file_name", default: includeFileName)
        includeFilePath = r.bool("include_file_path", default: includeFilePath)
        trimLeading = !r.bool("preserve_leading_whitespaces", default: false)
        trimTrailing = !r.bool("preserve_trailing_whitespaces", default: false)
        operators = OperatorSettings.read(r)
        attributes = r.stringMap("attributes")
        resource = r.stringMap("resource")
        if let text = r.optionalString("storage") {
            storageLocation = r.raw("storage")?.location
            switch ComponentID.parse(text) {
            case .success(let id): storage = id
            case .failure(let e): r.error(e.message, key: "storage")
            }
        }
        if let retry = r.section("retry_on_failure") {
            if !retry.bool("enabled", default: true) {
                retry.sink.warning("'enabled: false' in \(retry.context) has no effect: reading pauses while the pipeline refuses, and the file keeps what is not read",
                                   at: retry.raw("enabled")?.location ?? retry.location)
            }
            retryInitialInterval = retry.duration("initial_interval", default: retryInitialInterval)
            retryMaxInterval = retry.duration("max_interval", default: retryMaxInterval)
            // Reading pauses for as long as the pipeline refuses; the file is the buffer, so there is
            // nothing to give up on.
            if retry.duration("max_elapsed_time", default: .zero) != .zero {
                retry.sink.warning("'max_elapsed_time' in \(retry.context) has no effect: reading pauses for as long as the pipeline refuses",
                                   at: retry.raw("max_elapsed_time")?.location ?? retry.location)
            }
            retry.finish()
        }
        for pattern in include + exclude where pattern.isEmpty {
            r.error("empty file pattern", key: "include")
        }
    }

    var splitterSettings: RecordSplitter.Settings {
        RecordSplitter.Settings(maxLogSize: maxLogSize, multiline: multiline, trimLeading: trimLeading, trimTrailing: trimTrailing)
    }

    private static func pattern(_ r: ConfigReader, _ key: String, _ text: String) -> LinePattern? {
        do {
            return try LinePattern(text)
        } catch {
            r.error("'\(key)' is not a valid regular expression: \(text)", key: key)
            return nil
        }
    }
}
