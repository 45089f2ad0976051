@testable import Components
import OTelModel
import PromFormat
import PromText
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
}
