// Protobuf codec for metrics.proto (ExportMetricsServiceRequest / MetricsData).

extension MetricsData {
    /// Decodes an `ExportMetricsServiceRequest`; strings and bytes stay views into `storage`.
    public init(protobuf storage: ByteStorage) throws(ProtoDecodingError) {
        var r = ProtoReader(storage: storage)
        let (n, _, _) = try r.count(0x0A)
        var list: [ResourceMetrics] = []
        list.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            if tag == 0x0A {
                var m = try r.readMessage()
                list.append(try ResourceMetrics.decode(&m))
            } else {
                try r.skip(tag: tag)
            }
        }
        self.init(resourceMetrics: list)
    }

    public init(protobuf bytes: some Collection<UInt8>) throws(ProtoDecodingError) {
        try self.init(protobuf: ByteStorage(copying: bytes))
    }

    /// Encodes as an `ExportMetricsServiceRequest`.
    public func protobufBytes() -> [UInt8] {
        var w = ProtoWriter(capacity: 256 + dataPointCount * 160)
        for rm in resourceMetrics.reversed() { rm.encode(&w, tag: 0x0A) }
        return w.finish()
    }
}

extension ResourceMetrics {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> ResourceMetrics {
        var rm = ResourceMetrics()
        let (n, _, _) = try r.count(0x12)
        rm.scopeMetrics.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A:
                var m = try r.readMessage()
                rm.resource = try Resource.decode(&m)
            case 0x12:
                var m = try r.readMessage()
                rm.scopeMetrics.append(try ScopeMetrics.decode(&m))
            case 0x1A: rm.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
        return rm
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.bytesField(0x1A, schemaURL)
        for sm in scopeMetrics.reversed() { sm.encode(&w, tag: 0x12) }
        resource?.encode(&w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension ScopeMetrics {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> ScopeMetrics {
        var sm = ScopeMetrics()
        let (n, _, _) = try r.count(0x12)
        sm.metrics.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A:
                var m = try r.readMessage()
                sm.scope = try InstrumentationScope.decode(&m)
            case 0x12:
                var m = try r.readMessage()
                sm.metrics.append(try Metric.decode(&m))
            case 0x1A: sm.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
        return sm
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.bytesField(0x1A, schemaURL)
        for m in metrics.reversed() { m.encode(&w, tag: 0x12) }
        scope?.encode(&w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

/// Decodes the repeated `data_points` (field 1) plus the temporality (2) and monotonic (3) fields
/// shared by Gauge, Sum, Histogram, ExponentialHistogram and Summary.
private func decodePoints<P>(
    _ r: inout ProtoReader,
    _ decodePoint: (inout ProtoReader) throws(ProtoDecodingError) -> P
) throws(ProtoDecodingError) -> (points: [P], temporality: AggregationTemporality, monotonic: Bool) {
    let (n, _, _) = try r.count(0x0A)
    var points: [P] = []
    points.reserveCapacity(n)
    var temporality = AggregationTemporality.unspecified
    var monotonic = false
    while !r.isAtEnd {
        let tag = try r.readTag()
        switch tag {
        case 0x0A:
            var m = try r.readMessage()
            points.append(try decodePoint(&m))
        case 0x10: temporality = AggregationTemporality(rawValue: try r.readInt32())
        case 0x18: monotonic = try r.readBool()
        default: try r.skip(tag: tag)
        }
    }
    return (points, temporality, monotonic)
}

extension Metric {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> Metric {
        var metric = Metric()
        let (nm, _, _) = try r.count(0x62)
        if nm > 0 { metric.metadata.reserveCapacity(nm) }
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: metric.name = try r.readBytes()
            case 0x12: metric.description = try r.readBytes()
            case 0x1A: metric.unit = try r.readBytes()
            case 0x2A:
                var m = try r.readMessage()
                metric.data = .gauge(Gauge(dataPoints: try decodePoints(&m, NumberDataPoint.decode).points))
            case 0x3A:
                var m = try r.readMessage()
                let d = try decodePoints(&m, NumberDataPoint.decode)
                metric.data = .sum(Sum(dataPoints: d.points, aggregationTemporality: d.temporality, isMonotonic: d.monotonic))
            case 0x4A:
                var m = try r.readMessage()
                let d = try decodePoints(&m, HistogramDataPoint.decode)
                metric.data = .histogram(Histogram(dataPoints: d.points, aggregationTemporality: d.temporality))
            case 0x52:
                var m = try r.readMessage()
                let d = try decodePoints(&m, ExponentialHistogramDataPoint.decode)
                metric.data = .exponentialHistogram(ExponentialHistogram(dataPoints: d.points, aggregationTemporality: d.temporality))
            case 0x5A:
                var m = try r.readMessage()
                metric.data = .summary(Summary(dataPoints: try decodePoints(&m, SummaryDataPoint.decode).points))
            case 0x62: try appendKeyValue(&metric.metadata, &r)
            default: try r.skip(tag: tag)
            }
        }
        return metric
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        KeyValue.encodeList(metadata, &w, tag: 0x62)
        switch data {
        case .none: break
        case .gauge(let g):
            let m = w.written
            for p in g.dataPoints.reversed() { p.encode(&w, tag: 0x0A) }
            w.closeMessage(tag: 0x2A, mark: m)
        case .sum(let s):
            let m = w.written
            w.varintField(0x18, s.isMonotonic ? 1 : 0)
            w.int32Field(0x10, s.aggregationTemporality.rawValue)
            for p in s.dataPoints.reversed() { p.encode(&w, tag: 0x0A) }
            w.closeMessage(tag: 0x3A, mark: m)
        case .histogram(let h):
            let m = w.written
            w.int32Field(0x10, h.aggregationTemporality.rawValue)
            for p in h.dataPoints.reversed() { p.encode(&w, tag: 0x0A) }
            w.closeMessage(tag: 0x4A, mark: m)
        case .exponentialHistogram(let e):
            let m = w.written
            w.int32Field(0x10, e.aggregationTemporality.rawValue)
            for p in e.dataPoints.reversed() { p.encode(&w, tag: 0x0A) }
            w.closeMessage(tag: 0x52, mark: m)
        case .summary(let s):
            let m = w.written
            for p in s.dataPoints.reversed() { p.encode(&w, tag: 0x0A) }
            w.closeMessage(tag: 0x5A, mark: m)
        }
        w.bytesField(0x1A, unit)
        w.bytesField(0x12, description)
        w.bytesField(0x0A, name)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension NumberDataPoint {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> NumberDataPoint {
        var p = NumberDataPoint()
        let (na, ne, _) = try r.count(0x3A, 0x2A)
        p.attributes.reserveCapacity(na)
        if ne > 0 { p.exemplars.reserveCapacity(ne) }
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x11: p.startTimeUnixNano = try r.readFixed64()
            case 0x19: p.timeUnixNano = try r.readFixed64()
            case 0x21: p.value = .double(try r.readDouble())
            case 0x2A:
                var m = try r.readMessage()
                p.exemplars.append(try Exemplar.decode(&m))
            case 0x31: p.value = .int(Int64(bitPattern: try r.readFixed64()))
            case 0x3A: try appendKeyValue(&p.attributes, &r)
            case 0x40: p.flags = try r.readUInt32()
            default: try r.skip(tag: tag)
            }
        }
        return p
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.varintField(0x40, UInt64(flags))
        KeyValue.encodeList(attributes, &w, tag: 0x3A)
        if case .int(let i) = value {
            w.writeFixed64(UInt64(bitPattern: i))
            w.writeTag(0x31)
        }
        for e in exemplars.reversed() { e.encode(&w, tag: 0x2A) }
        if case .double(let d) = value {
            w.writeFixed64(d.bitPattern)
            w.writeTag(0x21)
        }
        w.fixed64Field(0x19, timeUnixNano)
        w.fixed64Field(0x11, startTimeUnixNano)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension HistogramDataPoint {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> HistogramDataPoint {
        var p = HistogramDataPoint()
        let (na, ne, _) = try r.count(0x4A, 0x42)
        p.attributes.reserveCapacity(na)
        if ne > 0 { p.exemplars.reserveCapacity(ne) }
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x11: p.startTimeUnixNano = try r.readFixed64()
            case 0x19: p.timeUnixNano = try r.readFixed64()
            case 0x21: p.count = try r.readFixed64()
            case 0x29: p.sum = try r.readDouble()
            case 0x32, 0x31: try r.readRepeatedFixed64(tag: tag, into: &p.bucketCounts)
            case 0x3A, 0x39: try r.readRepeatedDouble(tag: tag, into: &p.explicitBounds)
            case 0x42:
                var m = try r.readMessage()
                p.exemplars.append(try Exemplar.decode(&m))
            case 0x4A: try appendKeyValue(&p.attributes, &r)
            case 0x50: p.flags = try r.readUInt32()
            case 0x59: p.min = try r.readDouble()
            case 0x61: p.max = try r.readDouble()
            default: try r.skip(tag: tag)
            }
        }
        return p
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.optionalDoubleField(0x61, max)
        w.optionalDoubleField(0x59, min)
        w.varintField(0x50, UInt64(flags))
        KeyValue.encodeList(attributes, &w, tag: 0x4A)
        for e in exemplars.reversed() { e.encode(&w, tag: 0x42) }
        w.packedDoubleField(0x3A, explicitBounds)
        w.packedFixed64Field(0x32, bucketCounts)
        w.optionalDoubleField(0x29, sum)
        w.fixed64Field(0x21, count)
        w.fixed64Field(0x19, timeUnixNano)
        w.fixed64Field(0x11, startTimeUnixNano)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension ExponentialHistogramDataPoint.Buckets {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> Self {
        var b = Self()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x08: b.offset = try r.readSInt32()
            case 0x12, 0x10: try r.readRepeatedVarint(tag: tag, into: &b.bucketCounts)
            default: try r.skip(tag: tag)
            }
        }
        return b
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.packedVarintField(0x12, bucketCounts)
        w.sint32Field(0x08, offset)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension ExponentialHistogramDataPoint {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> ExponentialHistogramDataPoint {
        var p = ExponentialHistogramDataPoint()
        let (na, ne, _) = try r.count(0x0A, 0x5A)
        p.attributes.reserveCapacity(na)
        if ne > 0 { p.exemplars.reserveCapacity(ne) }
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: try appendKeyValue(&p.attributes, &r)
            case 0x11: p.startTimeUnixNano = try r.readFixed64()
            case 0x19: p.timeUnixNano = try r.readFixed64()
            case 0x21: p.count = try r.readFixed64()
            case 0x29: p.sum = try r.readDouble()
            case 0x30: p.scale = try r.readSInt32()
            case 0x39: p.zeroCount = try r.readFixed64()
            case 0x42:
                var m = try r.readMessage()
                p.positive = try Buckets.decode(&m)
            case 0x4A:
                var m = try r.readMessage()
                p.negative = try Buckets.decode(&m)
            case 0x50: p.flags = try r.readUInt32()
            case 0x5A:
                var m = try r.readMessage()
                p.exemplars.append(try Exemplar.decode(&m))
            case 0x61: p.min = try r.readDouble()
            case 0x69: p.max = try r.readDouble()
            case 0x71: p.zeroThreshold = try r.readDouble()
            default: try r.skip(tag: tag)
            }
        }
        return p
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.doubleField(0x71, zeroThreshold)
        w.optionalDoubleField(0x69, max)
        w.optionalDoubleField(0x61, min)
        for e in exemplars.reversed() { e.encode(&w, tag: 0x5A) }
        w.varintField(0x50, UInt64(flags))
        negative?.encode(&w, tag: 0x4A)
        positive?.encode(&w, tag: 0x42)
        w.fixed64Field(0x39, zeroCount)
        w.sint32Field(0x30, scale)
        w.optionalDoubleField(0x29, sum)
        w.fixed64Field(0x21, count)
        w.fixed64Field(0x19, timeUnixNano)
        w.fixed64Field(0x11, startTimeUnixNano)
        KeyValue.encodeList(attributes, &w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension SummaryDataPoint {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> SummaryDataPoint {
        var p = SummaryDataPoint()
        let (na, nq, _) = try r.count(0x3A, 0x32)
        p.attributes.reserveCapacity(na)
        p.quantileValues.reserveCapacity(nq)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x11: p.startTimeUnixNano = try r.readFixed64()
            case 0x19: p.timeUnixNano = try r.readFixed64()
            case 0x21: p.count = try r.readFixed64()
            case 0x29: p.sum = try r.readDouble()
            case 0x32:
                var m = try r.readMessage()
                var q = ValueAtQuantile()
                while !m.isAtEnd {
                    let t = try m.readTag()
                    switch t {
                    case 0x09: q.quantile = try m.readDouble()
                    case 0x11: q.value = try m.readDouble()
                    default: try m.skip(tag: t)
                    }
                }
                p.quantileValues.append(q)
            case 0x3A: try appendKeyValue(&p.attributes, &r)
            case 0x40: p.flags = try r.readUInt32()
            default: try r.skip(tag: tag)
            }
        }
        return p
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.varintField(0x40, UInt64(flags))
        KeyValue.encodeList(attributes, &w, tag: 0x3A)
        for q in quantileValues.reversed() {
            let m = w.written
            w.doubleField(0x11, q.value)
            w.doubleField(0x09, q.quantile)
            w.closeMessage(tag: 0x32, mark: m)
        }
        w.doubleField(0x29, sum)
        w.fixed64Field(0x21, count)
        w.fixed64Field(0x19, timeUnixNano)
        w.fixed64Field(0x11, startTimeUnixNano)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension Exemplar {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> Exemplar {
        var e = Exemplar()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x11: e.timeUnixNano = try r.readFixed64()
            case 0x19: e.value = .double(try r.readDouble())
            case 0x22: e.spanID = try r.readSpanID()
            case 0x2A: e.traceID = try r.readTraceID()
            case 0x31: e.value = .int(Int64(bitPattern: try r.readFixed64()))
            case 0x3A: try appendKeyValue(&e.filteredAttributes, &r)
            default: try r.skip(tag: tag)
            }
        }
        return e
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        KeyValue.encodeList(filteredAttributes, &w, tag: 0x3A)
        if case .int(let i) = value {
            w.writeFixed64(UInt64(bitPattern: i))
            w.writeTag(0x31)
        }
        w.traceIDField(0x2A, traceID)
        w.spanIDField(0x22, spanID)
        if case .double(let d) = value {
            w.writeFixed64(d.bitPattern)
            w.writeTag(0x19)
        }
        w.fixed64Field(0x11, timeUnixNano)
        w.closeMessage(tag: tag, mark: mark)
    }
}
