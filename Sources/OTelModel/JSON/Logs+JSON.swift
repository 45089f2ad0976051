// OTLP/JSON codec for logs.proto (ExportLogsServiceRequest / LogsData). (otlp.md §5, §7)

/// `SeverityNumber` value names, indexed by number.
private let severityNames: [StaticString] = [
    "SEVERITY_NUMBER_UNSPECIFIED",
    "SEVERITY_NUMBER_TRACE", "SEVERITY_NUMBER_TRACE2", "SEVERITY_NUMBER_TRACE3", "SEVERITY_NUMBER_TRACE4",
    "SEVERITY_NUMBER_DEBUG", "SEVERITY_NUMBER_DEBUG2", "SEVERITY_NUMBER_DEBUG3", "SEVERITY_NUMBER_DEBUG4",
    "SEVERITY_NUMBER_INFO", "SEVERITY_NUMBER_INFO2", "SEVERITY_NUMBER_INFO3", "SEVERITY_NUMBER_INFO4",
    "SEVERITY_NUMBER_WARN", "SEVERITY_NUMBER_WARN2", "SEVERITY_NUMBER_WARN3", "SEVERITY_NUMBER_WARN4",
    "SEVERITY_NUMBER_ERROR", "SEVERITY_NUMBER_ERROR2", "SEVERITY_NUMBER_ERROR3", "SEVERITY_NUMBER_ERROR4",
    "SEVERITY_NUMBER_FATAL", "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3", "SEVERITY_NUMBER_FATAL4",
]

extension LogsData {
    /// Decodes an OTLP/JSON `ExportLogsServiceRequest`; strings without escapes stay views into
    /// `storage`. Keys may be lowerCamelCase or snake_case; unknown keys are skipped.
    public init(json storage: ByteStorage) throws(JSONDecodingError) {
        var r = JSONReader(storage: storage)
        var list: [ResourceLogs] = []
        try r.readDocument { (r, key) throws(JSONDecodingError) in
            switch key {
            case "resourceLogs": try r.readArray { (r) throws(JSONDecodingError) in list.append(try ResourceLogs.decode(&r)) }
            default: try r.skipValue()
            }
        }
        self.init(resourceLogs: list)
    }

    /// Decodes a copy of `bytes`.
    public init(json bytes: some Collection<UInt8>) throws(JSONDecodingError) {
        try self.init(json: ByteStorage(copying: bytes))
    }

    /// Encodes as an OTLP/JSON `ExportLogsServiceRequest`.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter(capacity: 256 + logRecordCount * 768)
        w.beginObject()
        w.arrayField("resourceLogs", resourceLogs) { rl, w in rl.encode(&w) }
        w.endObject()
        return w.finish()
    }
}

extension ResourceLogs {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> ResourceLogs {
        var rl = ResourceLogs()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "resource": rl.resource = try Resource.decodeField(&r)
            case "scopeLogs": try r.readArray { (r) throws(JSONDecodingError) in rl.scopeLogs.append(try ScopeLogs.decode(&r)) }
            case "schemaUrl": rl.schemaURL = try r.readString()
            default: try r.skipValue()
            }
        }
        return rl
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        if let resource {
            w.key("resource")
            resource.encode(&w)
        }
        w.arrayField("scopeLogs", scopeLogs) { sl, w in sl.encode(&w) }
        w.stringField("schemaUrl", schemaURL)
        w.endObject()
    }
}

extension ScopeLogs {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> ScopeLogs {
        var sl = ScopeLogs()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "scope": sl.scope = try InstrumentationScope.decodeField(&r)
            case "logRecords": try r.readArray { (r) throws(JSONDecodingError) in sl.logRecords.append(try LogRecord.decode(&r)) }
            case "schemaUrl": sl.schemaURL = try r.readString()
            default: try r.skipValue()
            }
        }
        return sl
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        if let scope {
            w.key("scope")
            scope.encode(&w)
        }
        w.arrayField("logRecords", logRecords) { l, w in l.encode(&w) }
        w.stringField("schemaUrl", schemaURL)
        w.endObject()
    }
}

extension LogRecord {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> LogRecord {
        var l = LogRecord()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "timeUnixNano": l.timeUnixNano = try r.readUInt64()
            case "observedTimeUnixNano": l.observedTimeUnixNano = try r.readUInt64()
            case "severityNumber": l.severityNumber = SeverityNumber(rawValue: try r.readEnum(severityNames))
            case "severityText": l.severityText = try r.readString()
            case "body": l.body = try AnyValue.decodeField(&r)
            case "attributes": try r.readKeyValues(into: &l.attributes)
            case "droppedAttributesCount": l.droppedAttributesCount = try r.readUInt32()
            case "flags": l.flags = try r.readUInt32()
            case "traceId": l.traceID = try r.readTraceID()
            case "spanId": l.spanID = try r.readSpanID()
            case "eventName": l.eventName = try r.readString()
            default: try r.skipValue()
            }
        }
        return l
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.uint64Field("timeUnixNano", timeUnixNano)
        w.uint64Field("observedTimeUnixNano", observedTimeUnixNano)
        w.int32Field("severityNumber", severityNumber.rawValue)
        w.stringField("severityText", severityText)
        body.encodeField("body", &w)
        w.keyValuesField("attributes", attributes)
        w.uint32Field("droppedAttributesCount", droppedAttributesCount)
        w.uint32Field("flags", flags)
        w.traceIDField("traceId", traceID)
        w.spanIDField("spanId", spanID)
        w.stringField("eventName", eventName)
        w.endObject()
    }
}
