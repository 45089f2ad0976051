// OTLP/JSON codec for metrics.proto (ExportMetricsServiceRequest / MetricsData). (otlp.md §5, §7)

private let temporalityNames: [StaticString] = [
    "AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA", "AGGREGATION_TEMPORALITY_CUMULATIVE",
]

extension MetricsData {
    /// Decodes an OTLP/JSON `ExportMetricsServiceRequest`; strings without escapes stay views into
    /// `storage`. Keys may be lowerCamelCase or snake_case; unknown keys are skipped.
    public init(json storage: ByteStorage) throws(JSONDecodingError) {
        var r = JSONReader(storage: storage)
        var list: [ResourceMetrics] = []
        try r.readDocument { (r, key) throws(JSONDecodingError) in
            switch key {
            case "resourceMetrics": try r.readArray { (r) throws(JSONDecodingError) in list.append(try ResourceMetrics.decode(&r)) }
            default: try r.skipValue()
            }
        }
        self.init(resourceMetrics: list)
    }

    /// Decodes a copy of `bytes`.
    public init(json bytes: some Collection<UInt8>) throws(JSONDecodingError) {
        try self.init(json: ByteStorage(copying: bytes))
    }

    /// Encodes as an OTLP/JSON `ExportMetricsServiceRequest`.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter(capacity: 256 + dataPointCount * 512)
        w.beginObject()
        w.arrayField("resourceMetrics", resourceMetrics) { rm, w in rm.encode(&w) }
        w.endObject()
        return w.finish()
    }
}

extension ResourceMetrics {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> ResourceMetrics {
        var rm = ResourceMetrics()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "resource": rm.resource = try Resource.decodeField(&r)
            case "scopeMetrics": try r.readArray { (r) throws(JSONDecodingError) in rm.scopeMetrics.append(try ScopeMetrics.decode(&r)) }
            case "schemaUrl": rm.schemaURL = try r.readString()
            default: try r.skipValue()
            }
        }
        return rm
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        if let resource {
            w.key("resource")
            resource.encode(&w)
        }
        w.arrayField("scopeMetrics", scopeMetrics) { sm, w in sm.encode(&w) }
        w.stringField("schemaUrl", schemaURL)
        w.endObject()
    }
}

extension ScopeMetrics {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> ScopeMetrics {
        var sm = ScopeMetrics()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "scope": sm.scope = try InstrumentationScope.decodeField(&r)
            case "metrics": try r.readArray { (r) throws(JSONDecodingError) in sm.metrics.append(try Metric.decode(&r)) }
            case "schemaUrl": sm.schemaURL = try r.readString()
            default: try r.skipValue()
            }
        }
        return sm
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        if let scope {
            w.key("scope")
            scope.encode(&w)
        }
        w.arrayField("metrics", metrics) { m, w in m.encode(&w) }
        w.stringField("schemaUrl", schemaURL)
        w.endObject()
    }
}

/// The fields shared by Gauge, Sum, Histogram, ExponentialHistogram and Summary.
private struct PointsMessage<Point> {
    var points: [Point] = []
    var temporality = AggregationTemporality.unspecified
    var monotonic = false

    static func decode(
        _ r: inout JSONReader,
        _ decodePoint: (inout JSONReader) throws(JSONDecodingError) -> Point
    ) throws(JSONDecodingError) -> PointsMessage {
        var m = PointsMessage()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "dataPoints": try r.readArray { (r) throws(JSONDecodingError) in m.points.append(try decodePoint(&r)) }
            case "aggregationTemporality": m.temporality = AggregationTemporality(rawValue: try r.readEnum(temporalityNames))
            case "isMonotonic": m.monotonic = try r.readBool()
            default: try r.skipValue()
            }
        }
        return m
    }
}

extension Metric {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> Metric {
        var metric = Metric()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "name": metric.name = try r.readString()
            case "description": metric.description = try r.readString()
            case "unit": metric.unit = try r.readString()
            case "gauge":
                guard try !r.consumeNull() else { return }
                let m = try PointsMessage.decode(&r, NumberDataPoint.decode)
                metric.data = .gauge(Gauge(dataPoints: m.points))
            case "sum":
                guard try !r.consumeNull() else { return }
                let m = try PointsMessage.decode(&r, NumberDataPoint.decode)
                metric.data = .sum(Sum(dataPoints: m.points, aggregationTemporality: m.temporality, isMonotonic: m.monotonic))
            case "histogram":
                guard try !r.consumeNull() else { return }
                let m = try PointsMessage.decode(&r, HistogramDataPoint.decode)
                metric.data = .histogram(Histogram(dataPoints: m.points, aggregationTemporality: m.temporality))
            case "exponentialHistogram":
                guard try !r.consumeNull() else { return }
                let m = try PointsMessage.decode(&r, ExponentialHistogramDataPoint.decode)
                metric.data = .exponentialHistogram(ExponentialHistogram(dataPoints: m.points, aggregationTemporality: m.temporality))
            case "summary":
                guard try !r.consumeNull() else { return }
                let m = try PointsMessage.decode(&r, SummaryDataPoint.decode)
                metric.data = .summary(Summary(dataPoints: m.points))
            case "metadata": try r.readKeyValues(into: &metric.metadata)
            default: try r.skipValue()
            }
        }
        return metric
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.stringField("name", name)
        w.stringField("description", description)
        w.stringField("unit", unit)
        switch data {
        case .none: break
        case .gauge(let g):
            w.key("gauge")
            w.beginObject()
            w.arrayField("dataPoints", g.dataPoints) { p, w in p.encode(&w) }
            w.endObject()
        case .sum(let s):
            w.key("sum")
            w.beginObject()
            w.arrayField("dataPoints", s.dataPoints) { p, w in p.encode(&w) }
            w.int32Field("aggregationTemporality", s.aggregationTemporality.rawValue)
            w.boolField("isMonotonic", s.isMonotonic)
            w.endObject()
        case .histogram(let h):
            w.key("histogram")
            w.beginObject()
            w.arrayField("dataPoints", h.dataPoints) { p, w in p.encode(&w) }
            w.int32Field("aggregationTemporality", h.aggregationTemporality.rawValue)
            w.endObject()
        case .exponentialHistogram(let e):
            w.key("exponentialHistogram")
            w.beginObject()
            w.arrayField("dataPoints", e.dataPoints) { p, w in p.encode(&w) }
            w.int32Field("aggregationTemporality", e.aggregationTemporality.rawValue)
            w.endObject()
        case .summary(let s):
            w.key("summary")
            w.beginObject()
            w.arrayField("dataPoints", s.dataPoints) { p, w in p.encode(&w) }
            w.endObject()
        }
        w.keyValuesField("metadata", metadata)
        w.endObject()
    }
}
