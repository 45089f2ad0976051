import Foundation
import OTelModel
import OTelTestSupport
import Testing

/// Our protobuf and OTLP/JSON codecs against the official protobuf runtime: Python generates
/// payloads covering every OTLP message and field kind (plus unknown fields and both JSON spellings),
/// we decode and re-encode each one, and Python compares our bytes field by field with the original.
@Suite(.enabled(if: PythonPeer.available, "needs the test venv (scripts/test-env.sh)"))
struct OracleTests {
    struct Entry: Decodable {
        var name: String
        var signal: String
        var input: String
        var format: String
    }

    @Test func roundTripMatchesOfficialRuntime() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let gen = try await PythonPeer.run("oracle.py", ["gen", "--out", dir.path])
        try #require(gen.status == 0, "oracle gen failed:\n\(gen.output)")
        let manifest = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: dir.appendingPathComponent("manifest.json")))
        #expect(manifest.count >= 20)
        #expect(Set(manifest.map(\.signal)) == ["traces", "metrics", "logs"])

        for entry in manifest {
            let input = try Data(contentsOf: dir.appendingPathComponent(entry.input))
            let (pb, json) = try reencode(Array(input), signal: entry.signal, format: entry.format, name: entry.input)
            try Data(pb).write(to: dir.appendingPathComponent(entry.input + ".ours.pb"))
            try Data(json).write(to: dir.appendingPathComponent(entry.input + ".ours.json"))
        }

        let check = try await PythonPeer.run("oracle.py", ["check", dir.path])
        #expect(check.status == 0, "oracle check found mismatches:\n\(check.output)")
        #expect(check.output.contains("oracle: \(manifest.count) payloads, 0 mismatches"), "\(check.output)")
    }

    private func reencode(_ bytes: [UInt8], signal: String, format: String, name: String) throws -> ([UInt8], [UInt8]) {
        let storage = ByteStorage(copying: bytes)
        switch (signal, format) {
        case ("traces", "pb"):
            let d = try TracesData(protobuf: storage)
            return (d.encodedProtobufBytes(), d.jsonBytes())
        case ("traces", "json"):
            let d = try TracesData(json: storage)
            return (d.encodedProtobufBytes(), d.jsonBytes())
        case ("metrics", "pb"):
            let d = try MetricsData(protobuf: storage)
            return (d.encodedProtobufBytes(), d.jsonBytes())
        case ("metrics", "json"):
            let d = try MetricsData(json: storage)
            return (d.encodedProtobufBytes(), d.jsonBytes())
        case ("logs", "pb"):
            let d = try LogsData(protobuf: storage)
            return (d.encodedProtobufBytes(), d.jsonBytes())
        case ("logs", "json"):
            let d = try LogsData(json: storage)
            return (d.encodedProtobufBytes(), d.jsonBytes())
        default:
            throw PeerError("unknown manifest entry \(name): \(signal)/\(format)")
        }
    }
}
