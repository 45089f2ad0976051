import Foundation
import OTelTestSupport

/// A long-running Python helper (under Tests/python) that prints "PORT <n>" once it listens and runs
/// until its standard input is closed.
final class PythonServerProcess {
    let process = Process()
    let port: Int
    private let input = Pipe()
    private let output = Pipe()

    init(_ script: String, _ arguments: [String] = []) async throws {
        guard let python = PythonPeer.python else {
            throw PeerError("the test venv is missing: run scripts/test-env.sh (or `make test`)")
        }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PythonPeer.script(script)] + arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let handle = output.fileHandleForReading
        let line: String? = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var bytes: [UInt8] = []
                while let chunk = try? handle.read(upToCount: 1), let b = chunk.first, b != UInt8(ascii: "\n") { bytes.append(b) }
                continuation.resume(returning: bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self))
            }
        }
        guard let line, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw PeerError("\(script) did not report a port (got \(line ?? "nothing"))")
        }
        self.port = port
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
