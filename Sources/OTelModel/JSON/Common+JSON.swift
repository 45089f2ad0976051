// OTLP/JSON codec for common.proto and resource.proto messages (otlp.md §5, §7).

extension AnyValue {
    /// Decodes an `AnyValue` object. `{}` is `.empty`; a member set to `null` is ignored.
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> AnyValue {
        var value = AnyValue.empty
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "stringValue": if try !r.consumeNull() { value = .string(try r.readString()) }
            case "boolValue": if try !r.consumeNull() { value = .bool(try r.readBool()) }
            case "intValue": if try !r.consumeNull() { value = .int(try r.readInt64()) }
            case "doubleValue": if try !r.consumeNull() { value = .double(try r.readDouble()) }
            case "arrayValue":
                guard try !r.consumeNull() else { return }
                var values: [AnyValue] = []
                try r.readObject { (r, key) throws(JSONDecodingError) in
                    switch key {
                    case "values": try r.readArray { (r) throws(JSONDecodingError) in values.append(try AnyValue.decode(&r)) }
                    default: try r.skipValue()
                    }
                }
                value = .array(values)
            case "kvlistValue":
                guard try !r.consumeNull() else { return }
                var values: [KeyValue] = []
                try r.readObject { (r, key) throws(JSONDecodingError) in
                    switch key {
                    case "values": try r.readKeyValues(into: &values)
                    default: try r.skipValue()
                    }
                }
                value = .kvlist(values)
            case "bytesValue": if try !r.consumeNull() { value = .bytes(try r.readBase64()) }
            default: try r.skipValue()
            }
        }
        return value
    }

    /// Decodes an optional `AnyValue` field: `null` is `.unset`.
    static func decodeField(_ r: inout JSONReader) throws(JSONDecodingError) -> AnyValue {
        try r.consumeNull() ? .unset : decode(&r)
    }

    /// Writes this value as an `AnyValue` object (`.unset` and `.empty` both as `{}`).
    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        switch self {
        case .unset, .empty: break
        case .string(let s):
            w.key("stringValue")
            w.string(s)
        case .bool(let b):
            w.key("boolValue")
            w.bool(b)
        case .int(let i):
            w.key("intValue")
            w.decimalString(i)
        case .double(let d):
            w.key("doubleValue")
            w.number(d)
        case .array(let values):
            w.key("arrayValue")
            w.beginObject()
            w.arrayField("values", values) { v, w in v.encode(&w) }
            w.endObject()
        case .kvlist(let kvs):
            w.key("kvlistValue")
            w.beginObject()
            w.keyValuesField("values", kvs)
            w.endObject()
        case .bytes(let b):
            w.key("bytesValue")
            w.base64(b)
        }
        w.endObject()
    }

    /// Writes `"name": {…}` unless the value is `.unset`.
    func encodeField(_ name: StaticString, _ w: inout JSONWriter) {
        if case .unset = self { return }
        w.key(name)
        encode(&w)
    }
}

extension KeyValue {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> KeyValue {
        var kv = KeyValue(key: .empty, value: .unset)
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "key": kv.key = try r.readString()
            case "value": kv.value = try AnyValue.decodeField(&r)
            default: try r.skipValue()
            }
        }
        return kv
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.stringField("key", key)
        value.encodeField("value", &w)
        w.endObject()
    }
}

extension JSONReader {
    /// Reads an array of `KeyValue` objects, appending them to `list`.
    mutating func readKeyValues(into list: inout [KeyValue]) throws(JSONDecodingError) {
        try readArray { (r) throws(JSONDecodingError) in
            if list.capacity == 0 { list.reserveCapacity(8) }
            list.append(try KeyValue.decode(&r))
        }
    }

    /// Reads an array of `KeyValue` objects into attributes.
    mutating func readKeyValues(into attributes: inout Attributes) throws(JSONDecodingError) {
        var list = attributes.list
        try readKeyValues(into: &list)
        attributes = Attributes(list)
    }

    /// Reads an array of strings, appending them to `list`.
    mutating func readStrings(into list: inout [ByteString]) throws(JSONDecodingError) {
        try readArray { (r) throws(JSONDecodingError) in
            guard try !r.consumeNull() else { throw r.error("null element in a repeated field") }
            list.append(try r.readString())
        }
    }
}

extension JSONWriter {
    /// Writes `"name": [{…}, …]` unless `list` is empty.
    mutating func keyValuesField(_ name: StaticString, _ list: [KeyValue]) {
        arrayField(name, list) { kv, w in kv.encode(&w) }
    }

    /// Writes `"name": [{…}, …]` unless there are no attributes; encoded attributes are decoded on the fly.
    mutating func keyValuesField(_ name: StaticString, _ attributes: Attributes) {
        switch attributes.representation {
        case .list(let l): keyValuesField(name, l)
        case .encoded:
            guard !attributes.isEmpty else { return }
            key(name)
            beginArray()
            for kv in attributes { kv.encode(&self) }
            endArray()
        }
    }
}

extension Resource {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> Resource {
        var res = Resource()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "attributes": try r.readKeyValues(into: &res.attributes)
            case "droppedAttributesCount": res.droppedAttributesCount = try r.readUInt32()
            case "entityRefs": try r.readArray { (r) throws(JSONDecodingError) in res.entityRefs.append(try EntityRef.decode(&r)) }
            default: try r.skipValue()
            }
        }
        return res
    }

    /// Decodes an optional `Resource` field: `null` is nil.
    static func decodeField(_ r: inout JSONReader) throws(JSONDecodingError) -> Resource? {
        try r.consumeNull() ? nil : decode(&r)
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.keyValuesField("attributes", attributes)
        w.uint32Field("droppedAttributesCount", droppedAttributesCount)
        w.arrayField("entityRefs", entityRefs) { e, w in e.encode(&w) }
        w.endObject()
    }
}

extension EntityRef {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> EntityRef {
        var e = EntityRef()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "schemaUrl": e.schemaURL = try r.readString()
            case "type": e.type = try r.readString()
            case "idKeys": try r.readStrings(into: &e.idKeys)
            case "descriptionKeys": try r.readStrings(into: &e.descriptionKeys)
            default: try r.skipValue()
            }
        }
        return e
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.stringField("schemaUrl", schemaURL)
        w.stringField("type", type)
        w.arrayField("idKeys", idKeys) { s, w in w.string(s) }
        w.arrayField("descriptionKeys", descriptionKeys) { s, w in w.string(s) }
        w.endObject()
    }
}

extension InstrumentationScope {
    static func decode(_ r: inout JSONReader) throws(JSONDecodingError) -> InstrumentationScope {
        var s = InstrumentationScope()
        try r.readObject { (r, key) throws(JSONDecodingError) in
            switch key {
            case "name": s.name = try r.readString()
            case "version": s.version = try r.readString()
            case "attributes": try r.readKeyValues(into: &s.attributes)
            case "droppedAttributesCount": s.droppedAttributesCount = try r.readUInt32()
            default: try r.skipValue()
            }
        }
        return s
    }

    /// Decodes an optional `InstrumentationScope` field: `null` is nil.
    static func decodeField(_ r: inout JSONReader) throws(JSONDecodingError) -> InstrumentationScope? {
        try r.consumeNull() ? nil : decode(&r)
    }

    func encode(_ w: inout JSONWriter) {
        w.beginObject()
        w.stringField("name", name)
        w.stringField("version", version)
        w.keyValuesField("attributes", attributes)
        w.uint32Field("droppedAttributesCount", droppedAttributesCount)
        w.endObject()
    }
}
