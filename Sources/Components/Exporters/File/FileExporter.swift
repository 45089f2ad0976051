import Configuration
import Factories
import Foundation
import OTelModel
import PipelineCore

/// `file` exporter settings: OTLP/JSON, one request per line, appended to `path`.
public struct FileExporterConfig: ExporterConfig {
    public var path = ""
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    init(reading r: ConfigReader) {
        path = r.string("path")
        if path.isEmpty { r.error("'path' is required", key: "path") }
        _ = r.choice("format", ["json"], default: "json")
        if r.has("rotation") {
            r.error("'rotation' is not supported yet", key: "rotation")
            _ = r.raw("rotation")
        }
        queue = QueueSettings(reading: r.section("sending_queue"))
        retry = RetrySettings(reading: r.section("retry_on_failure"))
    }
}

public struct FileExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "file" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ExporterConfig { FileExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: any ExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        let c = config as! FileExporterConfig
        return FileExporter<D>(sink: try FileSink.shared(path: c.path))
    }
}

/// One open file shared by every signal written to the same path; writes are whole lines.
final class FileSink: Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    nonisolated(unsafe) private static var open: [String: FileSink] = [:]
    private static let tableLock = NSLock()

    private init(handle: FileHandle) { self.handle = handle }

    static func shared(path: String) throws -> FileSink {
        tableLock.lock()
        defer { tableLock.unlock() }
        if let s = open[path] { return s }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ConsumerError.permanent("cannot create \(path)")
            }
        }
        guard let h = FileHandle(forWritingAtPath: path) else { throw ConsumerError.permanent("cannot open \(path) for writing") }
        h.seekToEndOfFile()
        let s = FileSink(handle: h)
        open[path] = s
        return s
    }

    func writeLine(_ bytes: [UInt8]) throws {
        var line = bytes
        line.append(UInt8(ascii: "\n"))
        lock.lock()
        defer { lock.unlock() }
        do {
            try handle.write(contentsOf: line)
        } catch {
            throw ConsumerError.refused("write failed: \(error)", retryAfter: nil)
        }
    }
}

final class FileExporter<D: SignalData>: Exporter {
    typealias Data = D
    let sink: FileSink

    init(sink: FileSink) { self.sink = sink }

    func start() async throws {}
    func shutdown() async {}
    func export(_ data: D) async throws { try sink.writeLine(data.jsonBytes()) }
}
