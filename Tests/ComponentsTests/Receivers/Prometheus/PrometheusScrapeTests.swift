import AgentTestSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import OTelModel
import OTelTestSupport
import PromExposition
import Synchronization
import Testing
import Transport

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

/// Targets that are down, slow, too large or malformed fail their own scrapes (`up` 0, counted by
/// reason) and never harm a healthy target scraped beside them; a series that disappears goes stale.
@Suite(.timeLimit(.minutes(2)), .enabled(if: PrometheusServer.available))
struct PrometheusBadTargetTests {
    @Test func badTargetsFailAloneAndVanishedSeriesGoStale() async throws {
        let scrapes = Mutex(0)
        // `flap` is served until Prometheus has it, then no more: a first scrape that times out on
        // a loaded machine must not take it away for good.
        let serveFlap = Mutex(true)
        let good = HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 1 << 20,
                              logger: Logger(label: "good")) { _ in
            scrapes.withLock { $0 += 1 }
            let text = "# TYPE healthy gauge\nhealthy 1\n" + (serveFlap.withLock { $0 } ? "# TYPE flap gauge\nflap 5\n" : "")
            return HTTPServerResponse(status: .ok, headers: ["content-type": "text/plain; version=0.0.4"], body: ByteBuffer(string: text))
        }
        let slow = HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 1 << 20,
                              logger: Logger(label: "slow")) { _ in
            try? await Task.sleep(for: .seconds(2))
            return HTTPServerResponse(status: .ok, body: ByteBuffer(string: "late 1\n"))
        }
        let huge = HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 1 << 20,
                              logger: Logger(label: "huge")) { _ in
            HTTPServerResponse(status: .ok, body: ByteBuffer(string: String(repeating: "big_metric 1\n", count: 200_000)))
        }
        let malformed = HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 1 << 20,
                                   logger: Logger(label: "malformed")) { _ in
            HTTPServerResponse(status: .ok, body: ByteBuffer(string: "ok 1\nbroken{label=\"x\" 1\n"))
        }
        for s in [good, slow, huge, malformed] { try await s.start() }
        let downPort = try await PersistentQueueProcessTests.freePort()
        let prometheus = try await PrometheusServer(config: "global:\n  scrape_interval: 1m\n")
        defer { prometheus.stop() }
        let address = { (s: HTTPServer) in "127.0.0.1:\(s.localAddress!.port!)" }
        let agent = try await TestAgent(yaml: """
            receivers:
              prometheus:
                config:
                  scrape_configs:
                    - job_name: mixed
                      scrape_interval: 1s
                      scrape_timeout: 500ms
                      body_size_limit: 1MB
                      static_configs:
                        - targets: [\(address(good)), \(address(slow)), \(address(huge)), \(address(malformed)), 127.0.0.1:\(downPort)]
            exporters:
              prometheusremotewrite:
                endpoint: \(prometheus.writeURL)
            service:
              pipelines:
                metrics:
                  receivers: [prometheus]
                  exporters: [prometheusremotewrite]
            """)
        // A first scrape of `good` may time out on a loaded machine; it is up once one succeeds.
        let up = try await prometheus.waitFor("up{job=\"mixed\"}") { r in
            r.count == 5 && r.contains { $0.labels["instance"] == address(good) && $0.value == 1 }
        }
        let byInstance = Dictionary(uniqueKeysWithValues: up.map { ($0.labels["instance"] ?? "?", $0.value) })
        #expect(byInstance == [address(good): 1, address(slow): 0, address(huge): 0, address(malformed): 0, "127.0.0.1:\(downPort)": 0])
        #expect(try await prometheus.waitFor("healthy{job=\"mixed\"}") { !$0.isEmpty }.map(\.value) == [1])

        // Once `flap` is no longer served, the next scrape makes it stale, so Prometheus no longer
        // returns it, although its samples are within the lookback window.
        let flapped = try await prometheus.waitFor("count_over_time(flap[5m])") { !$0.isEmpty }
        #expect(flapped.count == 1 && flapped.allSatisfy { $0.value >= 1 })
        let scrapesWithFlap = scrapes.withLock { n in serveFlap.withLock { $0 = false }; return n }
        let gone = try await prometheus.waitFor("flap") { $0.isEmpty && scrapes.withLock { $0 } > scrapesWithFlap }
        #expect(gone.isEmpty, "a series that disappears ends with a staleness marker")

        let reasons = ["success", "timeout", "too_large", "malformed", "unreachable"]
        func counted(_ r: String) -> Double { agent.renderedMetric("otelsw_receiver_scrapes_total", ["scrape_job": "mixed", "result": r]) ?? 0 }
        await eventually(timeout: .seconds(20), every: .milliseconds(50)) { !reasons.contains { counted($0) == 0 } }
        for r in reasons { #expect(counted(r) > 0, "no scrape counted as \(r)") }
        #expect(agent.renderedMetric("otelsw_receiver_scrape_targets", ["scrape_job": "mixed"]) == 5)
        await agent.stop()
        for s in [good, slow, huge, malformed] { await s.shutdown() }
    }
}

/// `relabel_configs` shape the target's labels and `metric_relabel_configs` each sample, as in Prometheus.
@Suite(.timeLimit(.minutes(2)), .enabled(if: PrometheusServer.available))
struct PrometheusRelabelTests {
    @Test func targetAndMetricRelabelingApply() async throws {
        let target = HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 1 << 20,
                                logger: Logger(label: "target")) { _ in
            HTTPServerResponse(status: .ok, headers: ["content-type": "text/plain; version=0.0.4"], body: ByteBuffer(string: """
                # TYPE kept_total counter
                kept_total{path="/a",secret="x"} 3
                # TYPE go_goroutines gauge
                go_goroutines 12

                """))
        }
        try await target.start()
        let port = target.localAddress!.port!
        let prometheus = try await PrometheusServer(config: "global:\n  scrape_interval: 1m\n")
        defer { prometheus.stop() }
        let agent = try await TestAgent(yaml: """
            receivers:
              prometheus:
                config:
                  scrape_configs:
                    - job_name: relabeled
                      scrape_interval: 1s
                      static_configs:
                        - targets: [127.0.0.1:\(port), 127.0.0.1:1]
                          labels:
                            team: core
                      relabel_configs:
                        - source_labels: [__address__]
                          regex: "127\\\\.0\\\\.0\\\\.1:1"
                          action: drop
                        - source_labels: [team, __address__]
                          separator: "@"
                          regex: "(.*)@(.*)"
                          target_label: owner
                          replacement: "$$1 at $${2}"
                      metric_relabel_configs:
                        - source_labels: [__name__]
                          regex: "go_.*"
                          action: drop
                        - regex: secret
                          action: labeldrop
            exporters:
              prometheusremotewrite:
                endpoint: \(prometheus.writeURL)
            service:
              pipelines:
                metrics:
                  receivers: [prometheus]
                  exporters: [prometheusremotewrite]
            """)
        let kept = try await prometheus.waitFor("kept_total{job=\"relabeled\"}") { !$0.isEmpty }
        #expect(kept.count == 1)
        #expect(kept.first?.labels["owner"] == "core at 127.0.0.1:\(port)")
        #expect(kept.first?.labels["secret"] == nil)
        #expect(kept.first?.labels["path"] == "/a")
        #expect(kept.first?.value == 3)
        #expect(try await prometheus.query("go_goroutines").isEmpty)
        let up = try await prometheus.query("up{job=\"relabeled\"}")
        #expect(up.map { $0.labels["instance"] } == ["127.0.0.1:\(port)"], "the dropped target is not scraped at all")
        #expect(up.first?.labels["owner"] == "core at 127.0.0.1:\(port)")
        #expect(agent.renderedMetric("otelsw_receiver_scrape_targets", ["scrape_job": "relabeled"]) == 1)
        await agent.stop()
        await target.shutdown()
    }
}

/// `file_sd_configs`: targets come from a file that is re-read; a target added to it is scraped, one
/// removed from it stops being scraped and its series end with staleness markers.
@Suite(.timeLimit(.minutes(2)))
struct PrometheusFileDiscoveryTests {
    @Test func targetsFollowTheFile() async throws {
        func server(_ name: String) -> HTTPServer {
            HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 1 << 20, logger: Logger(label: name)) { _ in
                HTTPServerResponse(status: .ok, body: ByteBuffer(string: "# TYPE from gauge\nfrom{server=\"\(name)\"} 1\n"))
            }
        }
        let a = server("a")
        let b = server("b")
        try await a.start()
        try await b.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-sd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("targets.yaml")
        try "- targets: [127.0.0.1:\(a.localAddress!.port!)]\n  labels:\n    rack: r1\n".write(to: file, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out.jsonl")
        let agent = try await TestAgent(yaml: """
            receivers:
              prometheus:
                config:
                  scrape_configs:
                    - job_name: discovered
                      scrape_interval: 200ms
                      scrape_timeout: 200ms
                      file_sd_configs:
                        - files: [\(directory.path)/*.yaml]
                          refresh_interval: 200ms
            exporters:
              file:
                path: \(output.path)
            service:
              pipelines:
                metrics:
                  receivers: [prometheus]
                  exporters: [file]
            """)
        /// Points of `from` seen in the output so far, as (server label, rack, stale).
        func seen() -> [(server: String, rack: String, stale: Bool)] {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? MetricsData(json: Array($0.utf8)) }.flatMap { d in
                d.resourceMetrics.flatMap { $0.scopeMetrics.flatMap { $0.metrics } }.filter { $0.name == "from" }.flatMap { m -> [(String, String, Bool)] in
                    guard case .gauge(let g) = m.data else { return [] }
                    return g.dataPoints.map { p in
                        (p.attributes[key: "server"]?.stringValue?.string ?? "?", p.attributes[key: "rack"]?.stringValue?.string ?? "?",
                         p.flags & DataPointFlags.noRecordedValue != 0)
                    }
                }
            }
        }
        await eventually(timeout: .seconds(20), every: .milliseconds(50)) { seen().contains { $0.server == "a" } }
        #expect(seen().first { $0.server == "a" }?.rack == "r1")

        // The file now lists b instead of a.
        try "- targets: [127.0.0.1:\(b.localAddress!.port!)]\n".write(to: file, atomically: true, encoding: .utf8)
        await eventually(timeout: .seconds(20), every: .milliseconds(50)) {
            seen().contains { $0.server == "b" } && seen().contains { $0.server == "a" && $0.stale }
        }
        #expect(seen().contains { $0.server == "b" }, "the added target is scraped")
        #expect(seen().contains { $0.server == "a" && $0.stale }, "the removed target's series go stale")
        await agent.stop()
        await a.shutdown()
        await b.shutdown()
    }
}

/// A target that relabeling sends to `https` is not scraped at all (https is not supported yet):
/// it would otherwise be scraped in plain text, with its credentials.
@Suite(.timeLimit(.minutes(1)))
struct ScrapeSchemeTests {
    @Test func aTargetRelabeledToHTTPSIsDropped() async throws {
        let plain = try PrometheusServer.freePort()
        let secure = try PrometheusServer.freePort()
        let agent = try await TestAgent(yaml: """
            receivers:
              prometheus:
                config:
                  scrape_configs:
                    - job_name: schemes
                      scrape_interval: 1h
                      static_configs:
                        - targets: ["127.0.0.1:\(plain)", "127.0.0.1:\(secure)"]
                      relabel_configs:
                        - source_labels: [__address__]
                          regex: "127.0.0.1:\(secure)"
                          target_label: __scheme__
                          replacement: https
            exporters:
              nop:
            service:
              pipelines:
                metrics:
                  receivers: [prometheus]
                  exporters: [nop]
            """)
        let gauge = { agent.renderedMetric("otelsw_receiver_scrape_targets", ["scrape_job": "schemes"]) }
        #expect(await eventually { gauge() != nil })
        #expect(gauge() == 1, "only the http target is scraped")
        await agent.stop()
    }
}
