import OTelModel

/// Prometheus Remote-Write 1.0 (`prometheus.WriteRequest`), the protocol every Prometheus-compatible
/// receiver speaks. Field numbers from `prompb/remote.proto` and `prompb/types.proto`.
public enum RemoteWrite {
    /// The headers every request carries; users cannot override them.
    public static let requiredHeaders: [(String, String)] = [
        ("content-encoding", "snappy"),
        ("content-type", "application/x-protobuf"),
        ("x-prometheus-remote-write-version", "0.1.0"),
    ]

    /// The float64 bit pattern of a staleness marker: a signalling NaN no target ever produces.
    public static let staleNaN = Double(bitPattern: 0x7FF0_0000_0000_0002)

    /// Whether `value` is exactly the staleness marker (compares bits: every NaN is not a marker).
    @inline(__always) public static func isStaleMarker(_ value: Double) -> Bool {
        value.bitPattern == staleNaN.bitPattern
    }

    public typealias Label = PromLabel

    public struct Sample: Sendable, Equatable {
        public var value: Double
        public var timestampMs: Int64
        public init(value: Double, timestampMs: Int64) {
            self.value = value
            self.timestampMs = timestampMs
        }
        public static func == (a: Sample, b: Sample) -> Bool { a.value.bitPattern == b.value.bitPattern && a.timestampMs == b.timestampMs }
    }

    public struct Exemplar: Sendable, Equatable {
        public var labels: [Label]
        public var value: Double
        public var timestampMs: Int64
        public init(labels: [Label], value: Double, timestampMs: Int64) {
            self.labels = labels
            self.value = value
            self.timestampMs = timestampMs
        }
    }

    /// A series' labels together with their encoding as the `labels` fields of a `TimeSeries`
    /// message, made once: a series that comes back in every batch is encoded from these bytes.
    public final class LabelSet: Sendable {
        public let labels: [Label]
        public let encoded: [UInt8]

        public init(_ labels: [Label]) {
            self.labels = labels
            var w = ProtoWriter(capacity: labels.reduce(16) { $0 + $1.name.utf8.count + $1.value.utf8.count + 8 })
            for l in labels.reversed() { RemoteWrite.writeLabel(&w, l) }
            encoded = w.finish()
        }
    }

    /// One series: labels sorted by name (no duplicates), samples in time order.
    public struct TimeSeries: Sendable, Equatable {
        public var labelSet: LabelSet
        public var samples: [Sample]
        public var exemplars: [Exemplar]

        public init(labels: [Label], samples: [Sample] = [], exemplars: [Exemplar] = []) {
            self.init(labelSet: LabelSet(labels), samples: samples, exemplars: exemplars)
        }

        public init(labelSet: LabelSet, samples: [Sample] = [], exemplars: [Exemplar] = []) {
            self.labelSet = labelSet
            self.samples = samples
            self.exemplars = exemplars
        }

        public var labels: [Label] { labelSet.labels }

        public static func == (a: TimeSeries, b: TimeSeries) -> Bool {
            (a.labelSet === b.labelSet || a.labels == b.labels) && a.samples == b.samples && a.exemplars == b.exemplars
        }

        /// The encoded size of this series inside a request, close enough to split requests by size.
        public var estimatedSize: Int {
            // Upper bounds: per sample 2 (tag, length) + 9 (value) + 11 (timestamp); the labels exactly.
            var n = 4 + samples.count * 22 + exemplars.count * 48 + labelSet.encoded.count
            for e in exemplars { for l in e.labels { n += l.name.utf8.count + l.value.utf8.count + 10 } }
            return n
        }
    }

    /// Encodes a `WriteRequest` (uncompressed protobuf).
    public static func encode(_ series: [TimeSeries]) -> [UInt8] {
        var w = ProtoWriter(capacity: 64 + series.reduce(0) { $0 + $1.estimatedSize })
        for s in series.reversed() {
            let mark = w.written
            for e in s.exemplars.reversed() {
                let em = w.written
                w.varintField(0x18, UInt64(bitPattern: e.timestampMs))
                w.writeFixed64(e.value.bitPattern)
                w.writeTag(0x11)
                for l in e.labels.reversed() { writeLabel(&w, l) }
                w.closeMessage(tag: 0x1A, mark: em)
            }
            for sample in s.samples.reversed() {
                let sm = w.written
                w.varintField(0x10, UInt64(bitPattern: sample.timestampMs))
                // The value is written even when zero so every sample states it.
                w.writeFixed64(sample.value.bitPattern)
                w.writeTag(0x09)
                w.closeMessage(tag: 0x12, mark: sm)
            }
            s.labelSet.encoded.withUnsafeBytes { w.writeRaw($0) }
            w.closeMessage(tag: 0x0A, mark: mark)
        }
        return w.finish()
    }

    fileprivate static func writeLabel(_ w: inout ProtoWriter, _ l: Label) {
        let mark = w.written
        w.stringField(0x12, l.value)
        w.stringField(0x0A, l.name)
        w.closeMessage(tag: 0x0A, mark: mark)
    }
}

extension PromLabel: Comparable {
    public init(_ name: String, _ value: String) { self.init(name: name, value: value) }

    /// By name, then value; names are ASCII after sanitising, where string order is byte order.
    public static func < (a: PromLabel, b: PromLabel) -> Bool { a.name < b.name || (a.name == b.name && a.value < b.value) }
}
