import Foundation
import Logging
import Synchronization

/// Writes each log record as one JSON line to a file that otelsw tails:
/// `{"time":"…","level":"info","service":"order","message":"…","trace_id":"…","span_id":"…", …}`.
///
/// The trace and span ids come from the logger's metadata provider (swift-otel's, which reads the
/// current span), so a line logged while handling a request carries that request's trace.
public struct JSONLineLogHandler: LogHandler {
    final class Sink: Sendable {
        let handle: Mutex<FileHandle?>
        init(path: String?) {
            guard let path else {
                handle = Mutex(FileHandle.standardOutput)
                return
            }
            let url = URL(fileURLWithPath: path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // O_APPEND: every logger of the process (one handler each) and a restarted process add
            // whole lines at the end, never over each other.
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
            handle = Mutex(fd >= 0 ? FileHandle(fileDescriptor: fd, closeOnDealloc: true) : nil)
        }
        func write(_ line: Data) { handle.withLock { $0?.write(line) } }
    }

    let service: String
    let sink: Sink
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// Logs to `path` (standard output when nil).
    public init(service: String, path: String?, metadataProvider: Logger.MetadataProvider?) {
        self.service = service
        sink = Sink(path: path)
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": ISO8601DateFormatter.withFractions.string(from: Date()),
            "level": event.level.rawValue,
            "service": service,
            "message": event.message.description,
        ]
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let extra = event.metadata { all.merge(extra) { $1 } }
        for (k, v) in all { object[k] = "\(v)" }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        sink.write(line)
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFractions: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
}
