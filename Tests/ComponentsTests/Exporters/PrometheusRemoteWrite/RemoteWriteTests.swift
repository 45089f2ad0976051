import AgentTestSupport
@testable import Components
import Foundation
import NIOHTTP1
import OTelModel
import OTelTestSupport
import PromTranslation
import Testing
import Transport

/// OTLP metrics through the `prometheusremotewrite` exporter into a real Prometheus 2.42 (remote-write
/// receiver on), read back with its query API: names by the specification's rules, labels, values,
/// histogram buckets, summaries, `target_info`, and staleness markers.
@Suite(.timeLimit(.minutes(2)), .enabled(if: PrometheusServer.available))
struct RemoteWriteTests {
    static func point(_ value: Double, at t: UInt64, _ attributes: [KeyValue] = []) -> NumberDataPoint {
        var p = NumberDataPoint()
        p.value = .double(value)
        p.timeUnixNano = t
        p.startTimeUnixNano = t - 60_000_000_000
        p.attributes = Attributes(attributes)
        return p
    }

    /// One resource (service checkout in namespace shop) with a gauge, a counter, a histogram and a summary.
    static func sample(at t: UInt64) -> MetricsData {
        var gauge = Metric()
        gauge.name = "queue.depth"
        gauge.unit = "{item}"
        gauge.data = .gauge(Gauge(dataPoints: [point(7, at: t, [KeyValue("queue", "orders")]), point(3.5, at: t, [KeyValue("queue", "mail \"urgent\"\n")])]))

        var counter = Metric()
        counter.name = "http.server.requests"
        counter.unit = "1"
        var c = point(42, at: t, [KeyValue("http.route", "/checkout"), KeyValue("http_route", "/alias")])
        var exemplar = Exemplar()
        exemplar.traceID = TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10)
        exemplar.spanID = SpanID(0x1112_1314_1516_1718)
        exemplar.value = .double(1)
        exemplar.timeUnixNano = t
        c.exemplars = [exemplar]
        counter.data = .sum(Sum(dataPoints: [c], aggregationTemporality: .cumulative, isMonotonic: true))

        var histogram = Metric()
        histogram.name = "http.server.duration"
        histogram.unit = "s"
        var h = HistogramDataPoint()
        h.timeUnixNano = t
        h.startTimeUnixNano = t - 60_000_000_000
        h.count = 10
        h.sum = 2.5
        h.explicitBounds = [0.1, 0.5, 1]
        h.bucketCounts = [4, 3, 2, 1]
        h.attributes = [KeyValue("method", "GET")]
        histogram.data = .histogram(Histogram(dataPoints: [h], aggregationTemporality: .cumulative))

        var summary = Metric()
        summary.name = "rpc.latency"
        summary.unit = "ms"
        var s = SummaryDataPoint()
        s.timeUnixNano = t
        s.count = 5
        s.sum = 50
        s.quantileValues = [.init(quantile: 0.99, value: 30), .init(quantile: 0.5, value: 8)]
        summary.data = .summary(Summary(dataPoints: [s]))

        var delta = Metric()
        delta.name = "delta.count"
        delta.data = .sum(Sum(dataPoints: [point(1, at: t)], aggregationTemporality: .delta, isMonotonic: true))

        let resource = Resource(attributes: [
            KeyValue("service.name", "checkout"), KeyValue("service.namespace", "shop"),
            KeyValue("service.instance.id", "pod-1"), KeyValue("k8s.node.name", "node-a"),
        ])
        let scope = InstrumentationScope(name: "shop.metrics", version: "1.2.0")
        return MetricsData(resourceMetrics: [ResourceMetrics(resource: resource, scopeMetrics: [
            ScopeMetrics(scope: scope, metrics: [gauge, counter, histogram, summary, delta]),
        ])])
    }

    @Test func otlpMetricsArriveInPrometheusWithTheSpecificationsNames() async throws {
        let prometheus = try await PrometheusServer(config: "global:\n  scrape_interval: 1m\n", extraFlags: ["--enable-feature=exemplar-storage"])
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
                external_labels:
                  cluster: test
                  job: never-used
            service:
              pipelines:
                metrics:
                  receivers: [otlp]
                  exporters: [prometheusremotewrite]
            """)
        let nowMs = UInt64(Date().timeIntervalSince1970 * 1000)
        let t = nowMs * 1_000_000
        let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/metrics", headers: [("content-type", "application/x-protobuf")],
                                                 body: Self.sample(at: t).protobufBytes())
        #expect(r.status == 200)
        let at = Double(nowMs) / 1000

        let common = ["job": "shop/checkout", "instance": "pod-1", "otel_scope_name": "shop.metrics", "otel_scope_version": "1.2.0", "cluster": "test"]
        func labels(_ extra: [String: String]) -> [String: String] { common.merging(extra) { $1 } }

        let gauges = try await prometheus.waitFor("{__name__=\"queue_depth\"}") { $0.count == 2 }
        #expect(Set(gauges.map(\.description)) == Set([
            PrometheusServer.Series(labels: labels(["__name__": "queue_depth", "queue": "orders"]), value: 7).description,
            PrometheusServer.Series(labels: labels(["__name__": "queue_depth", "queue": "mail \"urgent\"\n"]), value: 3.5).description,
        ]))
        // Keys that collide once sanitised are joined in the order of the original keys ('.' before '_').
        let counter = try await prometheus.query("http_server_requests_total", at: at)
        #expect(counter.map(\.labels) == [labels(["__name__": "http_server_requests_total", "http_route": "/checkout;/alias"])])
        #expect(counter.map(\.value) == [42])

        // The counter's exemplar keeps its trace and span ids.
        let exemplars = try await HTTPTestClient.get(port: prometheus.port,
            path: "/api/v1/query_exemplars?query=http_server_requests_total&start=\(at - 60)&end=\(at + 60)")
        #expect(exemplars.bodyString.contains("\"trace_id\":\"0102030405060708090a0b0c0d0e0f10\""), "\(exemplars.bodyString)")
        #expect(exemplars.bodyString.contains("\"span_id\":\"1112131415161718\""))

        let buckets = try await prometheus.query("http_server_duration_seconds_bucket", at: at)
        #expect(Dictionary(uniqueKeysWithValues: buckets.map { ($0.labels["le"] ?? "?", $0.value) }) == ["0.1": 4, "0.5": 7, "1.0": 9, "+Inf": 10])
        #expect(buckets.allSatisfy { $0.labels["method"] == "GET" && $0.labels["job"] == "shop/checkout" })
        #expect(try await prometheus.query("http_server_duration_seconds_sum", at: at).map(\.value) == [2.5])
        #expect(try await prometheus.query("http_server_duration_seconds_count", at: at).map(\.value) == [10])

        let quantiles = try await prometheus.query("rpc_latency_milliseconds", at: at)
        #expect(Dictionary(uniqueKeysWithValues: quantiles.map { ($0.labels["quantile"] ?? "?", $0.value) }) == ["0.5": 8, "0.99": 30])
        #expect(try await prometheus.query("rpc_latency_milliseconds_count", at: at).map(\.value) == [5])

        let info = try await prometheus.query("target_info", at: at)
        #expect(info.map(\.labels) == [["__name__": "target_info", "job": "shop/checkout", "instance": "pod-1", "k8s_node_name": "node-a", "cluster": "test"]])
        #expect(try await prometheus.query("{__name__=~\"delta.*\"}", at: at).isEmpty)

        // A point without a recorded value is a staleness marker: the series ends there.
        var stale = Self.sample(at: t + 1_000_000_000)
        if case .gauge(var g) = stale.resourceMetrics[0].scopeMetrics[0].metrics[0].data {
            g.dataPoints[0].flags = DataPointFlags.noRecordedValue
            g.dataPoints.removeLast()
            stale.resourceMetrics[0].scopeMetrics[0].metrics = [Metric.with(name: "queue.depth", unit: "{item}", data: .gauge(g))]
        }
        let r2 = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/metrics", headers: [("content-type", "application/x-protobuf")],
                                                  body: stale.protobufBytes())
        #expect(r2.status == 200)
        let after = Double(nowMs + 1000) / 1000
        var orders: [PrometheusServer.Series] = []
        try await eventually(timeout: .seconds(20), every: .milliseconds(100)) {
            orders = try await prometheus.query("queue_depth{queue=\"orders\"}", at: after)
            return orders.isEmpty
        }
        #expect(orders.isEmpty, "the stale marker ends the series")
        #expect(try await prometheus.query("queue_depth{queue=\"orders\"}", at: at).map(\.value) == [7])

        await agent.stop()
        #expect(agent.renderedMetric("otelsw_exporter_sent_metric_points_total", ["exporter": "prometheusremotewrite"]) != nil)
        #expect(agent.renderedMetric("otelsw_exporter_dropped_items_total", ["exporter": "prometheusremotewrite", "reason": "unsupported_temporality"]) == 1, "the delta sum of the first request")
    }
}

extension Metric {
    static func with(name: String, unit: String, data: MetricData) -> Metric {
        var m = Metric()
        m.name = ByteString(name)
        m.unit = ByteString(unit)
        m.data = data
        return m
    }
}

/// Prometheus down while metrics keep coming, then up: every sample the agent accepted is in
/// Prometheus afterwards (the queue had room for all of them).
@Suite(.timeLimit(.minutes(2)), .enabled(if: PrometheusServer.available))
struct RemoteWriteOutageTests {
    @Test func samplesAcceptedWhilePrometheusIsDownArriveWhenItIsUp() async throws {
        let port = try await PersistentQueueProcessTests.freePort()
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            exporters:
              prometheusremotewrite:
                endpoint: http://127.0.0.1:\(port)/api/v1/write
                retry_on_failure:
                  initial_interval: 100ms
                  max_interval: 500ms
                  max_elapsed_time: 0
            service:
              pipelines:
                metrics:
                  receivers: [otlp]
                  exporters: [prometheusremotewrite]
            """)
        // 30 requests, one second of data apart, while nothing listens on the write URL.
        let base = (UInt64(Date().timeIntervalSince1970) - 60) * 1_000_000_000
        for i in 0..<30 {
            var g = Metric()
            g.name = "outage.progress"
            var p = NumberDataPoint()
            p.timeUnixNano = base + UInt64(i) * 1_000_000_000
            p.value = .int(Int64(i))
            g.data = .gauge(Gauge(dataPoints: [p]))
            let data = MetricsData(resourceMetrics: [ResourceMetrics(resource: Resource(attributes: [KeyValue("service.name", "outage")]),
                                                                     scopeMetrics: [ScopeMetrics(metrics: [g])])])
            let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/metrics", headers: [("content-type", "application/x-protobuf")],
                                                     body: data.protobufBytes())
            #expect(r.status == 200)
        }
        #expect((agent.renderedMetric("otelsw_exporter_retries_total", ["exporter": "prometheusremotewrite"]) ?? 0) > 0)

        let prometheus = try await PrometheusServer(config: "global:\n  scrape_interval: 1m\n", port: port)
        defer { prometheus.stop() }
        let at = Double(base / 1_000_000_000 + 29)
        var got: [PrometheusServer.Series] = []
        try await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
            got = try await prometheus.query("count_over_time(outage_progress[1m])", at: at + 0.5)
            return got.first?.value == 30
        }
        #expect(got.map(\.value) == [30], "all 30 samples, in order, none rejected")
        #expect(try await prometheus.query("sum_over_time(outage_progress[1m])", at: at + 0.5).map(\.value) == [435])
        await agent.stop()
        #expect(agent.renderedTotal("otelsw_exporter_dropped_items_total") == 0)
    }
}

/// The remote-write exporter against a scripted backend: 5xx and 429 are retried (honouring
/// Retry-After), other 4xx are dropped at once and counted; large batches are split under the size
/// limit, and every request is a valid snappy-compressed `WriteRequest`.
@Suite(.timeLimit(.minutes(1)))
struct RemoteWriteResponseTests {
    static func gauges(_ n: Int, at t: UInt64) -> MetricsData {
        var g = Metric()
        g.name = "load.value"
        var points: [NumberDataPoint] = []
        for i in 0..<n {
            var p = NumberDataPoint()
            p.timeUnixNano = t
            p.value = .int(Int64(i))
            p.attributes = [KeyValue("series", "s-\(i)-" + String(repeating: "x", count: 60))]
            points.append(p)
        }
        g.data = .gauge(Gauge(dataPoints: points))
        return MetricsData(resourceMetrics: [ResourceMetrics(resource: Resource(attributes: [KeyValue("service.name", "rw")]),
                                                             scopeMetrics: [ScopeMetrics(metrics: [g])])])
    }

    @Test func retryableAndPermanentResponsesAndSplitting() async throws {
        let backend = BackendResponseTests.ScriptedBackend(script: [(.serviceUnavailable, "1"), (.badRequest, nil)])
        try await backend.server.start()
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            exporters:
              prometheusremotewrite:
                endpoint: http://127.0.0.1:\(backend.port)/api/v1/write
                max_batch_size_bytes: 4096
                remote_write_queue:
                  num_consumers: 1
                retry_on_failure:
                  initial_interval: 10ms
                  max_interval: 20ms
            service:
              pipelines:
                metrics:
                  receivers: [otlp]
                  exporters: [prometheusremotewrite]
            """)
        let t = UInt64(Date().timeIntervalSince1970) * 1_000_000_000
        // The first batch meets 503 (retried after the second it asks for), then 400 on the retry: dropped.
        // The second batch (200 series) goes out in several requests under the 4 KiB limit.
        for data in [Self.gauges(5, at: t), Self.gauges(200, at: t)] {
            let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/metrics", headers: [("content-type", "application/x-protobuf")],
                                                     body: data.protobufBytes())
            #expect(r.status == 200)
        }
        // Both are counters: waiting for both at once is waiting for one, then the other.
        await eventually(timeout: .seconds(20)) {
            let dropped = agent.renderedMetric("otelsw_exporter_dropped_items_total",
                                               ["exporter": "prometheusremotewrite", "reason": "permanent_error"])
            let sent = agent.renderedMetric("otelsw_exporter_sent_metric_points_total", ["exporter": "prometheusremotewrite"])
            return (dropped ?? 0) != 0 && (sent ?? 0) >= 200
        }
        let times = backend.times
        #expect(times.count >= 2 + 5, "the second batch is split into at least five requests")
        #expect(times[1] - times[0] >= .milliseconds(950), "Retry-After: 1 was honoured")
        #expect(agent.renderedMetric("otelsw_exporter_dropped_items_total", ["exporter": "prometheusremotewrite", "reason": "permanent_error"]) == 5)
        #expect(agent.renderedMetric("otelsw_exporter_sent_metric_points_total", ["exporter": "prometheusremotewrite"]) == 200)
        await agent.stop()
        await backend.server.shutdown()
    }

    @Test func batchesAreSplitBelowTheLimitAndShardedBySeries() throws {
        var series: [RemoteWrite.TimeSeries] = []
        for i in 0..<500 {
            series.append(RemoteWrite.TimeSeries(labels: [PromLabel("__name__", "m"), PromLabel("i", "\(i)")],
                                                 samples: [RemoteWrite.Sample(value: Double(i), timestampMs: 1)]))
        }
        let requests = PrometheusRemoteWriteExporter.requests(series, maxBytes: 2000)
        #expect(requests.count > 5)
        #expect(requests.flatMap { $0 }.count == 500)
        for r in requests {
            #expect(r.reduce(0) { $0 + $1.estimatedSize } <= 2000)
            #expect(RemoteWrite.encode(r).count <= 2000, "the estimate never undershoots the encoding")
        }
        let hashes = series.map { s in UInt64(abs(s.labels[1].value.hashValue)) }
        let shards = PrometheusRemoteWriteExporter.shard(series, hashes: hashes, count: 4)
        #expect(shards.map(\.count).reduce(0, +) == 500)
        let again = PrometheusRemoteWriteExporter.shard(series, hashes: hashes, count: 4)
        #expect(shards.map { $0.map(\.labels) } == again.map { $0.map(\.labels) }, "a series always lands in the same shard")
    }
}
