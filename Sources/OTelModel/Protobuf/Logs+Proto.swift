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
        source = SourceEncoding(storage)
    }

    public init(protobuf bytes: some Collection<UInt8>) throws(ProtoDecodingError) {
        try self.init(protobuf: ByteStorage(copying: bytes))
    }

    /// The `ExportLogsServiceRequest`: the bytes it was decoded from while unchanged, else a fresh encoding.
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
        var w = ProtoWriter(capacity: 256 + logRecordCount * 256)
        for rl in resourceLogs.reversed() { rl.encode(&w, tag: 0x0A) }
        return w.finish()
    }
}

extension ResourceLogs {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> ResourceLogs {
        var value = ResourceLogs()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        let (n, _, _) = try r.count(0x12)
        self.scopeLogs.reserveCapacity(self.scopeLogs.count + n)
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
                self.scopeLogs.append(try ScopeLogs.decode(&m))
            case 0x1A: self.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
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
        var value = ScopeLogs()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        let (n, _, _) = try r.count(0x12)
        self.logRecords.reserveCapacity(self.logRecords.count + n)
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
                self.logRecords.append(try LogRecord.decode(&m))
            case 0x1A: self.schemaURL = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
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
        var value = LogRecord()
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
            case 0x10: self.severityNumber = SeverityNumber(rawValue: try r.readInt32())
            case 0x1A: self.severityText = try r.readBytes()
            case 0x2A:
                var m = try r.readMessage()
                try self.body.merge(&m)
            case 0x32: try self.attributes.decodeField(&r, fieldStart: fieldStart, tag: 0x32)
            case 0x38: self.droppedAttributesCount = try r.readUInt32()
            case 0x45: self.flags = try r.readFixed32()
            case 0x4A: self.traceID = try r.readTraceID()
            case 0x52: self.spanID = try r.readSpanID()
            case 0x59: self.observedTimeUnixNano = try r.readFixed64()
            case 0x62: self.eventName = try r.readBytes()
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.bytesField(0x62, eventName)
        w.fixed64Field(0x59, observedTimeUnixNano)
        w.spanIDField(0x52, spanID)
        w.traceIDField(0x4A, traceID)
        w.fixed32Field(0x45, flags)
        w.varintField(0x38, UInt64(droppedAttributesCount))
        attributes.encode(&w, tag: 0x32)
        body.encode(&w, tag: 0x2A)
        w.bytesField(0x1A, severityText)
        w.int32Field(0x10, severityNumber.rawValue)
        w.fixed64Field(0x09, timeUnixNano)
        w.closeMessage(tag: tag, mark: mark)
    }
}
