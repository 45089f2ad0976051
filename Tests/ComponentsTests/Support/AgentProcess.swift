import Foundation
import OTelTestSupport

/// The real `otelsw` binary, started on a pipeline file, with its log captured.
final class AgentProcess {
    static let binary = PythonPeer.repositoryRoot.appendingPathComponent(".build/debug/otelsw").path
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) || PythonPeer.required }

    let process = Process()
    let log: URL
    private let handle: FileHandle
    private let exited = AsyncStream<Int32>.makeStream()

    init(pipeline: URL, log: URL, arguments: [String] = []) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--pipeline", pipeline.path] + arguments
        process.standardOutput = handle
        process.standardError = handle
        let continuation = exited.continuation
        process.terminationHandler = { continuation.yield($0.terminationStatus) }
        try process.run()
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Waits (bounded) for the first log line containing `marker` and returns it.
    func waitForLine(containing marker: String, timeout: Duration = .seconds(30)) async throws -> String {
        var line: String?
        // An exited process writes no more: stop waiting then too.
        await eventually(timeout: timeout) {
            line = logText.split(separator: "\n").first { $0.contains(marker) }.map { String($0) }
            return line != nil || !process.isRunning
        }
        guard let line else { throw PeerError("no log line with '\(marker)'; log:\n\(logText)") }
        return line
    }

    /// The OTLP/HTTP port the receiver reports in its "listening" line.
    func httpPort() async throws -> Int {
        let line = try await waitForLine(containing: "otlp receiver listening")
        guard let r = line.range(of: #"http=\[IPv4\]127\.0\.0\.1/127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = Int(line[r].split(separator: ":").last ?? "") else { throw PeerError("no http port in: \(line)") }
        return port
    }

    /// The port of /metrics from the "otelsw is running" line.
    func metricsPort() async throws -> Int {
        let line = try await waitForLine(containing: "otelsw is running")
        guard let r = line.range(of: #"metrics=\[IPv4\]127\.0\.0\.1/127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = Int(line[r].split(separator: ":").last ?? "") else { throw PeerError("no metrics port in: \(line)") }
        return port
    }

    /// Sends `signal` and waits for the process to end; returns its exit status.
    func stop(signal: Int32 = SIGTERM) async -> Int32 {
        // Only a live child: a reaped one's pid may already belong to another process.
        if process.isRunning { kill(process.processIdentifier, signal) }
        var it = exited.stream.makeAsyncIterator()
        let status = await it.next() ?? -1
        try? handle.close()
        return status
    }
}
