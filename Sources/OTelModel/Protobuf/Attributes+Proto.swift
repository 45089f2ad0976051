// Protobuf codec for Attributes: kept encoded while they only pass through.

extension ProtoReader {
    /// A reader over the bytes of `view` (empty when the view is empty).
    init(view: ByteString) {
        if let storage = view.storage {
            self.init(storage: storage, start: Int(view.offset), end: Int(view.offset) + view.count)
        } else {
            self.init(storage: ByteStorage(copying: [UInt8]()), start: 0, end: 0)
        }
    }
}

extension Attributes {
    /// Takes one attributes field (`tag`, starting at `fieldStart`) from `r`.
    ///
    /// The KeyValue is checked for known fields only; runs of such fields stay a view into the
    /// request. Anything else (unknown fields, wrong wire types, fields split around others) is
    /// decoded, so what we write back never carries fields we do not understand.
    mutating func decodeField(_ r: inout ProtoReader, fieldStart: Int, tag: UInt32) throws(ProtoDecodingError) {
        let (start, length) = try r.readLengthDelimited()
        let clean = try KeyValueScanner.isClean(r.base, start, start + length, depth: r.depth + 1)
        if clean {
            switch representation {
            case .list(let l) where l.isEmpty:
                let n = try Self.takeCleanRun(&r, tag: tag)
                representation = .encoded(ByteString(storage: r.storage, offset: fieldStart, count: r.pos - fieldStart), count: 1 + n, fieldTag: tag)
                return
            case .encoded(let bytes, let n, let t) where t == tag && bytes.storage === r.storage && Int(bytes.offset) + bytes.count == fieldStart:
                let more = try Self.takeCleanRun(&r, tag: tag)
                representation = .encoded(ByteString(storage: r.storage, offset: Int(bytes.offset), count: r.pos - Int(bytes.offset)), count: n + 1 + more, fieldTag: tag)
                return
            default:
                break
            }
        }
        var m = ProtoReader(storage: r.storage, start: start, end: start + length, depth: r.depth + 1)
        var l = list
        l.append(try KeyValue.decode(&m))
        representation = .list(l)
    }

    /// Moves `r` past the clean fields `tag` that follow directly and returns how many there were,
    /// so that a run of attributes becomes one view in one step. Stops before anything else.
    @inline(__always)
    private static func takeCleanRun(_ r: inout ProtoReader, tag: UInt32) throws(ProtoDecodingError) -> Int {
        var n = 0
        while r.pos < r.end {
            var p = r.pos
            guard try KeyValueScanner.varint(r.base, &p, r.end) == UInt64(tag) else { break }
            let (s, e) = try KeyValueScanner.lengthDelimited(r.base, &p, r.end)
            guard try KeyValueScanner.isClean(r.base, s, e, depth: r.depth + 1) else { break }
            r.pos = p
            n += 1
        }
        return n
    }

    /// Writes the attributes as repeated field `tag`: one copy when they are still encoded as such.
    func encode(_ w: inout ProtoWriter, tag: UInt32) {
        switch representation {
        case .encoded(let bytes, _, let t) where t == tag:
            bytes.withUnsafeBytes { w.writeRaw($0) }
        case .encoded:
            KeyValue.encodeList(list, &w, tag: tag)
        case .list(let l):
            KeyValue.encodeList(l, &w, tag: tag)
        }
    }
}

/// Checks that encoded KeyValues contain only fields we know, with the right wire types, within
/// bounds; throws on malformed bytes.
enum KeyValueScanner {
    static func isClean(_ base: UnsafeRawPointer, _ start: Int, _ end: Int, depth: Int) throws(ProtoDecodingError) -> Bool {
        guard depth < ProtoReader.maxDepth else { throw ProtoDecodingError(reason: "messages nested deeper than \(ProtoReader.maxDepth)", offset: start) }
        var p = start
        while p < end {
            let tag = try varint(base, &p, end)
            switch tag {
            case 0x0A: try skipBytes(base, &p, end)
            case 0x12:
                let (s, e) = try lengthDelimited(base, &p, end)
                if !(try isCleanAnyValue(base, s, e, depth: depth + 1)) { return false }
            default: return false
            }
        }
        return true
    }

    static func isCleanAnyValue(_ base: UnsafeRawPointer, _ start: Int, _ end: Int, depth: Int) throws(ProtoDecodingError) -> Bool {
        guard depth < ProtoReader.maxDepth else { throw ProtoDecodingError(reason: "messages nested deeper than \(ProtoReader.maxDepth)", offset: start) }
        var p = start
        var members = 0
        while p < end {
            let tag = try varint(base, &p, end)
            members += 1
            switch tag {
            case 0x0A, 0x3A: try skipBytes(base, &p, end)
            case 0x10, 0x18: _ = try varint(base, &p, end)
            case 0x21:
                guard end - p >= 8 else { throw ProtoDecodingError(reason: "truncated fixed64", offset: p) }
                p += 8
            case 0x2A:
                let (s, e) = try lengthDelimited(base, &p, end)
                var q = s
                while q < e {
                    guard try varint(base, &q, e) == 0x0A else { return false }
                    let (vs, ve) = try lengthDelimited(base, &q, e)
                    if !(try isCleanAnyValue(base, vs, ve, depth: depth + 2)) { return false }
                }
            case 0x32:
                let (s, e) = try lengthDelimited(base, &p, end)
                var q = s
                while q < e {
                    guard try varint(base, &q, e) == 0x0A else { return false }
                    let (ks, ke) = try lengthDelimited(base, &q, e)
                    if !(try isClean(base, ks, ke, depth: depth + 2)) { return false }
                }
            default: return false
            }
        }
        // Several oneof members: the last wins when decoded; let the decoder settle it.
        return members <= 1
    }

    @inline(__always)
    static func varint(_ base: UnsafeRawPointer, _ p: inout Int, _ end: Int) throws(ProtoDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard p < end else { throw ProtoDecodingError(reason: "truncated varint", offset: p) }
            let b = base.load(fromByteOffset: p, as: UInt8.self)
            p += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw ProtoDecodingError(reason: "varint longer than 10 bytes", offset: p) }
        }
    }

    @inline(__always)
    static func lengthDelimited(_ base: UnsafeRawPointer, _ p: inout Int, _ end: Int) throws(ProtoDecodingError) -> (Int, Int) {
        let n = try varint(base, &p, end)
        guard n <= UInt64(end - p) else { throw ProtoDecodingError(reason: "length \(n) runs past the end of the message", offset: p) }
        let s = p
        p += Int(n)
        return (s, p)
    }

    @inline(__always)
    static func skipBytes(_ base: UnsafeRawPointer, _ p: inout Int, _ end: Int) throws(ProtoDecodingError) {
        _ = try lengthDelimited(base, &p, end)
    }
}
