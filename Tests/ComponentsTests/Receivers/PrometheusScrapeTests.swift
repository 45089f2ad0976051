import Foundation
import NIOHTTP1
import OTelModel
import OTelTestSupport
import Pipeline
import PromText
import Testing

/// The `prometheus` receiver scraping a real prometheus_client target and otelsw's own /metrics,
/// remote-writing into a real Prometheus: what Prometheus stores equals what the targets served.
@Suite(.timeLimit(.minutes(2)), .enabled(if: PrometheusServer.available && PythonPeer.available))
struct PrometheusScrapeTests {
    /// The samples a target serves, fetched and parsed the way the receiver negotiates (OpenMetrics).
    static func served(port: Int) async throws -> [Sample] {
        let r = try await HTTPTestClient.request(port: port, method: .GET, path: "/metrics",
                                                 headers: [("accept", "application/openmetrics-text;version=1.0.0")])
        let format = ExpositionFormat(contentType: r.headers.first(name: "content-type"))
        #expect(format == .openMetrics)
        let parsed: Result<Exposition, ExpositionError> = r.body.withUnsafeBytes { raw in
            do throws(ExpositionError) { return .success(try parseExposition(raw, format: format)) } catch { return .failure(error) }
        }
        return try parsed.get().samples
    }

    @Test func scrapedSeriesReachPrometheusAsTheTargetServedThem() async throws {
        let target = try await PythonServerProcess("prom_target.py")
        defer { target.stop() }
        let prometheus = try await PrometheusServer(config: "global:\n  scrape_interval: 1m\n")
        defer { prometheus.stop() }
        let selfPort = try await PersistentQueueProcessTests.freePort()
        let agent = try await TestAgent(yaml: """
            receivers:
              prometheus:
                config:
                  scrape_configs:
                    - job_name: shop
                      scrape_interval: 1s
                      static_configs:
                        - targets: [127.0.0.1:\(target.port)]
                          labels:
                            env: test
                    - job_name: otelsw
                      scrape_interval: 1s
                      static_configs:
                        - targets: [127.0.0.1:\(selfPort)]
            exporters:
              prometheusremotewrite:
                endpoint: \(prometheus.writeURL)
            service:
              pipelines:
                metrics:
                  receivers: [prometheus]
                  exporters: [prometheusremotewrite]
            """, telemetryPort: selfPort)

        let instance = "127.0.0.1:\(target.port)"
        let up = try await prometheus.waitFor("up") { series in
            series.contains { $0.labels["job"] == "shop" && $0.value == 1 } && series.contains { $0.labels["job"] == "otelsw" && $0.value == 1 }
        }
        #expect(up.first { $0.labels["job"] == "shop" }?.labels["instance"] == instance)
        #expect(up.first { $0.labels["job"] == "shop" }?.labels["env"] == "test")

        // Every sample the target serves is in Prometheus under the same name, labels and value
        // (`_created` samples are start times in OTLP, not series).
        let samples = try await Self.served(port: target.port).filter { !$0.name.hasSuffix("_created") }
        #expect(samples.count >= 12)
        for sample in samples {
            var expected = Dictionary(uniqueKeysWithValues: sample.labels.map { ($0.name, $0.value) })
            expected["__name__"] = sample.name
            expected["job"] = "shop"
            expected["instance"] = instance
            expected["env"] = "test"
            func matching(_ stored: [PrometheusServer.Series]) -> PrometheusServer.Series? {
                stored.first { $0.labels.filter { !$0.key.hasPrefix("otel_scope_") } == expected }
            }
            // A scrape's series travel in several concurrent requests: wait for this one's.
            let stored = try await prometheus.waitFor("{__name__=\"\(sample.name)\", job=\"shop\"}", timeout: .seconds(10)) { matching($0) != nil }
            let match = matching(stored)
            #expect(match != nil, "\(sample.name) \(expected) not among \(stored)")
            #expect(match?.value == sample.value, "\(sample.name) \(expected)")
        }
        let buckets = try await prometheus.waitFor("shop_latency_seconds_bucket") { $0.count == 4 }
        #expect(Dictionary(uniqueKeysWithValues: buckets.map { ($0.labels["le"] ?? "?", $0.value) }) == ["0.1": 1, "0.5": 3, "1.0": 4, "+Inf": 5])

        // otelsw's own metrics come through its scrape of itself.
        let own = try await prometheus.waitFor("otelsw_receiver_scrapes_total{job=\"otelsw\", scrape_job=\"shop\", result=\"success\"}") { !$0.isEmpty }
        #expect(!own.isEmpty)
        let info = try await prometheus.waitFor("target_info{job=\"shop\"}") { !$0.isEmpty }
        #expect(info.first?.labels["server_port"] == "\(target.port)")
        #expect(info.first?.labels["url_scheme"] == "http")
        await agent.stop()
    }
}
