/// A protobuf writer that fills its buffer from the end towards the start.
///
/// Writing a message's fields last-to-first and its children before their length prefix means every
/// length is known when it is written: one pass, no size pre-computation, no per-message buffers.
/// (The output still lists fields in ascending field order.)
package struct ProtoWriter: ~Copyable {
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// Index of the first written byte; bytes live in `buffer[start..<capacity]`.
    private var start: Int

    package init(capacity: Int = 4096) {
        let c = max(capacity, 64)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: c, alignment: 16)
        self.capacity = c
        start = c
    }

    deinit { buffer.deallocate() }

    /// Bytes written so far. Take it before a message's fields and again after to get its length.
    @inline(__always) package var written: Int { capacity &- start }

    @inline(__always) private mutating func reserve(_ n: Int) {
        if start < n { grow(n) }
    }

    private mutating func grow(_ n: Int) {
        let used = written
        var newCapacity = capacity * 2
        while newCapacity - used < n { newCapacity *= 2 }
        let newBuffer = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        (newBuffer + (newCapacity - used)).copyMemory(from: buffer + start, byteCount: used)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
        start = newCapacity - used
    }

    @inline(__always) package mutating func writeVarint(_ value: UInt64) {
        if value < 0x80 {
            reserve(1)
            start &-= 1
            buffer.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: start, as: UInt8.self)
            return
        }
        writeVarintSlow(value)
    }

    private mutating func writeVarintSlow(_ value: UInt64) {
        let n = Self.varintSize(value)
        reserve(n)
        start &-= n
        var v = value
        var p = start
        while v >= 0x80 {
            buffer.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: p, as: UInt8.self)
            v >>= 7
            p &+= 1
        }
        buffer.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: p, as: UInt8.self)
    }

    package static func varintSize(_ v: UInt64) -> Int {
        (70 &- (v | 1).leadingZeroBitCount) / 7
    }

    @inline(__always) package mutating func writeTag(_ tag: UInt32) { writeVarint(UInt64(tag)) }

    @inline(__always) package mutating func writeFixed64(_ v: UInt64) {
        reserve(8)
        start &-= 8
        (buffer + start).storeBytes(of: v.littleEndian, as: UInt64.self)
    }

    @inline(__always) package mutating func writeFixed32(_ v: UInt32) {
        reserve(4)
        start &-= 4
        (buffer + start).storeBytes(of: v.littleEndian, as: UInt32.self)
    }

    @inline(__always) package mutating func writeRaw(_ raw: UnsafeRawBufferPointer) {
        let n = raw.count
        guard n > 0 else { return }
        reserve(n)
        start &-= n
        (buffer + start).copyMemory(from: raw.baseAddress!, byteCount: n)
    }

    // MARK: Fields. Each writes value first, then the tag (we are going backwards).

    /// Writes the length prefix and tag of a message whose body started at `mark` (`written` before it).
    @inline(__always) package mutating func closeMessage(tag: UInt32, mark: Int) {
        writeVarint(UInt64(written &- mark))
        writeTag(tag)
    }

    @inline(__always) package mutating func bytesField(_ tag: UInt32, _ s: ByteString) {
        guard s.count > 0 else { return }
        s.withUnsafeBytes { writeRaw($0) }
        writeVarint(UInt64(s.count))
        writeTag(tag)
    }

    /// Writes a Swift string as a string field (omitted when empty).
    @inline(__always) package mutating func stringField(_ tag: UInt32, _ s: String) {
        guard !s.isEmpty else { return }
        var s = s
        s.withUTF8 { writeRaw(UnsafeRawBufferPointer($0)) }
        writeVarint(UInt64(s.utf8.count))
        writeTag(tag)
    }

    /// Writes a string or bytes field even when empty (for oneof members, whose presence matters).
    @inline(__always) package mutating func bytesFieldAlways(_ tag: UInt32, _ s: ByteString) {
        s.withUnsafeBytes { writeRaw($0) }
        writeVarint(UInt64(s.count))
        writeTag(tag)
    }

    @inline(__always) package mutating func varintField(_ tag: UInt32, _ v: UInt64) {
        guard v != 0 else { return }
        writeVarint(v)
        writeTag(tag)
    }

    @inline(__always) package mutating func int32Field(_ tag: UInt32, _ v: Int32) {
        // int32 negatives are sign-extended to 10 bytes on the wire.
        varintField(tag, UInt64(bitPattern: Int64(v)))
    }

    @inline(__always) package mutating func sint32Field(_ tag: UInt32, _ v: Int32) {
        let z = UInt32(bitPattern: (v << 1) ^ (v >> 31))
        varintField(tag, UInt64(z))
    }

    @inline(__always) package mutating func fixed64Field(_ tag: UInt32, _ v: UInt64) {
        guard v != 0 else { return }
        writeFixed64(v)
        writeTag(tag)
    }

    @inline(__always) package mutating func fixed32Field(_ tag: UInt32, _ v: UInt32) {
        guard v != 0 else { return }
        writeFixed32(v)
        writeTag(tag)
    }

    @inline(__always) package mutating func doubleField(_ tag: UInt32, _ v: Double) {
        guard v.bitPattern != 0 else { return }
        writeFixed64(v.bitPattern)
        writeTag(tag)
    }

    @inline(__always) package mutating func optionalDoubleField(_ tag: UInt32, _ v: Double?) {
        guard let v else { return }
        writeFixed64(v.bitPattern)
        writeTag(tag)
    }

    package mutating func traceIDField(_ tag: UInt32, _ id: TraceID) {
        guard !id.isZero else { return }
        reserve(16)
        start &-= 16
        (buffer + start).storeBytes(of: id.high.bigEndian, as: UInt64.self)
        (buffer + start + 8).storeBytes(of: id.low.bigEndian, as: UInt64.self)
        writeVarint(16)
        writeTag(tag)
    }

    package mutating func spanIDField(_ tag: UInt32, _ id: SpanID) {
        guard !id.isZero else { return }
        reserve(8)
        start &-= 8
        (buffer + start).storeBytes(of: id.value.bigEndian, as: UInt64.self)
        writeVarint(8)
        writeTag(tag)
    }

    package mutating func packedFixed64Field(_ tag: UInt32, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        let mark = written
        for v in values.reversed() { writeFixed64(v) }
        closeMessage(tag: tag, mark: mark)
    }

    package mutating func packedDoubleField(_ tag: UInt32, _ values: [Double]) {
        guard !values.isEmpty else { return }
        let mark = written
        for v in values.reversed() { writeFixed64(v.bitPattern) }
        closeMessage(tag: tag, mark: mark)
    }

    package mutating func packedVarintField(_ tag: UInt32, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        let mark = written
        for v in values.reversed() { writeVarint(v) }
        closeMessage(tag: tag, mark: mark)
    }

    /// The bytes written, as an array.
    package func finish() -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: buffer + start, count: written))
    }

    /// Calls `body` with the bytes written; valid only inside `body`.
    package func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: buffer + start, count: written))
    }
}
