/// A malformed protobuf payload: what was wrong and at which byte offset.
public struct ProtoDecodingError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var offset: Int

    public var description: String { "malformed protobuf at byte \(offset): \(reason)" }
}

/// Protobuf wire types. (protobuf encoding guide, "Message Structure")
@usableFromInline enum WireType {
    static let varint: UInt32 = 0
    static let i64: UInt32 = 1
    static let len: UInt32 = 2
    static let startGroup: UInt32 = 3
    static let endGroup: UInt32 = 4
    static let i32: UInt32 = 5
}

/// A forward cursor over one protobuf message inside a ``ByteStorage``.
///
/// Strings and bytes come out as ``ByteString`` views into the storage: no copy.
/// Every read checks bounds; any inconsistency throws ``ProtoDecodingError``.
struct ProtoReader {
    let storage: ByteStorage
    let base: UnsafeRawPointer
    var pos: Int
    let end: Int
    /// How many messages deep this reader is; bounded to stop stack exhaustion on hostile input.
    let depth: Int

    static let maxDepth = 64

    init(storage: ByteStorage) {
        self.storage = storage
        base = storage.base
        pos = 0
        end = storage.count
        depth = 0
    }

    init(storage: ByteStorage, start: Int, end: Int, depth: Int = 0) {
        self.storage = storage
        base = storage.base
        pos = start
        self.end = end
        self.depth = depth
    }

    private init(parent: ProtoReader, start: Int, end: Int) {
        storage = parent.storage
        base = parent.base
        pos = start
        self.end = end
        depth = parent.depth + 1
    }

    @inline(__always) var isAtEnd: Bool { pos >= end }

    func error(_ reason: String) -> ProtoDecodingError { ProtoDecodingError(reason: reason, offset: pos) }

    @inline(__always) mutating func readVarint() throws(ProtoDecodingError) -> UInt64 {
        if pos < end {
            let b = base.load(fromByteOffset: pos, as: UInt8.self)
            if b < 0x80 {
                pos &+= 1
                return UInt64(b)
            }
        }
        return try readVarintSlow()
    }

    private mutating func readVarintSlow() throws(ProtoDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < end else { throw error("truncated varint") }
            let b = base.load(fromByteOffset: pos, as: UInt8.self)
            pos &+= 1
            if shift == 63 && b > 1 { throw error("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw error("varint longer than 10 bytes") }
        }
    }

    /// Reads a field tag (field number << 3 | wire type). Zero field numbers are rejected.
    @inline(__always) mutating func readTag() throws(ProtoDecodingError) -> UInt32 {
        let v = try readVarint()
        guard v >> 3 != 0, v <= UInt64(UInt32.max) else { throw error("invalid field tag \(v)") }
        return UInt32(truncatingIfNeeded: v)
    }

    @inline(__always) mutating func readFixed64() throws(ProtoDecodingError) -> UInt64 {
        guard end &- pos >= 8 else { throw error("truncated fixed64") }
        let v = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt64.self))
        pos &+= 8
        return v
    }

    @inline(__always) mutating func readFixed32() throws(ProtoDecodingError) -> UInt32 {
        guard end &- pos >= 4 else { throw error("truncated fixed32") }
        let v = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt32.self))
        pos &+= 4
        return v
    }

    @inline(__always) mutating func readDouble() throws(ProtoDecodingError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    @inline(__always) mutating func readUInt32() throws(ProtoDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readVarint())
    }

    @inline(__always) mutating func readInt32() throws(ProtoDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try readVarint())
    }

    @inline(__always) mutating func readSInt32() throws(ProtoDecodingError) -> Int32 {
        let v = UInt32(truncatingIfNeeded: try readVarint())
        return Int32(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    @inline(__always) mutating func readBool() throws(ProtoDecodingError) -> Bool {
        try readVarint() != 0
    }

    /// Reads a length prefix and returns the start of the payload, advancing past it.
    @inline(__always) mutating func readLengthDelimited() throws(ProtoDecodingError) -> (start: Int, count: Int) {
        let n = try readVarint()
        guard n <= UInt64(end &- pos) else { throw error("length \(n) runs past the end of the message") }
        let start = pos
        pos &+= Int(n)
        return (start, Int(n))
    }

    @inline(__always) mutating func readBytes() throws(ProtoDecodingError) -> ByteString {
        let (start, count) = try readLengthDelimited()
        return ByteString(storage: storage, offset: start, count: count)
    }

    /// Reads a length-delimited sub-message and returns a reader over it.
    @inline(__always) mutating func readMessage() throws(ProtoDecodingError) -> ProtoReader {
        let (start, count) = try readLengthDelimited()
        guard depth < Self.maxDepth else { throw error("messages nested deeper than \(Self.maxDepth)") }
        return ProtoReader(parent: self, start: start, end: start &+ count)
    }

    mutating func readTraceID() throws(ProtoDecodingError) -> TraceID {
        let (start, count) = try readLengthDelimited()
        switch count {
        case 0: return .zero
        case 16: return TraceID(bytes: base + start)
        default: throw ProtoDecodingError(reason: "trace id must be 16 bytes, got \(count)", offset: start)
        }
    }

    mutating func readSpanID() throws(ProtoDecodingError) -> SpanID {
        let (start, count) = try readLengthDelimited()
        switch count {
        case 0: return .zero
        case 8: return SpanID(bytes: base + start)
        default: throw ProtoDecodingError(reason: "span id must be 8 bytes, got \(count)", offset: start)
        }
    }

    /// Skips the value of a field whose tag was just read (unknown fields, or known fields with an
    /// unexpected wire type).
    mutating func skip(tag: UInt32) throws(ProtoDecodingError) {
        switch tag & 7 {
        case WireType.varint: _ = try readVarint()
        case WireType.i64:
            guard end &- pos >= 8 else { throw error("truncated fixed64") }
            pos &+= 8
        case WireType.len: _ = try readLengthDelimited()
        case WireType.i32:
            guard end &- pos >= 4 else { throw error("truncated fixed32") }
            pos &+= 4
        case WireType.startGroup: try skipGroup(field: tag >> 3, level: 0)
        default: throw error("unexpected wire type \(tag & 7)")
        }
    }

    private mutating func skipGroup(field: UInt32, level: Int) throws(ProtoDecodingError) {
        guard depth + level < Self.maxDepth else { throw error("groups nested too deep") }
        while true {
            guard !isAtEnd else { throw error("unterminated group") }
            let tag = try readTag()
            if tag & 7 == WireType.endGroup {
                guard tag >> 3 == field else { throw error("mismatched end group") }
                return
            }
            if tag & 7 == WireType.startGroup {
                try skipGroup(field: tag >> 3, level: level + 1)
            } else {
                try skip(tag: tag)
            }
        }
    }

    /// Counts the fields with tag `a`, `b` and `c` in the rest of this message without decoding them,
    /// so repeated fields can be allocated once at their final size.
    func count(_ a: UInt32, _ b: UInt32 = 0, _ c: UInt32 = 0) throws(ProtoDecodingError) -> (Int, Int, Int) {
        var r = self
        var na = 0, nb = 0, nc = 0
        while !r.isAtEnd {
            let tag = try r.readTag()
            if tag == a { na &+= 1 } else if tag == b { nb &+= 1 } else if tag == c { nc &+= 1 }
            try r.skip(tag: tag)
        }
        return (na, nb, nc)
    }

    /// Reads a packed or a single unpacked fixed64 element into `out`.
    mutating func readRepeatedFixed64(tag: UInt32, into out: inout [UInt64]) throws(ProtoDecodingError) {
        if tag & 7 == WireType.len {
            let (start, count) = try readLengthDelimited()
            guard count % 8 == 0 else { throw ProtoDecodingError(reason: "packed fixed64 length \(count) not a multiple of 8", offset: start) }
            out.reserveCapacity(out.count + count / 8)
            var p = start
            while p < start + count {
                out.append(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self)))
                p += 8
            }
        } else if tag & 7 == WireType.i64 {
            out.append(try readFixed64())
        } else {
            try skip(tag: tag)
        }
    }

    /// Reads a packed or a single unpacked double element into `out`.
    mutating func readRepeatedDouble(tag: UInt32, into out: inout [Double]) throws(ProtoDecodingError) {
        if tag & 7 == WireType.len {
            let (start, count) = try readLengthDelimited()
            guard count % 8 == 0 else { throw ProtoDecodingError(reason: "packed double length \(count) not a multiple of 8", offset: start) }
            out.reserveCapacity(out.count + count / 8)
            var p = start
            while p < start + count {
                out.append(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self))))
                p += 8
            }
        } else if tag & 7 == WireType.i64 {
            out.append(try readDouble())
        } else {
            try skip(tag: tag)
        }
    }

    /// Reads a packed or a single unpacked varint element into `out`.
    mutating func readRepeatedVarint(tag: UInt32, into out: inout [UInt64]) throws(ProtoDecodingError) {
        if tag & 7 == WireType.len {
            var sub = try readMessage()
            while !sub.isAtEnd { out.append(try sub.readVarint()) }
        } else if tag & 7 == WireType.varint {
            out.append(try readVarint())
        } else {
            try skip(tag: tag)
        }
    }
}
