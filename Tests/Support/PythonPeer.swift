import Foundation

/// Runs the Python tools under Tests/python with the venv that `scripts/test-env.sh` prepares.
///
/// Tests that need it are enabled when the venv exists; with `OTELSW_REQUIRE_PEERS=1` (as the test
/// command sets) a missing venv is a failure instead of a skip.
public enum PythonPeer {
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var python: String? {
        if let p = ProcessInfo.processInfo.environment["OTELSW_PYTHON"], FileManager.default.isExecutableFile(atPath: p) { return p }
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    public static var required: Bool { ProcessInfo.processInfo.environment["OTELSW_REQUIRE_PEERS"] == "1" }
    public static var available: Bool { python != nil || required }

    public static func script(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/python/\(name)").path
    }

    /// Runs a script to completion without blocking a thread; killed after `timeout`.
    public static func run(_ scriptName: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> (status: Int32, output: String) {
        guard let python else {
            throw PeerError("the test venv is missing: run scripts/test-env.sh (or `make test`)")
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-peer-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script(scriptName)] + arguments
        process.standardOutput = handle
        process.standardError = handle
        let killer = Task {
            try await Task.sleep(for: timeout)
            process.terminate()
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in done.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                done.resume()
            }
        }
        killer.cancel()
        try? handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }
}

public struct PeerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
