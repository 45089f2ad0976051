/// An OTLP metrics payload; the same message as `ExportMetricsServiceRequest`. (`metrics/v1/metrics.proto`)
public struct MetricsData: Sendable, Equatable {
    /// The payload's resources. Any change, in place or by assignment, forgets the source request.
    /// (A `_modify` accessor rather than `didSet`, so that changing one item deep inside changes it
    /// in place instead of copying the arrays around it.)
    public var resourceMetrics: [ResourceMetrics] {
        get { storedResourceMetrics }
        set {
            storedResourceMetrics = newValue
            source = SourceEncoding()
        }
        _modify {
            source = SourceEncoding()
            yield &storedResourceMetrics
        }
    }
    private var storedResourceMetrics: [ResourceMetrics]
    /// The request this payload was decoded from, while it is unchanged (see ``SourceEncoding``).
    public internal(set) var source = SourceEncoding()

    public init(resourceMetrics: [ResourceMetrics] = []) { storedResourceMetrics = resourceMetrics }

    /// The number of data points in the payload (the collector's item count for metrics).
    public var dataPointCount: Int {
        var n = 0
        for rm in resourceMetrics { for sm in rm.scopeMetrics { for m in sm.metrics { n += m.data.dataPointCount } } }
        return n
    }
}

public struct ResourceMetrics: Sendable, Equatable {
    public var resource: Resource?
    public var scopeMetrics: [ScopeMetrics]
    public var schemaURL: ByteString

    public init(resource: Resource? = nil, scopeMetrics: [ScopeMetrics] = [], schemaURL: ByteString = .empty) {
        self.resource = resource
        self.scopeMetrics = scopeMetrics
        self.schemaURL = schemaURL
    }
}

public struct ScopeMetrics: Sendable, Equatable {
    public var scope: InstrumentationScope?
    public var metrics: [Metric]
    public var schemaURL: ByteString

    public init(scope: InstrumentationScope? = nil, metrics: [Metric] = [], schemaURL: ByteString = .empty) {
        self.scope = scope
        self.metrics = metrics
        self.schemaURL = schemaURL
    }
}

public struct Metric: Sendable, Equatable {
    public var name: ByteString = .empty
    public var description: ByteString = .empty
    public var unit: ByteString = .empty
    public var data: MetricData = .none
    public var metadata: [KeyValue] = []

    public init() {}
}

/// The `data` oneof of `Metric`.
public enum MetricData: Sendable, Equatable {
    case none
    case gauge(Gauge)
    case sum(Sum)
    case histogram(Histogram)
    case exponentialHistogram(ExponentialHistogram)
    case summary(Summary)

    public var dataPointCount: Int {
        switch self {
        case .none: 0
        case .gauge(let g): g.dataPoints.count
        case .sum(let s): s.dataPoints.count
        case .histogram(let h): h.dataPoints.count
        case .exponentialHistogram(let e): e.dataPoints.count
        case .summary(let s): s.dataPoints.count
        }
    }
}

/// `AggregationTemporality`.
public struct AggregationTemporality: RawRepresentable, Sendable, Hashable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let unspecified = AggregationTemporality(rawValue: 0)
    public static let delta = AggregationTemporality(rawValue: 1)
    public static let cumulative = AggregationTemporality(rawValue: 2)
}

/// `DataPointFlags`: bit 0 is "no recorded value" (a staleness marker).
public enum DataPointFlags {
    public static let noRecordedValue: UInt32 = 1
}

public struct Gauge: Sendable, Equatable {
    public var dataPoints: [NumberDataPoint]
    public init(dataPoints: [NumberDataPoint] = []) { self.dataPoints = dataPoints }
}

public struct Sum: Sendable, Equatable {
    public var dataPoints: [NumberDataPoint]
    public var aggregationTemporality: AggregationTemporality
    public var isMonotonic: Bool

    public init(dataPoints: [NumberDataPoint] = [], aggregationTemporality: AggregationTemporality = .unspecified, isMonotonic: Bool = false) {
        self.dataPoints = dataPoints
        self.aggregationTemporality = aggregationTemporality
        self.isMonotonic = isMonotonic
    }
}

public struct Histogram: Sendable, Equatable {
    public var dataPoints: [HistogramDataPoint]
    public var aggregationTemporality: AggregationTemporality

    public init(dataPoints: [HistogramDataPoint] = [], aggregationTemporality: AggregationTemporality = .unspecified) {
        self.dataPoints = dataPoints
        self.aggregationTemporality = aggregationTemporality
    }
}

public struct ExponentialHistogram: Sendable, Equatable {
    public var dataPoints: [ExponentialHistogramDataPoint]
    public var aggregationTemporality: AggregationTemporality

    public init(dataPoints: [ExponentialHistogramDataPoint] = [], aggregationTemporality: AggregationTemporality = .unspecified) {
        self.dataPoints = dataPoints
        self.aggregationTemporality = aggregationTemporality
    }
}

public struct Summary: Sendable, Equatable {
    public var dataPoints: [SummaryDataPoint]
    public init(dataPoints: [SummaryDataPoint] = []) { self.dataPoints = dataPoints }
}

/// The `value` oneof of `NumberDataPoint` and `Exemplar`.
public enum NumberValue: Sendable, Equatable {
    case none
    case double(Double)
    case int(Int64)

    /// The value as a double (0 when absent).
    public var doubleValue: Double {
        switch self {
        case .none: 0
        case .double(let d): d
        case .int(let i): Double(i)
        }
    }
}

public struct NumberDataPoint: Sendable, Equatable {
    public var attributes: Attributes = []
    public var startTimeUnixNano: UInt64 = 0
    public var timeUnixNano: UInt64 = 0
    public var value: NumberValue = .none
    public var exemplars: [Exemplar] = []
    public var flags: UInt32 = 0

    public init() {}
}

public struct HistogramDataPoint: Sendable, Equatable {
    public var attributes: Attributes = []
    public var startTimeUnixNano: UInt64 = 0
    public var timeUnixNano: UInt64 = 0
    public var count: UInt64 = 0
    public var sum: Double?
    public var bucketCounts: [UInt64] = []
    public var explicitBounds: [Double] = []
    public var exemplars: [Exemplar] = []
    public var flags: UInt32 = 0
    public var min: Double?
    public var max: Double?

    public init() {}
}

public struct ExponentialHistogramDataPoint: Sendable, Equatable {
    public struct Buckets: Sendable, Equatable {
        public var offset: Int32 = 0
        public var bucketCounts: [UInt64] = []
        public init() {}
    }

    public var attributes: Attributes = []
    public var startTimeUnixNano: UInt64 = 0
    public var timeUnixNano: UInt64 = 0
    public var count: UInt64 = 0
    public var sum: Double?
    public var scale: Int32 = 0
    public var zeroCount: UInt64 = 0
    public var positive: Buckets?
    public var negative: Buckets?
    public var flags: UInt32 = 0
    public var exemplars: [Exemplar] = []
    public var min: Double?
    public var max: Double?
    public var zeroThreshold: Double = 0

    public init() {}
}

public struct SummaryDataPoint: Sendable, Equatable {
    public struct ValueAtQuantile: Sendable, Equatable {
        public var quantile: Double
        public var value: Double
        public init(quantile: Double = 0, value: Double = 0) {
            self.quantile = quantile
            self.value = value
        }
    }

    public var attributes: Attributes = []
    public var startTimeUnixNano: UInt64 = 0
    public var timeUnixNano: UInt64 = 0
    public var count: UInt64 = 0
    public var sum: Double = 0
    public var quantileValues: [ValueAtQuantile] = []
    public var flags: UInt32 = 0

    public init() {}
}

public struct Exemplar: Sendable, Equatable {
    public var filteredAttributes: Attributes = []
    public var timeUnixNano: UInt64 = 0
    public var value: NumberValue = .none
    public var spanID: SpanID = .zero
    public var traceID: TraceID = .zero

    public init() {}
}
