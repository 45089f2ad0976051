@testable import Components
import OTelModel
import PromExposition
import PromTranslation
import Synchronization
import Testing

/// The scrape → OTLP conversion between scrapes: start times, resets, `_created`, series added, and
/// staleness markers for series that disappear or a target that fails.
@Suite struct ScrapeConverterTests {
    static let target = ScrapeTarget(job: "j", instance: "h:1", scheme: "http", host: "h", port: 1, labels: [PromLabel(name: "env", value: "t")])

    static func parse(_ text: String, openMetrics: Bool = false) throws -> Exposition {
        let result: Result<Exposition, ExpositionError> = Array(text.utf8).withUnsafeBytes { raw in
            do throws(ExpositionError) { return .success(try parseExposition(raw, format: openMetrics ? .openMetrics : .prometheusText)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    static func points(_ data: MetricsData, _ name: String) -> [NumberDataPoint] {
        data.resourceMetrics.flatMap { $0.scopeMetrics.flatMap { $0.metrics } }.filter { $0.name.string == name }.flatMap { m -> [NumberDataPoint] in
            switch m.data {
            case .gauge(let g): g.dataPoints
            case .sum(let s): s.dataPoints
            default: []
            }
        }
    }

    static func histograms(_ data: MetricsData, _ name: String) -> [HistogramDataPoint] {
        data.resourceMetrics.flatMap { $0.scopeMetrics.flatMap { $0.metrics } }.filter { $0.name.string == name }.flatMap { m -> [HistogramDataPoint] in
            if case .histogram(let h) = m.data { return h.dataPoints }
            return []
        }
    }

    static func metrics(_ data: MetricsData, _ name: String) -> [Metric] {
        data.resourceMetrics.flatMap { $0.scopeMetrics.flatMap { $0.metrics } }.filter { $0.name.string == name }
    }

    /// Numbers a target controls never trap the conversion: timestamps, counts, `_created` and
    /// exemplar times beyond what OTLP's unsigned fields hold saturate, NaN counts are 0.
    @Test func hostileNumbersSaturateInsteadOfTrapping() throws {
        var c = ScrapeConverter(target: Self.target, scopeVersion: "t", relabel: nil)
        let text = try Self.parse("""
            # TYPE big gauge
            big 1 9223372036854775807
            # TYPE h histogram
            h_bucket{le="1"} NaN
            h_bucket{le="+Inf"} +Inf
            h_sum 1
            h_count +Inf
            # TYPE s summary
            s{quantile="0.5"} 1
            s_sum 1
            s_count 1e300

            """)
        let (d, _) = c.convert(text, at: 10_000_000_000, duration: 0.01)
        #expect(Self.points(d, "big").first?.timeUnixNano == .max)
        let h = try #require(Self.histograms(d, "h").first)
        #expect(h.count == .max && h.bucketCounts == [0, .max])
        let summary = try #require(Self.metrics(d, "s").first)
        guard case .summary(let sm) = summary.data else { Issue.record("not a summary"); return }
        #expect(sm.dataPoints.first?.count == .max)

        let open = try Self.parse("""
            # TYPE c counter
            c_total 5 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 1 1e300
            c_created 1e300
            # TYPE n counter
            n_total 5
            n_created +Inf
            # EOF

            """, openMetrics: true)
        var o = ScrapeConverter(target: Self.target, scopeVersion: "t", relabel: nil)
        let (od, _) = o.convert(open, at: 10_000_000_000, duration: 0.01)
        let counter = try #require(Self.points(od, "c_total").first)
        #expect(counter.startTimeUnixNano == .max)
        #expect(counter.exemplars.first?.timeUnixNano == .max)
        #expect(Self.points(od, "n_total").first?.startTimeUnixNano == .max)
    }

    @Test func startTimesResetsAndStaleness() throws {
        var c = ScrapeConverter(target: Self.target, scopeVersion: "t", relabel: nil)
        let s = UInt64(1_000_000_000)
        let first = try Self.parse("""
            # TYPE c_total counter
            c_total{a="1"} 5
            # TYPE g gauge
            g 1
            # TYPE h histogram
            h_bucket{le="1"} 1
            h_bucket{le="+Inf"} 3
            h_sum 4
            h_count 3

            """)
        let (d1, skipped) = c.convert(first, at: 10 * s, duration: 0.01)
        #expect(skipped == .init())
        let c1 = try #require(Self.points(d1, "c_total").first)
        #expect(c1.startTimeUnixNano == 10 * s && c1.value == .double(5))
        #expect(c1.attributes[key: "a"] == .string("1") && c1.attributes[key: "env"] == .string("t"))
        let h1 = try #require(Self.histograms(d1, "h").first)
        #expect(h1.explicitBounds == [1] && h1.bucketCounts == [1, 2] && h1.count == 3 && h1.sum == 4)
        #expect(Self.points(d1, "up").first?.value == .double(1))
        #expect(Self.points(d1, "scrape_series_added").first?.value == .double(3))
        #expect(Self.points(d1, "scrape_samples_scraped").first?.value == .double(6))
        let scope = d1.resourceMetrics[0].scopeMetrics.first?.scope
        #expect(scope?.name == "otelsw/receiver/prometheus" && scope?.version == "t")
        let resource = d1.resourceMetrics[0].resource?.attributes
        #expect(resource?[key: "service.name"] == .string("j") && resource?[key: "service.instance.id"] == .string("h:1"))

        // The gauge is gone: one staleness marker; the counter keeps its start time.
        let (d2, _) = c.convert(try Self.parse("# TYPE c_total counter\nc_total{a=\"1\"} 7\n"), at: 20 * s, duration: 0.01)
        #expect(Self.points(d2, "c_total").first?.startTimeUnixNano == 10 * s)
        let stale = try #require(Self.points(d2, "g").first)
        #expect(stale.flags == DataPointFlags.noRecordedValue)
        #expect(Self.histograms(d2, "h").first?.flags == DataPointFlags.noRecordedValue)
        #expect(Self.points(d2, "scrape_series_added").first?.value == .double(0))

        // The counter went down: a reset, so it starts again just after the previous point.
        let (d3, _) = c.convert(try Self.parse("# TYPE c_total counter\nc_total{a=\"1\"} 2\n"), at: 30 * s, duration: 0.01)
        #expect(Self.points(d3, "c_total").first?.startTimeUnixNano == 20 * s + 1_000_000)
        #expect(Self.points(d3, "g").isEmpty, "a stale series is marked once")

        // A failed scrape: up 0 and the counter goes stale.
        let d4 = c.convertFailure(at: 40 * s, duration: 0.5)
        #expect(Self.points(d4, "up").first?.value == .double(0))
        #expect(Self.points(d4, "c_total").first?.flags == DataPointFlags.noRecordedValue)
        #expect(c.convertRemoval(at: 50 * s) == nil, "nothing left to mark")
    }

    @Test func openMetricsCreatedIsTheStartTime() throws {
        var c = ScrapeConverter(target: Self.target, scopeVersion: "t", relabel: nil)
        let om = try Self.parse("""
            # TYPE requests counter
            requests_total 10
            requests_created 1700000000.5
            # EOF

            """, openMetrics: true)
        let (d, _) = c.convert(om, at: 1_800_000_000_000_000_000, duration: 0.01)
        let p = try #require(Self.points(d, "requests_total").first)
        #expect(p.startTimeUnixNano == 1_700_000_000_500_000_000)
        #expect(Self.points(d, "requests_created").isEmpty)
    }

    /// A line is worked out once and remembered; what is remembered must follow the line's family,
    /// the relabeling outcome, and the series' state when other series come and go.
    @Test func rememberedLinesKeepTheirFamilyRelabelingAndState() throws {
        let calls = Atomic<Int>(0)
        var c = ScrapeConverter(target: Self.target, scopeVersion: "t", relabel: { labels in
            calls.add(1, ordering: .relaxed)
            return labels.contains { $0.name == "drop" } ? nil : labels
        })
        let s = UInt64(1_000_000_000)
        let text = """
            # TYPE c_total counter
            c_total{k="1"} 10
            c_total{k="2"} 20
            c_total{k="3"} 30
            c_total{k="4",drop="y"} 40

            """
        let (d1, _) = c.convert(try Self.parse(text), at: 10 * s, duration: 0.01)
        #expect(calls.load(ordering: .relaxed) == 4)
        let (d2, _) = c.convert(try Self.parse(text), at: 20 * s, duration: 0.01)
        #expect(calls.load(ordering: .relaxed) == 4, "the second scrape of the same lines relabels nothing again")
        for d in [d1, d2] {
            #expect(Self.points(d, "c_total").map(\.value) == [.double(10), .double(20), .double(30)])
            #expect(Self.points(d, "scrape_samples_post_metric_relabeling").first?.value == .double(3))
            #expect(Self.points(d, "scrape_samples_scraped").first?.value == .double(4))
        }

        // k=2 disappears (the converter forgets its state), then comes back as a new series; k=3
        // keeps its start time throughout.
        let without = text.split(separator: "\n").filter { !$0.contains("k=\"2\"") }.joined(separator: "\n") + "\n"
        let (d3, _) = c.convert(try Self.parse(without), at: 30 * s, duration: 0.01)
        #expect(Self.points(d3, "c_total").filter { $0.flags == 0 }.map(\.value) == [.double(10), .double(30)])
        let (d4, _) = c.convert(try Self.parse(text), at: 40 * s, duration: 0.01)
        let byKey = Dictionary(uniqueKeysWithValues: Self.points(d4, "c_total").map { p -> (String, NumberDataPoint) in
            guard case .string(let k)? = p.attributes[key: "k"] else { return ("?", p) }
            return (k.string, p)
        })
        #expect(byKey["1"]?.startTimeUnixNano == 10 * s && byKey["1"]?.value == .double(10))
        #expect(byKey["2"]?.startTimeUnixNano == 40 * s && byKey["2"]?.value == .double(20))
        #expect(byKey["3"]?.startTimeUnixNano == 10 * s && byKey["3"]?.value == .double(30))
        #expect(Self.points(d4, "scrape_series_added").first?.value == .double(1))

        // The same line under another family type is another thing: a gauge, then a summary's sum.
        var g = ScrapeConverter(target: Self.target, scopeVersion: "t", relabel: nil)
        let (asGauge, _) = g.convert(try Self.parse("# TYPE m_sum gauge\nm_sum 3\n"), at: 10 * s, duration: 0.01)
        #expect(Self.points(asGauge, "m_sum").map(\.value) == [.double(3)])
        let (asSummary, _) = g.convert(try Self.parse("# TYPE m summary\nm_sum 3\nm_count 1\n"), at: 20 * s, duration: 0.01)
        #expect(Self.points(asSummary, "m_sum").allSatisfy { $0.flags == DataPointFlags.noRecordedValue }, "the gauge went stale")
        let summary = asSummary.resourceMetrics.flatMap { $0.scopeMetrics.flatMap(\.metrics) }.first { $0.name == "m" }
        guard case .summary(let points) = summary?.data else {
            Issue.record("m is not a summary: \(String(describing: summary))")
            return
        }
        #expect(points.dataPoints.map(\.sum) == [3] && points.dataPoints.map(\.count) == [1])
    }
}
