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
    }

    /// Decodes a copy of `bytes`.
    public init(protobuf bytes: some Collection<UInt8>) throws(ProtoDecodingError) {
        try self.init(protobuf: ByteStorage(copying: bytes))
    }

    /// Encodes as an `ExportTraceServiceRequest`.
    public func protobufBytes() -> [UInt8] {
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
        var rs = ResourceSpans()
        let (n, _, _) = try r.count(0x12)
        rs.scopeSpans.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A:
                var m = try r.readMessage()
                rs.resource = try Resource.decode(&m)
            case 0x12:
                var m = try r.readMessage()
                rs.scopeSpans.append(try ScopeSpans.decode(&m))
            case 0x1A: rs.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
        return rs
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
        var ss = ScopeSpans()
        let (n, _, _) = try r.count(0x12)
        ss.spans.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A:
                var m = try r.readMessage()
                ss.scope = try InstrumentationScope.decode(&m)
            case 0x12:
                var m = try r.readMessage()
                ss.spans.append(try Span.decode(&m))
            case 0x1A: ss.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
        return ss
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
        var s = Span()
        let (na, ne, nl) = try r.count(0x4A, 0x5A, 0x6A)
        s.attributes.reserveCapacity(na)
        if ne > 0 { s.events.reserveCapacity(ne) }
        if nl > 0 { s.links.reserveCapacity(nl) }
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: s.traceID = try r.readTraceID()
            case 0x12: s.spanID = try r.readSpanID()
            case 0x1A: s.traceState = try r.readBytes()
            case 0x22: s.parentSpanID = try r.readSpanID()
            case 0x2A: s.name = try r.readBytes()
            case 0x30: s.kind = SpanKind(rawValue: try r.readInt32())
            case 0x39: s.startTimeUnixNano = try r.readFixed64()
            case 0x41: s.endTimeUnixNano = try r.readFixed64()
            case 0x4A: try appendKeyValue(&s.attributes, &r)
            case 0x50: s.droppedAttributesCount = try r.readUInt32()
            case 0x5A:
                var m = try r.readMessage()
                s.events.append(try SpanEvent.decode(&m))
            case 0x60: s.droppedEventsCount = try r.readUInt32()
            case 0x6A:
                var m = try r.readMessage()
                s.links.append(try SpanLink.decode(&m))
            case 0x70: s.droppedLinksCount = try r.readUInt32()
            case 0x7A:
                var m = try r.readMessage()
                s.status = try SpanStatus.decode(&m)
            case 0x85: s.flags = try r.readFixed32()
            default: try r.skip(tag: tag)
            }
        }
        return s
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
        KeyValue.encodeList(attributes, &w, tag: 0x4A)
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
        var e = SpanEvent()
        let (na, _, _) = try r.count(0x1A)
        e.attributes.reserveCapacity(na)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x09: e.timeUnixNano = try r.readFixed64()
            case 0x12: e.name = try r.readBytes()
            case 0x1A: try appendKeyValue(&e.attributes, &r)
            case 0x20: e.droppedAttributesCount = try r.readUInt32()
            default: try r.skip(tag: tag)
            }
        }
        return e
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.varintField(0x20, UInt64(droppedAttributesCount))
        KeyValue.encodeList(attributes, &w, tag: 0x1A)
        w.bytesField(0x12, name)
        w.fixed64Field(0x09, timeUnixNano)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension SpanLink {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> SpanLink {
        var l = SpanLink()
        let (na, _, _) = try r.count(0x22)
        l.attributes.reserveCapacity(na)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: l.traceID = try r.readTraceID()
            case 0x12: l.spanID = try r.readSpanID()
            case 0x1A: l.traceState = try r.readBytes()
            case 0x22: try appendKeyValue(&l.attributes, &r)
            case 0x28: l.droppedAttributesCount = try r.readUInt32()
            case 0x35: l.flags = try r.readFixed32()
            default: try r.skip(tag: tag)
            }
        }
        return l
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.fixed32Field(0x35, flags)
        w.varintField(0x28, UInt64(droppedAttributesCount))
        KeyValue.encodeList(attributes, &w, tag: 0x22)
        w.bytesField(0x1A, traceState)
        w.spanIDField(0x12, spanID)
        w.traceIDField(0x0A, traceID)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension SpanStatus {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> SpanStatus {
        var s = SpanStatus()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x12: s.message = try r.readBytes()
            case 0x18: s.code = StatusCode(rawValue: try r.readInt32())
            default: try r.skip(tag: tag)
            }
        }
        return s
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.int32Field(0x18, code.rawValue)
        w.bytesField(0x12, message)
        w.closeMessage(tag: tag, mark: mark)
    }
}
