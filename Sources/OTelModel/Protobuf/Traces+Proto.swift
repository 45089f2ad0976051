// Protobuf codec for trace.proto (ExportTraceServiceRequest / TracesData).

extension TracesData {
    /// Decodes an `ExportTraceServiceRequest`; strings and bytes stay views into `storage`.
    public init(protobuf storage: ByteStorage) throws(ProtoDecodingError) {
        var r = ProtoReader(storage: storage)
        let (n, _, _) = try r.count(0x0A)
        var list: [ResourceSpans] = []
        list.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            if tag == 0x0A {
                var m = try r.readMessage()
                list.append(try ResourceSpans.decode(&m))
            } else {
                try r.skip(tag: tag)
            }
        }
        self.init(resourceSpans: list)
        source = SourceEncoding(storage)
    }

    /// Decodes a copy of `bytes`.
    public init(protobuf bytes: some Collection<UInt8>) throws(ProtoDecodingError) {
        try self.init(protobuf: ByteStorage(copying: bytes))
    }

    /// The `ExportTraceServiceRequest`: the bytes it was decoded from while unchanged, else a fresh encoding.
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
        var w = ProtoWriter(capacity: 256 + spanCount * 320)
        encode(&w)
        return w.finish()
    }

    func encode(_ w: inout ProtoWriter) {
        for rs in resourceSpans.reversed() { rs.encode(&w, tag: 0x0A) }
    }
}

extension ResourceSpans {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> ResourceSpans {
        var value = ResourceSpans()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        let (n, _, _) = try r.count(0x12)
        self.scopeSpans.reserveCapacity(self.scopeSpans.count + n)
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
                self.scopeSpans.append(try ScopeSpans.decode(&m))
            case 0x1A: self.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.bytesField(0x1A, schemaURL)
        for ss in scopeSpans.reversed() { ss.encode(&w, tag: 0x12) }
        resource?.encode(&w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension ScopeSpans {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> ScopeSpans {
        var value = ScopeSpans()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        let (n, _, _) = try r.count(0x12)
        self.spans.reserveCapacity(self.spans.count + n)
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
                self.spans.append(try Span.decode(&m))
            case 0x1A: self.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.bytesField(0x1A, schemaURL)
        var i = spans.count
        while i > 0 {
            i -= 1
            spans[i].encode(&w, tag: 0x12)
        }
        scope?.encode(&w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension Span {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> Span {
        var value = Span()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let fieldStart = r.pos
            let tag = try r.readTag()
            switch tag {
            case 0x0A: self.traceID = try r.readTraceID()
            case 0x12: self.spanID = try r.readSpanID()
            case 0x1A: self.traceState = try r.readBytes()
            case 0x22: self.parentSpanID = try r.readSpanID()
            case 0x2A: self.name = try r.readBytes()
            case 0x30: self.kind = SpanKind(rawValue: try r.readInt32())
            case 0x39: self.startTimeUnixNano = try r.readFixed64()
            case 0x41: self.endTimeUnixNano = try r.readFixed64()
            case 0x4A: try self.attributes.decodeField(&r, fieldStart: fieldStart, tag: 0x4A)
            case 0x50: self.droppedAttributesCount = try r.readUInt32()
            case 0x5A:
                var m = try r.readMessage()
                self.events.append(try SpanEvent.decode(&m))
            case 0x60: self.droppedEventsCount = try r.readUInt32()
            case 0x6A:
                var m = try r.readMessage()
                self.links.append(try SpanLink.decode(&m))
            case 0x70: self.droppedLinksCount = try r.readUInt32()
            case 0x7A:
                var m = try r.readMessage()
                var part = self.status ?? SpanStatus()
                try part.merge(&m)
                self.status = part
            case 0x85: self.flags = try r.readFixed32()
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.fixed32Field(0x85, flags)
        status?.encode(&w, tag: 0x7A)
        w.varintField(0x70, UInt64(droppedLinksCount))
        for l in links.reversed() { l.encode(&w, tag: 0x6A) }
        w.varintField(0x60, UInt64(droppedEventsCount))
        for e in events.reversed() { e.encode(&w, tag: 0x5A) }
        w.varintField(0x50, UInt64(droppedAttributesCount))
        attributes.encode(&w, tag: 0x4A)
        w.fixed64Field(0x41, endTimeUnixNano)
        w.fixed64Field(0x39, startTimeUnixNano)
        w.int32Field(0x30, kind.rawValue)
        w.bytesField(0x2A, name)
        w.spanIDField(0x22, parentSpanID)
        w.bytesField(0x1A, traceState)
        w.spanIDField(0x12, spanID)
        w.traceIDField(0x0A, traceID)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension SpanEvent {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> SpanEvent {
        var value = SpanEvent()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let fieldStart = r.pos
            let tag = try r.readTag()
            switch tag {
            case 0x09: self.timeUnixNano = try r.readFixed64()
            case 0x12: self.name = try r.readBytes()
            case 0x1A: try self.attributes.decodeField(&r, fieldStart: fieldStart, tag: 0x1A)
            case 0x20: self.droppedAttributesCount = try r.readUInt32()
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.varintField(0x20, UInt64(droppedAttributesCount))
        attributes.encode(&w, tag: 0x1A)
        w.bytesField(0x12, name)
        w.fixed64Field(0x09, timeUnixNano)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension SpanLink {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> SpanLink {
        var value = SpanLink()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let fieldStart = r.pos
            let tag = try r.readTag()
            switch tag {
            case 0x0A: self.traceID = try r.readTraceID()
            case 0x12: self.spanID = try r.readSpanID()
            case 0x1A: self.traceState = try r.readBytes()
            case 0x22: try self.attributes.decodeField(&r, fieldStart: fieldStart, tag: 0x22)
            case 0x28: self.droppedAttributesCount = try r.readUInt32()
            case 0x35: self.flags = try r.readFixed32()
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.fixed32Field(0x35, flags)
        w.varintField(0x28, UInt64(droppedAttributesCount))
        attributes.encode(&w, tag: 0x22)
        w.bytesField(0x1A, traceState)
        w.spanIDField(0x12, spanID)
        w.traceIDField(0x0A, traceID)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension SpanStatus {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> SpanStatus {
        var value = SpanStatus()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x12: self.message = try r.readBytes()
            case 0x18: self.code = StatusCode(rawValue: try r.readInt32())
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.int32Field(0x18, code.rawValue)
        w.bytesField(0x12, message)
        w.closeMessage(tag: tag, mark: mark)
    }
}
