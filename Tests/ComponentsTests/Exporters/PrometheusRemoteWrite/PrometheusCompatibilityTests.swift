import AgentTestSupport
import Foundation
import OTelModel
import OTelTestSupport
import Queueing
import Runtime
import Testing

/// otelsw next to a real Prometheus: its own /metrics passes `promtool check metrics` and is scraped by
/// Prometheus directly; metrics from the OpenTelemetry Python SDK arrive over OTLP and reach Prometheus
/// through remote-write with the specification's names.
@Suite(.timeLimit(.minutes(2)), .enabled(if: PrometheusServer.available && PythonPeer.available))
struct PrometheusCompatibilityTests {
    static func promtool(_ input: [UInt8]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PrometheusServer.promtool ?? "/usr/bin/promtool")
        process.arguments = ["check", "metrics"]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func ownMetricsPassPromtoolAndPrometheusScrapesThemDirectly() async throws {
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            processors:
              batch:
            exporters:
              debug:
                verbosity: basic
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [batch]
                  exporters: [debug]
            """)
        let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")],
                                                 body: OTLPHTTPReceiverTests.spans(5).protobufBytes())
        #expect(r.status == 200)
        let metrics = try await HTTPTestClient.get(port: agent.metricsPort, path: "/metrics")
        #expect(metrics.status == 200)
        let lint = try Self.promtool(metrics.body)
        #expect(lint.status == 0, "promtool check metrics: \(lint.output)")

        let prometheus = try await PrometheusServer(config: """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: otelsw-direct
                static_configs:
                  - targets: [127.0.0.1:\(agent.metricsPort)]
            """)
        defer { prometheus.stop() }
        let up = try await prometheus.waitFor("up{job=\"otelsw-direct\"}") { $0.first?.value == 1 }
        #expect(up.first?.value == 1)
        let accepted = try await prometheus.waitFor("otelsw_receiver_accepted_spans_total{job=\"otelsw-direct\", transport=\"http\"}") { !$0.isEmpty }
        #expect(accepted.map(\.value) == [5])
        await agent.stop()
    }

    @Test func sdkMetricsReachPrometheusWithTheSpecificationsNames() async throws {
        let prometheus = try await PrometheusServer(config: "global:\n  scrape_interval: 1m\n")
        defer { prometheus.stop() }
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            exporters:
              prometheusremotewrite:
                endpoint: \(prometheus.writeURL)
              debug:
                verbosity: basic
            service:
              pipelines:
                metrics:
                  receivers: [otlp]
                  exporters: [prometheusremotewrite]
                traces:
                  receivers: [otlp]
                  exporters: [debug]
                logs:
                  receivers: [otlp]
                  exporters: [debug]
            """)
        let manifest = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-sdk-prom-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: manifest) }
        let sent = try await PythonPeer.run("sdk_send.py", ["--protocol", "http", "--endpoint", "http://127.0.0.1:\(agent.httpPort)",
                                                             "--out", manifest, "--run-id", "prom"])
        #expect(sent.status == 0, "\(sent.output)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifest))) as? [String: Any]
        let metrics = try #require(json?["metrics"] as? [[String: Any]])

        /// The manifest's typed attributes as label values.
        func labels(_ attributes: Any?) -> [String: String] {
            var out: [String: String] = [:]
            for (k, v) in attributes as? [String: [String: Any]] ?? [:] {
                if let s = v["string"] as? String { out[k] = s }
                if let b = v["bool"] as? Bool { out[k] = b ? "true" : "false" }
                if let i = v["int"] as? Int { out[k] = String(i) }
            }
            return out
        }
        let names = ["sdk.requests": "sdk_requests_total", "sdk.inflight": "sdk_inflight", "sdk.temperature": "sdk_temperature_celsius"]
        for metric in metrics {
            let name = metric["name"] as? String ?? ""
            for point in metric["points"] as? [[String: Any]] ?? [] {
                let expected = labels(point["attributes"])
                let value = point["value"] as? [String: Any] ?? [:]
                if name == "sdk.latency" {
                    let histogram = value["histogram"] as? [String: Any] ?? [:]
                    let count = try await prometheus.waitFor("sdk_latency_milliseconds_count{job=\"sdk-http\", route=\"\(expected["route"] ?? "")\"}") { !$0.isEmpty }
                    #expect(count.map(\.value) == [Double(histogram["count"] as? Int ?? -1)])
                    let sum = try await prometheus.query("sdk_latency_milliseconds_sum{job=\"sdk-http\", route=\"\(expected["route"] ?? "")\"}")
                    #expect(sum.map(\.value) == [histogram["sum"] as? Double ?? -1])
                    continue
                }
                let promName = try #require(names[name], "unexpected metric \(name)")
                let stored = try await prometheus.waitFor("\(promName){job=\"sdk-http\"}") { series in
                    series.contains { s in expected.allSatisfy { s.labels[$0.key] == $0.value } }
                }
                let match = stored.first { s in expected.allSatisfy { s.labels[$0.key] == $0.value } }
                let number = (value["int"] as? Int).map(Double.init) ?? (value["double"] as? Double) ?? .nan
                #expect(match?.value == number, "\(promName) \(expected)")
                #expect(match?.labels["otel_scope_name"] == "otelsw.sdk_send.metrics")
            }
        }
        let info = try await prometheus.waitFor("target_info{job=\"sdk-http\"}") { !$0.isEmpty }
        #expect(info.first?.labels["run_id"] == "prom")
        await agent.stop()
    }
}
