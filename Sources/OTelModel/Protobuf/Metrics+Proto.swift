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
        source = SourceEncoding(storage)
    }

    public init(protobuf bytes: some Collection<UInt8>) throws(ProtoDecodingError) {
        try self.init(protobuf: ByteStorage(copying: bytes))
    }

    /// The `ExportMetricsServiceRequest`: the bytes it was decoded from while unchanged, else a fresh encoding.
    public func protobufBytes() -> [UInt8] {
        if let storage = source.storage { return Array(storage.buffer) }
        return encodedProtobufBytes()
    }

    /// Calls `body` with the protobuf request: the bytes it was decoded from while unchanged, else a
    /// fresh encoding.
    public func withProtobufBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let storage = source.storage { return try body(storage.buffer) }
        return try encodedProtobufBytes().withUnsafeBytes(body)
    }

    /// Encodes the payload, whether or not it still has the bytes it was decoded from.
    public func encodedProtobufBytes() -> [UInt8] {
        var w = ProtoWriter(capacity: 256 + dataPointCount * 160)
        for rm in resourceMetrics.reversed() { rm.encode(&w, tag: 0x0A) }
        return w.finish()
    }
}

extension ResourceMetrics {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> ResourceMetrics {
        var value = ResourceMetrics()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        let (n, _, _) = try r.count(0x12)
        self.scopeMetrics.reserveCapacity(self.scopeMetrics.count + n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A:
                var m = try r.readMessage()
                var part = self.resource ?? Resource()
                try part.merge(&m)
                self.resource = part
            case 0x12:
                var m = try r.readMessage()
                self.scopeMetrics.append(try ScopeMetrics.decode(&m))
            case 0x1A: self.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
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
        var value = ScopeMetrics()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        let (n, _, _) = try r.count(0x12)
        self.metrics.reserveCapacity(self.metrics.count + n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A:
                var m = try r.readMessage()
                var part = self.scope ?? InstrumentationScope()
                try part.merge(&m)
                self.scope = part
            case 0x12:
                var m = try r.readMessage()
                self.metrics.append(try Metric.decode(&m))
            case 0x1A: self.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
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
private func mergePoints<P>(
    _ r: inout ProtoReader,
    into points: inout [P],
    temporality: inout AggregationTemporality,
    monotonic: inout Bool,
    _ decodePoint: (inout ProtoReader) throws(ProtoDecodingError) -> P
) throws(ProtoDecodingError) {
    let (n, _, _) = try r.count(0x0A)
    points.reserveCapacity(points.count + n)
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
}

extension Metric {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> Metric {
        var value = Metric()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        let (nm, _, _) = try r.count(0x62)
        if nm > 0 { self.metadata.reserveCapacity(self.metadata.count + nm) }
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: self.name = try r.readBytes()
            case 0x12: self.description = try r.readBytes()
            case 0x1A: self.unit = try r.readBytes()
            case 0x2A:
                var m = try r.readMessage()
                var g = Gauge()
                if case .gauge(let existing) = self.data { g = existing }
                var t = AggregationTemporality.unspecified, mono = false
                try mergePoints(&m, into: &g.dataPoints, temporality: &t, monotonic: &mono, NumberDataPoint.decode)
                self.data = .gauge(g)
            case 0x3A:
                var m = try r.readMessage()
                var x = Sum()
                if case .sum(let existing) = self.data { x = existing }
                try mergePoints(&m, into: &x.dataPoints, temporality: &x.aggregationTemporality, monotonic: &x.isMonotonic, NumberDataPoint.decode)
                self.data = .sum(x)
            case 0x4A:
                var m = try r.readMessage()
                var x = Histogram()
                if case .histogram(let existing) = self.data { x = existing }
                var mono = false
                try mergePoints(&m, into: &x.dataPoints, temporality: &x.aggregationTemporality, monotonic: &mono, HistogramDataPoint.decode)
                self.data = .histogram(x)
            case 0x52:
                var m = try r.readMessage()
                var x = ExponentialHistogram()
                if case .exponentialHistogram(let existing) = self.data { x = existing }
                var mono = false
                try mergePoints(&m, into: &x.dataPoints, temporality: &x.aggregationTemporality, monotonic: &mono, ExponentialHistogramDataPoint.decode)
                self.data = .exponentialHistogram(x)
            case 0x5A:
                var m = try r.readMessage()
                var x = Summary()
                if case .summary(let existing) = self.data { x = existing }
                var t = AggregationTemporality.unspecified, mono = false
                try mergePoints(&m, into: &x.dataPoints, temporality: &t, monotonic: &mono, SummaryDataPoint.decode)
                self.data = .summary(x)
            case 0x62: try appendKeyValue(&self.metadata, &r)
            default: try r.skip(tag: tag)
            }
        }
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
        var value = NumberDataPoint()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let fieldStart = r.pos
            let tag = try r.readTag()
            switch tag {
            case 0x11: self.startTimeUnixNano = try r.readFixed64()
            case 0x19: self.timeUnixNano = try r.readFixed64()
            case 0x21: self.value = .double(try r.readDouble())
            case 0x2A:
                var m = try r.readMessage()
                self.exemplars.append(try Exemplar.decode(&m))
            case 0x31: self.value = .int(Int64(bitPattern: try r.readFixed64()))
            case 0x3A: try self.attributes.decodeField(&r, fieldStart: fieldStart, tag: 0x3A)
            case 0x40: self.flags = try r.readUInt32()
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.varintField(0x40, UInt64(flags))
        attributes.encode(&w, tag: 0x3A)
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
        var value = HistogramDataPoint()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let fieldStart = r.pos
            let tag = try r.readTag()
            switch tag {
            case 0x11: self.startTimeUnixNano = try r.readFixed64()
            case 0x19: self.timeUnixNano = try r.readFixed64()
            case 0x21: self.count = try r.readFixed64()
            case 0x29: self.sum = try r.readDouble()
            case 0x32, 0x31: try r.readRepeatedFixed64(tag: tag, into: &self.bucketCounts)
            case 0x3A, 0x39: try r.readRepeatedDouble(tag: tag, into: &self.explicitBounds)
            case 0x42:
                var m = try r.readMessage()
                self.exemplars.append(try Exemplar.decode(&m))
            case 0x4A: try self.attributes.decodeField(&r, fieldStart: fieldStart, tag: 0x4A)
            case 0x50: self.flags = try r.readUInt32()
            case 0x59: self.min = try r.readDouble()
            case 0x61: self.max = try r.readDouble()
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.optionalDoubleField(0x61, max)
        w.optionalDoubleField(0x59, min)
        w.varintField(0x50, UInt64(flags))
        attributes.encode(&w, tag: 0x4A)
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
        var value = Self()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x08: self.offset = try r.readSInt32()
            case 0x12, 0x10: try r.readRepeatedVarint(tag: tag, into: &self.bucketCounts)
            default: try r.skip(tag: tag)
            }
        }
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
        var value = ExponentialHistogramDataPoint()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let fieldStart = r.pos
            let tag = try r.readTag()
            switch tag {
            case 0x0A: try self.attributes.decodeField(&r, fieldStart: fieldStart, tag: 0x0A)
            case 0x11: self.startTimeUnixNano = try r.readFixed64()
            case 0x19: self.timeUnixNano = try r.readFixed64()
            case 0x21: self.count = try r.readFixed64()
            case 0x29: self.sum = try r.readDouble()
            case 0x30: self.scale = try r.readSInt32()
            case 0x39: self.zeroCount = try r.readFixed64()
            case 0x42:
                var m = try r.readMessage()
                var part = self.positive ?? Buckets()
                try part.merge(&m)
                self.positive = part
            case 0x4A:
                var m = try r.readMessage()
                var part = self.negative ?? Buckets()
                try part.merge(&m)
                self.negative = part
            case 0x50: self.flags = try r.readUInt32()
            case 0x5A:
                var m = try r.readMessage()
                self.exemplars.append(try Exemplar.decode(&m))
            case 0x61: self.min = try r.readDouble()
            case 0x69: self.max = try r.readDouble()
            case 0x71: self.zeroThreshold = try r.readDouble()
            default: try r.skip(tag: tag)
            }
        }
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
        attributes.encode(&w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension SummaryDataPoint {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> SummaryDataPoint {
        var value = SummaryDataPoint()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        let (nq, _, _) = try r.count(0x32)
        self.quantileValues.reserveCapacity(self.quantileValues.count + nq)
        while !r.isAtEnd {
            let fieldStart = r.pos
            let tag = try r.readTag()
            switch tag {
            case 0x11: self.startTimeUnixNano = try r.readFixed64()
            case 0x19: self.timeUnixNano = try r.readFixed64()
            case 0x21: self.count = try r.readFixed64()
            case 0x29: self.sum = try r.readDouble()
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
                self.quantileValues.append(q)
            case 0x3A: try self.attributes.decodeField(&r, fieldStart: fieldStart, tag: 0x3A)
            case 0x40: self.flags = try r.readUInt32()
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.varintField(0x40, UInt64(flags))
        attributes.encode(&w, tag: 0x3A)
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
        var value = Exemplar()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let fieldStart = r.pos
            let tag = try r.readTag()
            switch tag {
            case 0x11: self.timeUnixNano = try r.readFixed64()
            case 0x19: self.value = .double(try r.readDouble())
            case 0x22: self.spanID = try r.readSpanID()
            case 0x2A: self.traceID = try r.readTraceID()
            case 0x31: self.value = .int(Int64(bitPattern: try r.readFixed64()))
            case 0x3A: try self.filteredAttributes.decodeField(&r, fieldStart: fieldStart, tag: 0x3A)
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        filteredAttributes.encode(&w, tag: 0x3A)
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
