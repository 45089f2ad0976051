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

extension NumberValue {
    /// Writes the `asDouble`/`asInt` oneof member when one is set.
    fileprivate func encode(_ w: inout JSONWriter) {
        switch self {
        case .none: break
        case .double(let d):
            w.key("asDouble")
            w.number(d)
        case .int(let i):
            w.key("asInt")
            w.decimalString(i)
        }
    }
}

extension JSONReader {
    /// Reads an array of `Exemplar` objects, appending them to `list`.
    fileprivate mutating func readExemplars(into list: inout [Exemplar]) throws(JSONDecodingError) {
        try readArray { (r) throws(JSONDecodingError) in list.append(try Exemplar.decode(&r)) }
    }

    /// Reads an array of 64-bit unsigned integers (numbers or decimal strings).
    fileprivate mutating func readUInt64s(into list: inout [UInt64]) throws(JSONDecodingError) {
        try readArray { (r) throws(JSONDecodingError) in
            guard try !r.consumeNull() else { throw r.error("null element in a repeated field") }
            list.append(try r.readUInt64())
        }
    }

    /// Reads an array of doubles.
    fileprivate mutating func readDoubles(into list: inout [Double]) throws(JSONDecodingError) {
        try readArray { (r) throws(JSONDecodingError) in
            guard try !r.consumeNull() else { throw r.error("null element in a repeated field") }
            list.append(try r.readDouble())
        }
    }
}

extension JSONWriter {
    fileprivate mutating func exemplarsField(_ name: StaticString, _ list: [Exemplar]) {
        arrayField(name, list) { e, w in e.encode(&w) }
    }

    /// A repeated 64-bit integer field, as decimal strings.
    fileprivate mutating func uint64sField(_ name: StaticString, _ list: [UInt64]) {
        arrayField(name, list) { v, w in w.decimalString(v) }
    }

    fileprivate mutating func doublesField(_ name: StaticString, _ list: [Double]) {
        arrayField(name, list) { v, w in w.number(v) }
    }
}

extension NumberDataPoint {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> NumberDataPoint {
        var p = NumberDataPoint()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "attributes": try r.readKeyValues(into: &p.attributes)
            case "startTimeUnixNano": p.startTimeUnixNano = try r.readUInt64()
            case "timeUnixNano": p.timeUnixNano = try r.readUInt64()
            case "asDouble": if try !r.consumeNull() { p.value = .double(try r.readDouble()) }
            case "asInt": if try !r.consumeNull() { p.value = .int(try r.readInt64()) }
            case "exemplars": try r.readExemplars(into: &p.exemplars)
            case "flags": p.flags = try r.readUInt32()
            default: try r.skipValue()
            }
        }
        return p
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.keyValuesField("attributes", attributes)
        w.uint64Field("startTimeUnixNano", startTimeUnixNano)
        w.uint64Field("timeUnixNano", timeUnixNano)
        value.encode(&w)
        w.exemplarsField("exemplars", exemplars)
        w.uint32Field("flags", flags)
        w.endObject()
    }
}

extension HistogramDataPoint {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> HistogramDataPoint {
        var p = HistogramDataPoint()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "attributes": try r.readKeyValues(into: &p.attributes)
            case "startTimeUnixNano": p.startTimeUnixNano = try r.readUInt64()
            case "timeUnixNano": p.timeUnixNano = try r.readUInt64()
            case "count": p.count = try r.readUInt64()
            case "sum": p.sum = try r.consumeNull() ? nil : r.readDouble()
            case "bucketCounts": try r.readUInt64s(into: &p.bucketCounts)
            case "explicitBounds": try r.readDoubles(into: &p.explicitBounds)
            case "exemplars": try r.readExemplars(into: &p.exemplars)
            case "flags": p.flags = try r.readUInt32()
            case "min": p.min = try r.consumeNull() ? nil : r.readDouble()
            case "max": p.max = try r.consumeNull() ? nil : r.readDouble()
            default: try r.skipValue()
            }
        }
        return p
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.keyValuesField("attributes", attributes)
        w.uint64Field("startTimeUnixNano", startTimeUnixNano)
        w.uint64Field("timeUnixNano", timeUnixNano)
        w.uint64Field("count", count)
        w.optionalDoubleField("sum", sum)
        w.uint64sField("bucketCounts", bucketCounts)
        w.doublesField("explicitBounds", explicitBounds)
        w.exemplarsField("exemplars", exemplars)
        w.uint32Field("flags", flags)
        w.optionalDoubleField("min", min)
        w.optionalDoubleField("max", max)
        w.endObject()
    }
}

extension ExponentialHistogramDataPoint.Buckets {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> Self {
        var b = Self()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "offset": b.offset = try r.readInt32()
            case "bucketCounts": try r.readUInt64s(into: &b.bucketCounts)
            default: try r.skipValue()
            }
        }
        return b
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.int32Field("offset", offset)
        w.uint64sField("bucketCounts", bucketCounts)
        w.endObject()
    }
}

extension ExponentialHistogramDataPoint {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> ExponentialHistogramDataPoint {
        var p = ExponentialHistogramDataPoint()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "attributes": try r.readKeyValues(into: &p.attributes)
            case "startTimeUnixNano": p.startTimeUnixNano = try r.readUInt64()
            case "timeUnixNano": p.timeUnixNano = try r.readUInt64()
            case "count": p.count = try r.readUInt64()
            case "sum": p.sum = try r.consumeNull() ? nil : r.readDouble()
            case "scale": p.scale = try r.readInt32()
            case "zeroCount": p.zeroCount = try r.readUInt64()
            case "positive": p.positive = try r.consumeNull() ? nil : Buckets.decode(&r)
            case "negative": p.negative = try r.consumeNull() ? nil : Buckets.decode(&r)
            case "flags": p.flags = try r.readUInt32()
            case "exemplars": try r.readExemplars(into: &p.exemplars)
            case "min": p.min = try r.consumeNull() ? nil : r.readDouble()
            case "max": p.max = try r.consumeNull() ? nil : r.readDouble()
            case "zeroThreshold": p.zeroThreshold = try r.readDouble()
            default: try r.skipValue()
            }
        }
        return p
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.keyValuesField("attributes", attributes)
        w.uint64Field("startTimeUnixNano", startTimeUnixNano)
        w.uint64Field("timeUnixNano", timeUnixNano)
        w.uint64Field("count", count)
        w.optionalDoubleField("sum", sum)
        w.int32Field("scale", scale)
        w.uint64Field("zeroCount", zeroCount)
        if let positive {
            w.key("positive")
            positive.encode(&w)
        }
        if let negative {
            w.key("negative")
            negative.encode(&w)
        }
        w.uint32Field("flags", flags)
        w.exemplarsField("exemplars", exemplars)
        w.optionalDoubleField("min", min)
        w.optionalDoubleField("max", max)
        w.doubleField("zeroThreshold", zeroThreshold)
        w.endObject()
    }
}

extension SummaryDataPoint {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> SummaryDataPoint {
        var p = SummaryDataPoint()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "attributes": try r.readKeyValues(into: &p.attributes)
            case "startTimeUnixNano": p.startTimeUnixNano = try r.readUInt64()
            case "timeUnixNano": p.timeUnixNano = try r.readUInt64()
            case "count": p.count = try r.readUInt64()
            case "sum": p.sum = try r.readDouble()
            case "quantileValues":
                try r.readArray { (r) throws(JSONDecodingError) in
                    var q = ValueAtQuantile()
                    try r.readObject { (r, key) throws(JSONDecodingError) in
                        switch key {
                        case "quantile": q.quantile = try r.readDouble()
                        case "value": q.value = try r.readDouble()
                        default: try r.skipValue()
                        }
                    }
                    p.quantileValues.append(q)
                }
            case "flags": p.flags = try r.readUInt32()
            default: try r.skipValue()
            }
        }
        return p
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.keyValuesField("attributes", attributes)
        w.uint64Field("startTimeUnixNano", startTimeUnixNano)
        w.uint64Field("timeUnixNano", timeUnixNano)
        w.uint64Field("count", count)
        w.doubleField("sum", sum)
        w.arrayField("quantileValues", quantileValues) { q, w in
            w.beginObject()
            w.doubleField("quantile", q.quantile)
            w.doubleField("value", q.value)
            w.endObject()
        }
        w.uint32Field("flags", flags)
        w.endObject()
    }
}

extension Exemplar {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> Exemplar {
        var e = Exemplar()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "filteredAttributes": try r.readKeyValues(into: &e.filteredAttributes)
            case "timeUnixNano": e.timeUnixNano = try r.readUInt64()
            case "asDouble": if try !r.consumeNull() { e.value = .double(try r.readDouble()) }
            case "asInt": if try !r.consumeNull() { e.value = .int(try r.readInt64()) }
            case "spanId": e.spanID = try r.readSpanID()
            case "traceId": e.traceID = try r.readTraceID()
            default: try r.skipValue()
            }
        }
        return e
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.keyValuesField("filteredAttributes", filteredAttributes)
        w.uint64Field("timeUnixNano", timeUnixNano)
        value.encode(&w)
        w.spanIDField("spanId", spanID)
        w.traceIDField("traceId", traceID)
        w.endObject()
    }
}
