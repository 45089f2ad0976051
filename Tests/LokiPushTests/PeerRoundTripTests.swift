import Foundation
import OTelTestSupport
import LokiPush
import Testing

/// Round trips through `Tests/python/loki_peer.py`, which decodes pushes with its own protobuf schema,
/// selector parser and JSON reader.
@Suite("Round trips through the Python Loki peer",
       .enabled(if: PythonPeer.available, "skipped: the test venv is missing (run scripts/test-env.sh)"))
struct PeerRoundTripTests {
    static let cases: [(String, [LokiStream])] = [
        ("edge cases", Fixtures.edgeCases),
        ("many streams", Fixtures.manyStreams(300)),
        ("one empty line", [LokiStream(labels: [LokiLabel(name: "a", value: "b")],
                                       entries: [LokiEntry(timestampNanos: 0, line: "")])]),
    ]

    @Test("protobuf + snappy pushes decode to the same streams", arguments: cases)
    func protobuf(name: String, streams: [LokiStream]) async throws {
        try await LokiPeer.with { peer in
            let body = LiteralSnappy.encode(LokiPushEncoding.protobuf(streams))
            let response = try await peer.push(body, contentType: "application/x-protobuf", tenant: "team-a")
            #expect(response.status == 204, "\(response.body)")
            let pushes = try await peer.pushes()
            try #require(pushes.count == 1)
            #expect(pushes[0].tenant == "team-a")
            #expect(pushes[0].contentType == "application/x-protobuf")
            #expect(pushes[0].contentEncoding == nil)
            #expect(pushes[0].userAgent == "otelsw-test/0")
            expectEqual(pushes[0].streams, Fixtures.expected(streams))
        }
    }

    @Test("JSON pushes decode to the same streams", arguments: cases)
    func json(name: String, streams: [LokiStream]) async throws {
        try await LokiPeer.with { peer in
            let response = try await peer.push(LokiPushEncoding.json(streams), contentType: "application/json")
            #expect(response.status == 204, "\(response.body)")
            let pushes = try await peer.pushes()
            try #require(pushes.count == 1)
            #expect(pushes[0].tenant == nil)
            #expect(pushes[0].contentType == "application/json")
            expectEqual(pushes[0].streams, Fixtures.expected(streams))
        }
    }

    @Test("the peer refuses what Loki refuses, and /control injects failures")
    func peerBehaviour() async throws {
        try await LokiPeer.with { peer in
            let numberTimestamp = Array(#"{"streams":[{"stream":{"a":"b"},"values":[[1,"x"]]}]}"#.utf8)
            #expect(try await peer.push(numberTimestamp, contentType: "application/json").status == 400)
            #expect(try await peer.push([], contentType: "text/plain").status == 400)
            // A selector Loki cannot parse.
            var bad = LokiPushEncoding.protobuf([LokiStream(labels: [LokiLabel(name: "a", value: "b")])])
            bad[4] = UInt8(ascii: "-")
            let invalid = try await peer.push(LiteralSnappy.encode(bad), contentType: "application/x-protobuf")
            #expect(invalid.status == 400)
            #expect(invalid.body.hasPrefix("invalid labels"))
            // Not snappy.
            let plain = LokiPushEncoding.protobuf(Fixtures.manyStreams(1))
            #expect(try await peer.push(plain, contentType: "application/x-protobuf").status == 400)

            try await peer.control(status: 429, times: 2, retryAfter: "1", body: "rate limited")
            let good = LiteralSnappy.encode(plain)
            let first = try await peer.push(good, contentType: "application/x-protobuf")
            #expect(first.status == 429)
            #expect(first.headers["retry-after"] == "1")
            #expect(first.body == "rate limited")
            #expect(try await peer.push(good, contentType: "application/x-protobuf").status == 429)
            #expect(try await peer.push(good, contentType: "application/x-protobuf").status == 204)
            #expect(try await peer.pushes().count == 1)

            #expect(try await peer.request("POST", "/reset").status == 204)
            #expect(try await peer.pushes().isEmpty)
        }
    }

    @Test("the peer's own self-test passes (gzip/deflate bodies, strict field checks, selector parser)")
    func peerSelfTest() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PythonPeer.python!)
        process.arguments = [PythonPeer.script("loki_peer_selftest.py")]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Compares stream by stream so that a failure names the first differing entry.
    private func expectEqual(_ actual: [RecordedStream], _ expected: [RecordedStream],
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(a.labels == e.labels, sourceLocation: sourceLocation)
            #expect(a.entries.count == e.entries.count, sourceLocation: sourceLocation)
            for (x, y) in zip(a.entries, e.entries) where x != y {
                #expect(x == y, sourceLocation: sourceLocation)
                return
            }
        }
    }
}
