@testable import Components
import OTelModel
import PromTranslation
import Testing

/// The translator remembers the series it made (labels and their encoding) between batches. These
/// check that what it remembers never changes what it produces: series that meet under one label set
/// in a batch stay one series, and families sharing an attribute set keep their own names whatever
/// order they come in.
@Suite struct RemoteWriteTranslatorTests {
    static let ms: UInt64 = 1_000_000
    /// Sample times are this many milliseconds past a base far enough from zero for start times.
    static let base: UInt64 = 1_700_000_000_000

    static func gauge(_ name: String, _ points: [(Double, UInt64, [KeyValue])]) -> Metric {
        .with(name: name, unit: "", data: .gauge(Gauge(dataPoints: points.map { RemoteWriteTests.point($0.0, at: $0.1, $0.2) })))
    }

    static func histogram(_ name: String, at t: UInt64, _ attributes: [KeyValue]) -> Metric {
        var p = HistogramDataPoint()
        p.attributes = Attributes(attributes)
        p.timeUnixNano = t
        p.startTimeUnixNano = t - 1000 * ms
        p.explicitBounds = [0.1, 1]
        p.bucketCounts = [1, 2, 3]
        p.count = 6
        p.sum = 4.5
        return .with(name: name, unit: "s", data: .histogram(Histogram(dataPoints: [p], aggregationTemporality: .cumulative)))
    }

    static func data(_ metrics: [Metric], service: String = "svc") -> MetricsData {
        MetricsData(resourceMetrics: [ResourceMetrics(
            resource: Resource(attributes: [KeyValue("service.name", service), KeyValue("service.instance.id", "host:1")]),
            scopeMetrics: [ScopeMetrics(metrics: metrics)])])
    }

    /// Series by their label text, each with its sample values in order.
    static func table(_ series: [RemoteWrite.TimeSeries]) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for s in series {
            let text = s.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            #expect(out[text] == nil, "one TimeSeries per label set: \(text)")
            #expect(s.samples.map(\.timestampMs) == s.samples.map(\.timestampMs).sorted(), "samples in time order: \(text)")
            out[text] = s.samples.map(\.value)
        }
        return out
    }

    func translator() -> RemoteWriteTranslator {
        var settings = RemoteWriteTranslator.Settings()
        settings.targetInfo = false
        return RemoteWriteTranslator(settings: settings)
    }

    @Test func pointsThatMeetUnderOneLabelSetAreOneSeriesInEveryBatch() {
        let t = translator()
        // `a.b` and `a_b` both become the label a_b; the later point comes first in the batch.
        let metric = Self.gauge("m", [(2, (Self.base + 2000) * Self.ms, [KeyValue("a.b", "x")]), (1, (Self.base + 1000) * Self.ms, [KeyValue("a_b", "x")])])
        for round in 0..<3 {
            let (series, hashes, _) = t.translate(Self.data([metric]))
            #expect(Self.table(series) == ["__name__=m,a_b=x,instance=host:1,job=svc": [1, 2]], "round \(round)")
            #expect(hashes.count == series.count)
        }
        // A value that has no cached form (an array) reaches the same labels as a string point.
        let mixed = Self.gauge("m", [(1, (Self.base + 1000) * Self.ms, [KeyValue("k", "[1,2]")]),
                                     (2, (Self.base + 2000) * Self.ms, [KeyValue(key: "k", value: .array([.int(1), .int(2)]))])])
        for _ in 0..<2 {
            #expect(Self.table(t.translate(Self.data([mixed])).series) == ["__name__=m,instance=host:1,job=svc,k=[1,2]": [1, 2]])
        }
    }

    @Test func familiesSharingAnAttributeSetKeepTheirNamesInAnyOrder() {
        let t = translator()
        let attributes = [KeyValue("route", "/a")]
        let a = Self.gauge("first", [(1, (Self.base + 1000) * Self.ms, attributes)])
        let b = Self.gauge("second", [(2, (Self.base + 1000) * Self.ms, attributes)])
        let h = Self.histogram("latency", at: (Self.base + 1000) * Self.ms, attributes)
        let want: [String: [Double]] = [
            "__name__=first,instance=host:1,job=svc,route=/a": [1],
            "__name__=second,instance=host:1,job=svc,route=/a": [2],
            "__name__=latency_seconds_bucket,instance=host:1,job=svc,le=0.1,route=/a": [1],
            "__name__=latency_seconds_bucket,instance=host:1,job=svc,le=1.0,route=/a": [3],
            "__name__=latency_seconds_bucket,instance=host:1,job=svc,le=+Inf,route=/a": [6],
            "__name__=latency_seconds_sum,instance=host:1,job=svc,route=/a": [4.5],
            "__name__=latency_seconds_count,instance=host:1,job=svc,route=/a": [6],
        ]
        for order in [[a, b, h], [h, b, a], [b, h, a], [a, b, h]] {
            let (series, hashes, _) = t.translate(Self.data(order))
            #expect(Self.table(series) == want)
            // The hash that picks a series' shard does not depend on the batch it is in.
            let byName = Dictionary(uniqueKeysWithValues: zip(series.map { $0.labels.map(\.value).joined(separator: ",") }, hashes))
            let again = t.translate(Self.data([a, b, h]))
            for (s, hash) in zip(again.series, again.hashes) {
                #expect(byName[s.labels.map(\.value).joined(separator: ",")] == hash)
            }
        }
        // Another resource with the same attributes gets its own job label.
        let other = t.translate(Self.data([a], service: "other")).series
        #expect(Self.table(other) == ["__name__=first,instance=host:1,job=other,route=/a": [1]])
    }

    @Test func cachedLabelEncodingIsTheProtobufOfTheLabels() throws {
        let t = translator()
        let metric = Self.gauge("m", [(1, (Self.base + 1000) * Self.ms, [KeyValue("k", "välue \"q\"")])])
        _ = t.translate(Self.data([metric]))
        let series = t.translate(Self.data([metric])).series
        // Encoding from the cached bytes equals encoding a series built afresh from its labels.
        let fresh = series.map { RemoteWrite.TimeSeries(labels: Array($0.labels), samples: $0.samples) }
        #expect(RemoteWrite.encode(series) == RemoteWrite.encode(fresh))
        #expect(RemoteWrite.encode(series).count <= series.reduce(64) { $0 + $1.estimatedSize })
    }

    /// Metrics decoded from a request point into the request's bytes; what the translator remembers
    /// must not keep those bytes alive once the batch is gone.
    @Test func rememberedSeriesDoNotHoldRequestBuffers() throws {
        let t = translator()
        let metric = Self.gauge("m", [(1, (Self.base + 1000) * Self.ms, [KeyValue("k", "a value longer than a small string")])])
        let bytes = Self.data([metric, Self.histogram("h", at: (Self.base + 1000) * Self.ms, [KeyValue("route", "/x")])]).protobufBytes()
        weak var request: ByteStorage?
        var translated = 0
        do {
            let storage = ByteStorage(copying: bytes)
            request = storage
            let decoded = try MetricsData(protobuf: storage)
            translated = t.translate(decoded).series.count
        }
        #expect(translated == 6)
        #expect(request == nil, "the request's bytes were freed")
        // The remembered series are used for the same data again.
        #expect(t.translate(try MetricsData(protobuf: bytes)).series.count == 6)
    }
}
