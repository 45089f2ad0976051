import Foundation
import Testing

/// Runs the Python tools under Tests/python with the venv that `scripts/test-env.sh` prepares.
///
/// Tests that need it are enabled when the venv exists; with `OTELSW_REQUIRE_PEERS=1` (as the test
/// command sets) a missing venv is a failure instead of a skip.
enum PythonPeer {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var python: String? {
        if let p = ProcessInfo.processInfo.environment["OTELSW_PYTHON"], FileManager.default.isExecutableFile(atPath: p) { return p }
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    static var required: Bool { ProcessInfo.processInfo.environment["OTELSW_REQUIRE_PEERS"] == "1" }
    static var available: Bool { python != nil || required }

    static func script(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/python/\(name)").path
    }

    /// Runs a script to completion (bounded by `timeout`) and returns its exit status and output.
    static func run(_ scriptName: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> (status: Int32, output: String) {
        guard let python else {
            throw PeerError("the test venv is missing: run scripts/test-env.sh (or `make test`)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script(scriptName)] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var output = Data()
        let reader = pipe.fileHandleForReading
        while process.isRunning || reader.availableData.count > 0 {
            let chunk = reader.availableData
            if chunk.isEmpty {
                if Date() > deadline {
                    process.terminate()
                    throw PeerError("\(scriptName) did not finish within \(timeout)s")
                }
                usleep(10_000)
            } else {
                output.append(chunk)
            }
        }
        process.waitUntilExit()
        output.append(reader.readDataToEndOfFile())
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
