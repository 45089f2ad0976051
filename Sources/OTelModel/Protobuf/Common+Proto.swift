// Protobuf codec for common.proto and resource.proto messages.
// Field numbers: opentelemetry-proto v1.11.0 (see ../shared/reference/otlp.md §7).

extension AnyValue {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> AnyValue {
        var value = AnyValue.empty
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
                value = .array(values)
            case 0x32:
                var sub = try r.readMessage()
                value = .kvlist(try KeyValue.decodeList(&sub, tag: 0x0A))
            case 0x3A: value = .bytes(try r.readBytes())
            default: try r.skip(tag: tag)
            }
        }
        return value
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
                value = try AnyValue.decode(&m)
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
        var res = Resource()
        let (na, ne, _) = try r.count(0x0A, 0x1A)
        res.attributes.reserveCapacity(na)
        res.entityRefs.reserveCapacity(ne)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: try appendKeyValue(&res.attributes, &r)
            case 0x10: res.droppedAttributesCount = try r.readUInt32()
            case 0x1A:
                var m = try r.readMessage()
                res.entityRefs.append(try EntityRef.decode(&m))
            default: try r.skip(tag: tag)
            }
        }
        return res
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        for e in entityRefs.reversed() { e.encode(&w, tag: 0x1A) }
        w.varintField(0x10, UInt64(droppedAttributesCount))
        KeyValue.encodeList(attributes, &w, tag: 0x0A)
        w.closeMessage(tag: tag, mark: mark)
    }
}

extension EntityRef {
    static func decode(_ r: inout ProtoReader) throws(ProtoDecodingError) -> EntityRef {
        var e = EntityRef()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: e.schemaURL = try r.readBytes()
            case 0x12: e.type = try r.readBytes()
            case 0x1A: e.idKeys.append(try r.readBytes())
            case 0x22: e.descriptionKeys.append(try r.readBytes())
            default: try r.skip(tag: tag)
            }
        }
        return e
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
        var s = InstrumentationScope()
        let (na, _, _) = try r.count(0x1A)
        s.attributes.reserveCapacity(na)
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch tag {
            case 0x0A: s.name = try r.readBytes()
            case 0x12: s.version = try r.readBytes()
            case 0x1A: try appendKeyValue(&s.attributes, &r)
            case 0x20: s.droppedAttributesCount = try r.readUInt32()
            default: try r.skip(tag: tag)
            }
        }
        return s
    }

    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        let mark = w.written
        w.varintField(0x20, UInt64(droppedAttributesCount))
        KeyValue.encodeList(attributes, &w, tag: 0x1A)
        w.bytesField(0x12, version)
        w.bytesField(0x0A, name)
        w.closeMessage(tag: tag, mark: mark)
    }
}
