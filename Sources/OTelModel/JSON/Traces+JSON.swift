// OTLP/JSON codec for trace.proto (ExportTraceServiceRequest / TracesData). (otlp.md §5, §7)

private let spanKindNames: [StaticString] = [
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
    "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER",
]

private let statusCodeNames: [StaticString] = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]

extension TracesData {
    /// Decodes an OTLP/JSON `ExportTraceServiceRequest`; strings without escapes stay views into
    /// `storage`. Keys may be lowerCamelCase or snake_case; unknown keys are skipped.
    public init(json storage: ByteStorage) throws(JSONDecodingError) {
        var r = JSONReader(storage: storage)
        var list: [ResourceSpans] = []
        try r.readDocument { (r, key) throws(JSONDecodingError) in
            switch key {
            case "resourceSpans": try r.readArray { (r) throws(JSONDecodingError) in list.append(try ResourceSpans.decode(&r)) }
            default: try r.skipValue()
            }
        }
        self.init(resourceSpans: list)
    }

    /// Decodes a copy of `bytes`.
    public init(json bytes: some Collection<UInt8>) throws(JSONDecodingError) {
        try self.init(json: ByteStorage(copying: bytes))
    }

    /// Encodes as an OTLP/JSON `ExportTraceServiceRequest`.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter(capacity: 256 + spanCount * 1024)
        w.beginObject()
        w.arrayField("resourceSpans", resourceSpans) { rs, w in rs.encode(&w) }
        w.endObject()
        return w.finish()
    }
}

extension ResourceSpans {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> ResourceSpans {
        var rs = ResourceSpans()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "resource": rs.resource = try Resource.decodeField(&r)
            case "scopeSpans": try r.readArray { (r) throws(JSONDecodingError) in rs.scopeSpans.append(try ScopeSpans.decode(&r)) }
            case "schemaUrl": rs.schemaURL = try r.readString()
            default: try r.skipValue()
            }
        }
        return rs
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        if let resource {
            w.key("resource")
            resource.encode(&w)
        }
        w.arrayField("scopeSpans", scopeSpans) { ss, w in ss.encode(&w) }
        w.stringField("schemaUrl", schemaURL)
        w.endObject()
    }
}

extension ScopeSpans {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> ScopeSpans {
        var ss = ScopeSpans()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "scope": ss.scope = try InstrumentationScope.decodeField(&r)
            case "spans": try r.readArray { (r) throws(JSONDecodingError) in ss.spans.append(try Span.decode(&r)) }
            case "schemaUrl": ss.schemaURL = try r.readString()
            default: try r.skipValue()
            }
        }
        return ss
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        if let scope {
            w.key("scope")
            scope.encode(&w)
        }
        w.arrayField("spans", spans) { s, w in s.encode(&w) }
        w.stringField("schemaUrl", schemaURL)
        w.endObject()
    }
}

extension Span {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> Span {
        var s = Span()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "traceId": s.traceID = try r.readTraceID()
            case "spanId": s.spanID = try r.readSpanID()
            case "traceState": s.traceState = try r.readString()
            case "parentSpanId": s.parentSpanID = try r.readSpanID()
            case "flags": s.flags = try r.readUInt32()
            case "name": s.name = try r.readString()
            case "kind": s.kind = SpanKind(rawValue: try r.readEnum(spanKindNames))
            case "startTimeUnixNano": s.startTimeUnixNano = try r.readUInt64()
            case "endTimeUnixNano": s.endTimeUnixNano = try r.readUInt64()
            case "attributes": try r.readKeyValues(into: &s.attributes)
            case "droppedAttributesCount": s.droppedAttributesCount = try r.readUInt32()
            case "events": try r.readArray { (r) throws(JSONDecodingError) in s.events.append(try SpanEvent.decode(&r)) }
            case "droppedEventsCount": s.droppedEventsCount = try r.readUInt32()
            case "links": try r.readArray { (r) throws(JSONDecodingError) in s.links.append(try SpanLink.decode(&r)) }
            case "droppedLinksCount": s.droppedLinksCount = try r.readUInt32()
            case "status": s.status = try r.consumeNull() ? nil : SpanStatus.decode(&r)
            default: try r.skipValue()
            }
        }
        return s
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.traceIDField("traceId", traceID)
        w.spanIDField("spanId", spanID)
        w.stringField("traceState", traceState)
        w.spanIDField("parentSpanId", parentSpanID)
        w.uint32Field("flags", flags)
        w.stringField("name", name)
        w.int32Field("kind", kind.rawValue)
        w.uint64Field("startTimeUnixNano", startTimeUnixNano)
        w.uint64Field("endTimeUnixNano", endTimeUnixNano)
        w.keyValuesField("attributes", attributes)
        w.uint32Field("droppedAttributesCount", droppedAttributesCount)
        w.arrayField("events", events) { e, w in e.encode(&w) }
        w.uint32Field("droppedEventsCount", droppedEventsCount)
        w.arrayField("links", links) { l, w in l.encode(&w) }
        w.uint32Field("droppedLinksCount", droppedLinksCount)
        if let status {
            w.key("status")
            status.encode(&w)
        }
        w.endObject()
    }
}

extension SpanEvent {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> SpanEvent {
        var e = SpanEvent()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "timeUnixNano": e.timeUnixNano = try r.readUInt64()
            case "name": e.name = try r.readString()
            case "attributes": try r.readKeyValues(into: &e.attributes)
            case "droppedAttributesCount": e.droppedAttributesCount = try r.readUInt32()
            default: try r.skipValue()
            }
        }
        return e
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.uint64Field("timeUnixNano", timeUnixNano)
        w.stringField("name", name)
        w.keyValuesField("attributes", attributes)
        w.uint32Field("droppedAttributesCount", droppedAttributesCount)
        w.endObject()
    }
}

extension SpanLink {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> SpanLink {
        var l = SpanLink()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "traceId": l.traceID = try r.readTraceID()
            case "spanId": l.spanID = try r.readSpanID()
            case "traceState": l.traceState = try r.readString()
            case "attributes": try r.readKeyValues(into: &l.attributes)
            case "droppedAttributesCount": l.droppedAttributesCount = try r.readUInt32()
            case "flags": l.flags = try r.readUInt32()
            default: try r.skipValue()
            }
        }
        return l
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.traceIDField("traceId", traceID)
        w.spanIDField("spanId", spanID)
        w.stringField("traceState", traceState)
        w.keyValuesField("attributes", attributes)
        w.uint32Field("droppedAttributesCount", droppedAttributesCount)
        w.uint32Field("flags", flags)
        w.endObject()
    }
}

extension SpanStatus {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> SpanStatus {
        var s = SpanStatus()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "message": s.message = try r.readString()
            case "code": s.code = StatusCode(rawValue: try r.readEnum(statusCodeNames))
            default: try r.skipValue()
            }
        }
        return s
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.stringField("message", message)
        w.int32Field("code", code.rawValue)
        w.endObject()
    }
}
