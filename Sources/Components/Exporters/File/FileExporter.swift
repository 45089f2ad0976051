import Configuration
import Factories
import Foundation
import OTelModel
import PipelineCore

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
