// Protobuf codec for common.proto and resource.proto messages.
// Field numbers: opentelemetry-proto v1.11.0 (see ../shared/reference/otlp.md §7).

extension AnyValue {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> AnyValue {
        var value = AnyValue.empty
        try value.merge(&r)
        return value
    }

    /// Merges an `AnyValue` message into this one: a later scalar member replaces the value, a repeated
    /// array or kvlist member extends the same member (protobuf merge semantics).
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        if case .unset = self { self = .empty }
        var value = self
        defer { self = value }
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: value = .string(try r.readBytes())
            case 0x10: value = .bool(try r.readBool())
            case 0x18: value = .int(Int64(bitPattern: try r.readVarint()))
            case 0x21: value = .double(try r.readDouble())
            case 0x2A:
                var sub = try r.readMessage()
                let (n, _, _) = try sub.count(0x0A)
                var values: [AnyValue] = []
                values.reserveCapacity(n)
                while !sub.isAtEnd {
                    let t = try sub.readTag()
                    if t == 0x0A {
                        var m = try sub.readMessage()
                        values.append(try AnyValue.decode(&m))
                    } else {
                        try sub.skip(tag: t)
                    }
                }
                if case .array(let existing) = value { values = existing + values }
                value = .array(values)
            case 0x32:
                var sub = try r.readMessage()
                var list = try KeyValue.decodeList(&sub, tag: 0x0A)
                if case .kvlist(let existing) = value { list = existing + list }
                value = .kvlist(list)
            case 0x3A: value = .bytes(try r.readBytes())
            default: try r.skip(tag: tag)
            }
        }
    }

    /// Writes this value as message field `tag`; `.unset` writes nothing.
    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        if case .unset = self { return }
        let mark = w.written
        encodeBody(&w)
        w.closeMessage(tag: tag, mark: mark)
    }

    private func encodeBody(_ w: inout ProtoWriter) {
        switch self {
        case .unset, .empty: break
        case .string(let s): w.bytesFieldAlways(0x0A, s)
        case .bool(let b):
            w.writeVarint(b ? 1 : 0)
            w.writeTag(0x10)
        case .int(let i):
            w.writeVarint(UInt64(bitPattern: i))
            w.writeTag(0x18)
        case .double(let d):
            w.writeFixed64(d.bitPattern)
            w.writeTag(0x21)
        case .array(let values):
            let mark = w.written
            for v in values.reversed() {
                let m = w.written
                v.encodeBody(&w)
                w.closeMessage(tag: 0x0A, mark: m)
            }
            w.closeMessage(tag: 0x2A, mark: mark)
        case .kvlist(let kvs):
            let mark = w.written
            KeyValue.encodeList(kvs, &w, tag: 0x0A)
            w.closeMessage(tag: 0x32, mark: mark)
        case .bytes(let b): w.bytesFieldAlways(0x3A, b)
        }
    }
}

extension KeyValue {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> KeyValue {
        var key = ByteString.empty
        var value = AnyValue.unset
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: key = try r.readBytes()
            case 0x12:
                var m = try r.readMessage()
                try value.merge(&m)
            default: try r.skip(tag: tag)
            }
        }
        return KeyValue(key: key, value: value)
    }

    /// Decodes every field `tag` of the rest of `r` as a `KeyValue`, skipping other fields.
    static func decodeList(_ r: inout ProtoReader, tag listTag: UInt32) throws(ProtoDecodingError) -> [KeyValue] {
        let (n, _, _) = try r.count(listTag)
        var out: [KeyValue] = []
        out.reserveCapacity(n)
        while !r.isAtEnd {
            let tag = try r.readTag()
            if tag == listTag {
                var m = try r.readMessage()
                out.append(try KeyValue.decode(&m))
            } else {
                try r.skip(tag: tag)
            }
        }
        return out
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        value.encode(&w, tag: 0x12)
        w.bytesField(0x0A, key)
        w.closeMessage(tag: tag, mark: mark)
    }

    static func encodeList(_ list: [KeyValue], _ w: inout ProtoWriter, tag: UInt32) {
        var i = list.count
        while i > 0 {
            i -= 1
            list[i].encode(&w, tag: tag)
        }
    }
}

/// Appends one decoded element of a repeated message field, keeping the array allocated once.
@inline(__always)
func appendKeyValue(_ out: inout [KeyValue], _ r: inout ProtoReader) throws(ProtoDecodingError) {
    var m = try r.readMessage()
    out.append(try KeyValue.decode(&m))
}

extension Resource {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> Resource {
        var value = Resource()
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
            case 0x10: self.droppedAttributesCount = try r.readUInt32()
            case 0x1A:
                var m = try r.readMessage()
                self.entityRefs.append(try EntityRef.decode(&m))
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        for e in entityRefs.reversed() { e.encode(&w, tag: 0x1A) }
        w.varintField(0x10, UInt64(droppedAttributesCount))
        attributes.encode(&w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension EntityRef {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> EntityRef {
        var value = EntityRef()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: self.schemaURL = try r.readBytes()
            case 0x12: self.type = try r.readBytes()
            case 0x1A: self.idKeys.append(try r.readBytes())
            case 0x22: self.descriptionKeys.append(try r.readBytes())
            default: try r.skip(tag: tag)
            }
        }
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        for k in descriptionKeys.reversed() { w.bytesFieldAlways(0x22, k) }
        for k in idKeys.reversed() { w.bytesFieldAlways(0x1A, k) }
        w.bytesField(0x12, type)
        w.bytesField(0x0A, schemaURL)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension InstrumentationScope {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> InstrumentationScope {
        var value = InstrumentationScope()
        try value.merge(&r)
        return value
    }

    /// Merges the fields of `r` into this value, as protobuf does when a message field repeats.
    mutating func merge(_ r: inout ProtoReader) throws(ProtoDecodingError) {
        while !r.isAtEnd {
            let fieldStart = r.pos
            let tag = try r.readTag()
            switch tag {
            case 0x0A: self.name = try r.readBytes()
            case 0x12: self.version = try r.readBytes()
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
        w.bytesField(0x12, version)
        w.bytesField(0x0A, name)
        w.closeMessage(tag: tag, mark: mark)
    }
}
