/// The part of a sample name after its family name, as defined per type by OpenMetrics
/// ("Suffixes") and by the Prometheus text format for histograms and summaries.
enum SampleSuffix: UInt8, CaseIterable {
    case none
    case total
    case created
    case bucket
    case count
    case sum
    case gcount
    case gsum
    case info

    /// Every suffix other than ``none``, for slow-path lookups.
    static let named: [SampleSuffix] = [.total, .created, .bucket, .count, .sum, .gcount, .gsum, .info]

    @inline(__always)
    var bit: UInt16 { 1 << UInt16(rawValue) }

    var text: StaticString {
        switch self {
        case .none: ""
        case .total: "_total"
        case .created: "_created"
        case .bucket: "_bucket"
        case .count: "_count"
        case .sum: "_sum"
        case .gcount: "_gcount"
        case .gsum: "_gsum"
        case .info: "_info"
        }
    }

    var string: String { text.description }

    /// Classifies `bytes[start..<end]` (the name remainder after the family name), or `nil` if it
    /// is no known suffix.
    @inline(__always)
    static func classify(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> SampleSuffix? {
        let length = end - start
        switch length {
        case 4:
            return matches(bytes + start, SampleSuffix.sum.text) ? .sum : nil
        case 5:
            if matches(bytes + start, SampleSuffix.info.text) { return .info }
            return matches(bytes + start, SampleSuffix.gsum.text) ? .gsum : nil
        case 6:
            if matches(bytes + start, SampleSuffix.total.text) { return .total }
            return matches(bytes + start, SampleSuffix.count.text) ? .count : nil
        case 7:
            if matches(bytes + start, SampleSuffix.bucket.text) { return .bucket }
            return matches(bytes + start, SampleSuffix.gcount.text) ? .gcount : nil
        case 8:
            return matches(bytes + start, SampleSuffix.created.text) ? .created : nil
        default:
            return nil
        }
    }

    @inline(__always)
    private static func matches(_ bytes: UnsafePointer<UInt8>, _ text: StaticString) -> Bool {
        bytesEqual(bytes, text.utf8Start, count: text.utf8CodeUnitCount)
    }
}

extension MetricType {
    /// Bit set of the ``SampleSuffix`` values a sample of this family type may carry.
    func allowedSuffixes(openMetrics: Bool) -> UInt16 {
        if openMetrics {
            switch self {
            case .counter: return SampleSuffix.total.bit | SampleSuffix.created.bit
            case .histogram:
                return SampleSuffix.bucket.bit | SampleSuffix.count.bit | SampleSuffix.sum.bit
                    | SampleSuffix.created.bit
            case .gaugehistogram: return SampleSuffix.bucket.bit | SampleSuffix.gcount.bit | SampleSuffix.gsum.bit
            case .summary:
                return SampleSuffix.none.bit | SampleSuffix.count.bit | SampleSuffix.sum.bit | SampleSuffix.created.bit
            case .info: return SampleSuffix.info.bit
            case .gauge, .stateset, .unknown: return SampleSuffix.none.bit
            }
        }
        switch self {
        case .histogram: return SampleSuffix.bucket.bit | SampleSuffix.count.bit | SampleSuffix.sum.bit
        case .summary: return SampleSuffix.none.bit | SampleSuffix.count.bit | SampleSuffix.sum.bit
        default: return SampleSuffix.none.bit
        }
    }

    /// The sample names a family `name` of this type accepts, for error messages.
    func expectedSampleNames(for name: String, openMetrics: Bool) -> String {
        let mask = allowedSuffixes(openMetrics: openMetrics)
        return SampleSuffix.allCases
            .filter { mask & $0.bit != 0 }
            .map { name + $0.string }
            .joined(separator: ", ")
    }

    /// The type for a `# TYPE` word; Prometheus text knows five words, OpenMetrics eight.
    init?(typeWord: String, openMetrics: Bool) {
        if openMetrics {
            guard let type = MetricType(rawValue: typeWord) else { return nil }
            self = type
            return
        }
        switch typeWord {
        case "counter": self = .counter
        case "gauge": self = .gauge
        case "histogram": self = .histogram
        case "summary": self = .summary
        case "untyped": self = .unknown
        default: return nil
        }
    }
}
