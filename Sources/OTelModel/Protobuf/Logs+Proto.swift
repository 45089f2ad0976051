// Protobuf codec for logs.proto (ExportLogsServiceRequest / LogsData).

extension LogsData {
    /// Decodes an `ExportLogsServiceRequest`; strings and bytes stay views into `storage`.
    public init(protobuf storage: ByteStorage) throws(ProtoDecodingError) {
        var r = ProtoReader(storage: storage)
        let (n, _, _) = try r.count(0x0A)
        var list: [ResourceLogs] = []
        list.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            if tag == 0x0A {
                var m = try r.readMessage()
                list.append(try ResourceLogs.decode(&m))
            } else {
                try r.skip(tag: tag)
            }
        }
        self.init(resourceLogs: list)
    }

    public init(protobuf bytes: some Collection<UInt8>) throws(ProtoDecodingError) {
        try self.init(protobuf: ByteStorage(copying: bytes))
    }

    /// Encodes as an `ExportLogsServiceRequest`.
    public func protobufBytes() -> [UInt8] {
        var w = ProtoWriter(capacity: 256 + logRecordCount * 256)
        for rl in resourceLogs.reversed() { rl.encode(&w, tag: 0x0A) }
        return w.finish()
    }
}

extension ResourceLogs {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> ResourceLogs {
        var rl = ResourceLogs()
        let (n, _, _) = try r.count(0x12)
        rl.scopeLogs.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A:
                var m = try r.readMessage()
                rl.resource = try Resource.decode(&m)
            case 0x12:
                var m = try r.readMessage()
                rl.scopeLogs.append(try ScopeLogs.decode(&m))
            case 0x1A: rl.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
        return rl
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.bytesField(0x1A, schemaURL)
        for sl in scopeLogs.reversed() { sl.encode(&w, tag: 0x12) }
        resource?.encode(&w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension ScopeLogs {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> ScopeLogs {
        var sl = ScopeLogs()
        let (n, _, _) = try r.count(0x12)
        sl.logRecords.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A:
                var m = try r.readMessage()
                sl.scope = try InstrumentationScope.decode(&m)
            case 0x12:
                var m = try r.readMessage()
                sl.logRecords.append(try LogRecord.decode(&m))
            case 0x1A: sl.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
        return sl
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.bytesField(0x1A, schemaURL)
        var i = logRecords.count
        while i > 0 {
            i -= 1
            logRecords[i].encode(&w, tag: 0x12)
        }
        scope?.encode(&w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension LogRecord {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> LogRecord {
        var l = LogRecord()
        let (na, _, _) = try r.count(0x32)
        l.attributes.reserveCapacity(na)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x09: l.timeUnixNano = try r.readFixed64()
            case 0x10: l.severityNumber = SeverityNumber(rawValue: try r.readInt32())
            case 0x1A: l.severityText = try r.readBytes()
            case 0x2A:
                var m = try r.readMessage()
                l.body = try AnyValue.decode(&m)
            case 0x32: try appendKeyValue(&l.attributes, &r)
            case 0x38: l.droppedAttributesCount = try r.readUInt32()
            case 0x45: l.flags = try r.readFixed32()
            case 0x4A: l.traceID = try r.readTraceID()
            case 0x52: l.spanID = try r.readSpanID()
            case 0x59: l.observedTimeUnixNano = try r.readFixed64()
            case 0x62: l.eventName = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
        return l
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.bytesField(0x62, eventName)
        w.fixed64Field(0x59, observedTimeUnixNano)
        w.spanIDField(0x52, spanID)
        w.traceIDField(0x4A, traceID)
        w.fixed32Field(0x45, flags)
        w.varintField(0x38, UInt64(droppedAttributesCount))
        KeyValue.encodeList(attributes, &w, tag: 0x32)
        body.encode(&w, tag: 0x2A)
        w.bytesField(0x1A, severityText)
        w.int32Field(0x10, severityNumber.rawValue)
        w.fixed64Field(0x09, timeUnixNano)
        w.closeMessage(tag: tag, mark: mark)
    }
}
