import Foundation
import Snappy
import Testing

/// Checks both directions against cramjam (Python), an independent Snappy
/// implementation. `OTELSW_PYTHON` names an interpreter with cramjam installed
/// (Tests/python/requirements.txt); with `OTELSW_REQUIRE_PEERS=1` its absence fails.
@Suite struct InteropTests {
    static let environment = ProcessInfo.processInfo.environment
    static let python = environment["OTELSW_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static let peersRequired = environment["OTELSW_REQUIRE_PEERS"] == "1"
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("python/snappy_peer.py")

    static func data(_ name: String) -> [UInt8] {
        switch name {
        case "empty": []
        case "incompressible": TestData.random(1 << 20, seed: 31)
        case "repetitive": TestData.repeating(1 << 20, pattern: Array("label=\"value\",".utf8))
        default: TestData.mixed(3 << 20, seed: 32)
        }
    }

    @Test(
        .enabled(
            if: python != nil || peersRequired,
            "OTELSW_PYTHON is not set: skipping the cramjam interoperability test (set it to a Python with Tests/python/requirements.txt installed)"),
        arguments: ["empty", "incompressible", "repetitive", "mixed-3MiB"])
    func cramjamBothDirections(_ name: String) throws {
        guard let python = Self.python else {
            Issue.record("OTELSW_REQUIRE_PEERS=1 but OTELSW_PYTHON is not set")
            return
        }
        let original = Self.data(name)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("snappy-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("plain")
        let ours = directory.appendingPathComponent("swift.snappy")
        let theirs = directory.appendingPathComponent("python.snappy")
        let back = directory.appendingPathComponent("python.out")
        try Data(original).write(to: plain)

        // Python compresses, Swift decompresses.
        try Self.peer(python, "compress", plain, theirs)
        let peerCompressed = [UInt8](try Data(contentsOf: theirs))
        #expect(try Snappy.decompress(peerCompressed, maxLength: original.count) == original)

        // Swift compresses, Python decompresses.
        try Data(Snappy.compress(original)).write(to: ours)
        try Self.peer(python, "decompress", ours, back)
        #expect([UInt8](try Data(contentsOf: back)) == original)
    }

    struct PeerFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func peer(_ python: String, _ command: String, _ input: URL, _ output: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, command, input.path, output.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PeerFailure(description: "snappy_peer.py \(command) exited with \(process.terminationStatus): "
                + String(decoding: message, as: UTF8.self))
        }
    }
}
