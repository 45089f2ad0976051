import Foundation
import PromExposition
import Testing

/// Where the Python peer comes from: `OTELSW_PYTHON` names an interpreter with `prometheus_client`
/// (see Tests/python/requirements.txt); `OTELSW_REQUIRE_PEERS=1` turns its absence into a failure.
enum PeerEnvironment {
    static let python = ProcessInfo.processInfo.environment["OTELSW_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static let required = ProcessInfo.processInfo.environment["OTELSW_REQUIRE_PEERS"] == "1"
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("python/exposition_peer.py")
}

/// The JSON the peer script writes.
struct PeerExpectation: Decodable {
    struct PeerFamily: Decodable {
        var name: String
        var type: String
        var help: String?
        var unit: String?
    }

    struct PeerExemplar: Decodable {
        var labels: [[String]]
        var value: String
        var timestamp: String?
    }

    struct PeerSample: Decodable {
        var name: String
        var labels: [[String]]
        var value: String
        var timestamp_ms: Int64?
        var exemplar: PeerExemplar?
    }

    var client_version: String
    var openmetrics_families: [PeerFamily]
    var prometheus_families: [PeerFamily]
    var samples: [PeerSample]
}

@Suite("Python prometheus_client peer")
struct ClientPeerTests {
    @Test(
        "Expositions written by prometheus_client parse to the samples it reports",
        .enabled(
            if: PeerEnvironment.python != nil || PeerEnvironment.required,
            "skipped: set OTELSW_PYTHON to a Python with prometheus_client (Tests/python/requirements.txt)"
        )
    )
    func parsesClientLibraryOutput() throws {
        guard let python = PeerEnvironment.python else {
            Issue.record("OTELSW_REQUIRE_PEERS=1 but OTELSW_PYTHON is not set")
            return
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("promtext-peer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PeerEnvironment.script.path, directory.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "peer script failed; is prometheus_client installed?")

        let expected = try JSONDecoder().decode(
            PeerExpectation.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        let openMetrics = try parse(
            Array(Data(contentsOf: directory.appendingPathComponent("exposition.om"))), .openMetrics)
        let text = try parse(
            Array(Data(contentsOf: directory.appendingPathComponent("exposition.prom"))), .prometheusText)

        #expect(openMetrics.families == expected.openmetrics_families.map(family))
        #expect(text.families == expected.prometheus_families.map(family))
        compare(openMetrics.samples, with: expected.samples, checkExemplars: true, format: "OpenMetrics")
        compare(text.samples, with: expected.samples, checkExemplars: false, format: "Prometheus text")
        #expect(expected.samples.count > 50)
    }

    private func family(_ peer: PeerExpectation.PeerFamily) -> Family {
        Family(name: peer.name, type: MetricType(rawValue: peer.type) ?? .unknown, help: peer.help, unit: peer.unit)
    }

    /// Compares sample sets independent of order (the text format moves `_created` samples into
    /// their own families), keyed by name and sorted labels.
    private func compare(
        _ actual: [Sample],
        with expected: [PeerExpectation.PeerSample],
        checkExemplars: Bool,
        format: String
    ) {
        func key(_ name: String, _ labels: [[String]]) -> String {
            name + "{" + labels.map { "\($0[0])=\($0[1].debugDescription)" }.joined(separator: ",") + "}"
        }
        var parsed: [String: Sample] = [:]
        for sample in actual {
            let labels = sample.labels.sorted { $0.name < $1.name }.map { [$0.name, $0.value] }
            let sampleKey = key(sample.name, labels)
            #expect(parsed[sampleKey] == nil, "\(format): duplicate sample \(sampleKey)")
            parsed[sampleKey] = sample
        }
        #expect(actual.count == expected.count, "\(format): sample count")
        for want in expected {
            let sampleKey = key(want.name, want.labels)
            guard let got = parsed[sampleKey] else {
                Issue.record("\(format): missing sample \(sampleKey)")
                continue
            }
            let value = Double(want.value)!
            #expect(sameValue(got.value, value), "\(format): \(sampleKey) = \(got.value), expected \(want.value)")
            #expect(got.timestampMs == want.timestamp_ms, "\(format): \(sampleKey) timestamp")
            if checkExemplars {
                let exemplar = want.exemplar.map { peer in
                    Exemplar(
                        labels: peer.labels.map { Label(name: $0[0], value: $0[1]) },
                        value: Double(peer.value)!,
                        timestamp: peer.timestamp.flatMap(Double.init)
                    )
                }
                let gotExemplar = got.exemplar.map {
                    Exemplar(labels: $0.labels.sorted { $0.name < $1.name }, value: $0.value, timestamp: $0.timestamp)
                }
                #expect(sameExemplar(gotExemplar, exemplar), "\(format): \(sampleKey) exemplar")
            }
        }
    }
}
