// OTLP/JSON codec for the data points of metrics.proto: number, histogram, exponential histogram
// and summary points, and exemplars. (otlp.md §5, §7)

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
