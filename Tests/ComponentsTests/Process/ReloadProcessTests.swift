import AgentTestSupport
import Foundation
import OTelTestSupport
import Testing

/// The real `otelsw` binary reloads its pipeline file on each trigger: the symlink swap of a
/// Kubernetes ConfigMap volume, SIGHUP and `POST /-/reload`; a broken file is refused with its
/// errors at file:line:column and leaves the running pipelines as they were.
@Suite(.timeLimit(.minutes(2)))
struct ReloadProcessTests {
    static func pipeline(_ value: String) -> String {
        """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 127.0.0.1:0
        processors:
          attributes:
            actions:
              - {key: deployment, value: \(value), action: upsert}
        exporters:
          debug: {}
        service:
          telemetry:
            metrics:
              address: 127.0.0.1:0
          pipelines:
            traces:
              receivers: [otlp]
              processors: [attributes]
              exporters: [debug]
        """
    }

    /// Publishes `text` the way the kubelet updates a ConfigMap volume: a new timestamped directory,
    /// then `..data` re-pointed at it by renaming a fresh symlink over it.
    static func publish(_ text: String, in dir: URL, version: Int) throws {
        let fm = FileManager.default
        let versioned = dir.appendingPathComponent("..2026_11_27_\(version)")
        try fm.createDirectory(at: versioned, withIntermediateDirectories: true)
        try text.write(to: versioned.appendingPathComponent("pipeline.yaml"), atomically: true, encoding: .utf8)
        let temporary = dir.appendingPathComponent("..data_tmp")
        try fm.createSymbolicLink(atPath: temporary.path, withDestinationPath: versioned.lastPathComponent)
        guard rename(temporary.path, dir.appendingPathComponent("..data").path) == 0 else { throw PeerError("rename failed: errno \(errno)") }
    }

    static func metric(_ port: Int, _ name: String, _ labels: [String: String]) async throws -> Double? {
        let text = try await HTTPTestClient.get(port: port, path: "/metrics").bodyString
        return PrometheusText.value(in: text, name: name, labels: labels)
    }

    @Test(.enabled(if: AgentProcess.available)) func configMapSwapSighupAndPostEachReload() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-configmap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.publish(Self.pipeline("v1"), in: dir, version: 1)
        let file = dir.appendingPathComponent("pipeline.yaml")
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: "..data/pipeline.yaml")

        let agent = try AgentProcess(pipeline: file, log: dir.appendingPathComponent("agent.log"))
        let port = try await agent.metricsPort()

        try Self.publish(Self.pipeline("v2"), in: dir, version: 2)
        _ = try await agent.waitForLine(containing: "trigger=file")

        kill(agent.process.processIdentifier, SIGHUP)
        _ = try await agent.waitForLine(containing: "trigger=sighup")

        let ok = try await HTTPTestClient.request(port: port, path: "/-/reload")
        #expect(ok.status == 200, "\(ok.bodyString)")
        #expect(ok.bodyString.contains(#""result":"success""#) && ok.bodyString.contains(#""trigger":"http""#), "\(ok.bodyString)")
        #expect(try await Self.metric(port, "otelsw_config_reloads_total", ["result": "success"]) == 3)

        // A broken file: the watcher's reload and a POST are both refused, with the place of the error.
        try Self.publish(Self.pipeline("v3").replacingOccurrences(of: "action: upsert", with: "action: upsurt"), in: dir, version: 3)
        _ = try await agent.waitForLine(containing: "reload (file) refused")
        let refused = try await HTTPTestClient.request(port: port, path: "/-/reload")
        #expect(refused.status == 400)
        #expect(refused.bodyString.contains("pipeline.yaml:9:"), "\(refused.bodyString)")
        #expect(try await Self.metric(port, "otelsw_config_reloads_total", ["result": "failure"]) == 2)
        #expect(try await Self.metric(port, "otelsw_config_reloads_total", ["result": "success"]) == 3)
        // ...and the pipelines run on as they were.
        let traces = #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"after-refusal"}]}]}]}"#
        let sent = try await HTTPTestClient.request(port: try await agent.httpPort(), path: "/v1/traces",
                                                    headers: [("content-type", "application/json")], body: Array(traces.utf8))
        #expect(sent.status == 200)

        // The receiver was taken over by every reload: it started listening once.
        #expect(agent.logText.components(separatedBy: "otlp receiver listening").count == 2, "\(agent.logText)")
        #expect(await agent.stop() == 0)
    }
}
