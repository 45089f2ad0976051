/// Writes compact OTLP/JSON into one growing buffer, front to back.
///
/// Values are written the proto3 JSON way (otlp.md §5): 64-bit integers as decimal strings, ids as
/// lowercase hex, other bytes as padded standard base64, doubles as shortest round-trip numbers with
/// `"NaN"`/`"Infinity"`/`"-Infinity"` strings, strings escaped with invalid UTF-8 replaced by U+FFFD.
/// The `…Field` methods omit default values; the bare value methods always write.
struct JSONWriter: ~Copyable {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    /// A value was just written, so the next key or array element needs a comma.
    private var needsComma = false

    init(capacity: Int = 4096) {
        let c = Swift.max(capacity, 64)
        buffer = .allocate(capacity: c)
        self.capacity = c
    }

    deinit { buffer.deallocate() }

    /// The bytes written, as an array.
    func finish() -> [UInt8] { Array(UnsafeBufferPointer(start: buffer, count: count)) }

    // MARK: Raw output

    @inline(__always) private mutating func reserve(_ n: Int) {
        if capacity &- count < n { grow(n) }
    }

    private mutating func grow(_ n: Int) {
        var newCapacity = capacity * 2
        while newCapacity - count < n { newCapacity *= 2 }
        let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBuffer.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
    }

    /// Appends one byte; room must have been reserved.
    @inline(__always) private mutating func put(_ b: UInt8) {
        buffer[count] = b
        count &+= 1
    }

    @inline(__always) private mutating func put(_ p: UnsafePointer<UInt8>, _ n: Int) {
        (buffer + count).update(from: p, count: n)
        count &+= n
    }

    /// Reserves room for `n` bytes plus a separating comma, and writes the comma when one is due.
    @inline(__always) private mutating func beginValue(_ n: Int) {
        reserve(n &+ 1)
        if needsComma { put(UInt8(ascii: ",")) }
        needsComma = true
    }

    // MARK: Structure

    /// Writes `"name":`.
    @inline(__always) mutating func key(_ name: StaticString) {
        let n = name.utf8CodeUnitCount
        beginValue(n &+ 3)
        put(UInt8(ascii: "\""))
        put(name.utf8Start, n)
        put(UInt8(ascii: "\""))
        put(UInt8(ascii: ":"))
        needsComma = false
    }

    @inline(__always) mutating func beginObject() {
        beginValue(1)
        put(UInt8(ascii: "{"))
        needsComma = false
    }

    @inline(__always) mutating func endObject() {
        reserve(1)
        put(UInt8(ascii: "}"))
        needsComma = true
    }

    @inline(__always) mutating func beginArray() {
        beginValue(1)
        put(UInt8(ascii: "["))
        needsComma = false
    }

    @inline(__always) mutating func endArray() {
        reserve(1)
        put(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `{}` (a present message with no fields set).
    mutating func emptyObject() {
        beginValue(2)
        put(UInt8(ascii: "{"))
        put(UInt8(ascii: "}"))
    }

    // MARK: Values

    mutating func bool(_ v: Bool) {
        if v {
            beginValue(4)
            put(("true" as StaticString).utf8Start, 4)
        } else {
            beginValue(5)
            put(("false" as StaticString).utf8Start, 5)
        }
    }

    /// Writes an unsigned integer as a JSON number.
    mutating func number(_ v: UInt64) {
        beginValue(20)
        putDecimal(v)
    }

    /// Writes a signed integer as a JSON number.
    mutating func number(_ v: Int64) {
        beginValue(21)
        if v < 0 { put(UInt8(ascii: "-")) }
        putDecimal(v.magnitude)
    }

    /// Writes a 64-bit unsigned integer as a decimal string.
    mutating func decimalString(_ v: UInt64) {
        beginValue(22)
        put(UInt8(ascii: "\""))
        putDecimal(v)
        put(UInt8(ascii: "\""))
    }

    /// Writes a 64-bit signed integer as a decimal string.
    mutating func decimalString(_ v: Int64) {
        beginValue(23)
        put(UInt8(ascii: "\""))
        if v < 0 { put(UInt8(ascii: "-")) }
        putDecimal(v.magnitude)
        put(UInt8(ascii: "\""))
    }

    @inline(__always) private mutating func putDecimal(_ value: UInt64) {
        if value < 10 {
            put(UInt8(truncatingIfNeeded: value) &+ UInt8(ascii: "0"))
            return
        }
        var digits = 0
        var v = value
        while v > 0 {
            digits &+= 1
            v /= 10
        }
        v = value
        var i = count &+ digits
        while v > 0 {
            i &-= 1
            buffer[i] = UInt8(truncatingIfNeeded: v % 10) &+ UInt8(ascii: "0")
            v /= 10
        }
        count &+= digits
    }

    /// Writes a double: the shortest text that reads back to the same value, or a string for
    /// NaN and the infinities.
    mutating func number(_ d: Double) {
        if d.isFinite {
            var text = d.description
            text.withUTF8 { utf8 in
                beginValue(utf8.count)
                if let p = utf8.baseAddress { put(p, utf8.count) }
            }
        } else {
            let text: StaticString = d.isNaN ? "\"NaN\"" : (d < 0 ? "\"-Infinity\"" : "\"Infinity\"")
            beginValue(text.utf8CodeUnitCount)
            put(text.utf8Start, text.utf8CodeUnitCount)
        }
    }

    mutating func traceID(_ id: TraceID) {
        beginValue(34)
        put(UInt8(ascii: "\""))
        putHex(id.high)
        putHex(id.low)
        put(UInt8(ascii: "\""))
    }

    mutating func spanID(_ id: SpanID) {
        beginValue(18)
        put(UInt8(ascii: "\""))
        putHex(id.value)
        put(UInt8(ascii: "\""))
    }

    @inline(__always) private mutating func putHex(_ v: UInt64) {
        for i in 0..<16 {
            let nibble = UInt8(truncatingIfNeeded: v >> UInt64(60 &- 4 &* i)) & 0xF
            buffer[count &+ i] = nibble < 10 ? nibble &+ UInt8(ascii: "0") : nibble &+ (UInt8(ascii: "a") &- 10)
        }
        count &+= 16
    }

    /// Writes bytes as a padded standard base64 string.
    mutating func base64(_ bytes: ByteString) {
        let n = Base64Codec.encodedCount(bytes.count)
        beginValue(n &+ 2)
        put(UInt8(ascii: "\""))
        bytes.withUnsafeBytes { Base64Codec.encode($0, into: buffer + count) }
        count &+= n
        put(UInt8(ascii: "\""))
    }

    /// Writes a string, escaping `"`, `\` and control characters and replacing each invalid UTF-8
    /// sequence with U+FFFD.
    mutating func string(_ s: ByteString) {
        beginValue(s.count &+ 2)
        put(UInt8(ascii: "\""))
        // Reads through the storage directly: `withUnsafeBytes` would retain it for every string.
        if let storage = s.storage {
            putEscaped(storage.base.assumingMemoryBound(to: UInt8.self) + Int(s.offset), s.count)
            withExtendedLifetime(s) {}
        }
        reserve(1)
        put(UInt8(ascii: "\""))
    }

    private mutating func putEscaped(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0
        var run = 0
        while i < n {
            // Skip plain ASCII eight bytes at a time, landing on the first byte that needs a look.
            if n &- i >= 8 {
                let special = swarSpecialBytes(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self).littleEndian)
                if special == 0 {
                    i &+= 8
                    continue
                }
                i &+= special.trailingZeroBitCount >> 3
            }
            let b = p[i]
            if b >= 0x20 && b < 0x80 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i &+= 1
                continue
            }
            if b >= 0x80 {
                let (length, valid) = utf8ValidPrefix(p, i, n)
                if valid {
                    i &+= length
                    continue
                }
                flush(p, run, i)
                reserve(3)
                put(0xEF)
                put(0xBF)
                put(0xBD)
                i &+= length
                run = i
                continue
            }
            flush(p, run, i)
            reserve(6)
            put(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): put(b)
            case 0x08: put(UInt8(ascii: "b"))
            case 0x0C: put(UInt8(ascii: "f"))
            case 0x0A: put(UInt8(ascii: "n"))
            case 0x0D: put(UInt8(ascii: "r"))
            case 0x09: put(UInt8(ascii: "t"))
            default:
                put(UInt8(ascii: "u"))
                put(UInt8(ascii: "0"))
                put(UInt8(ascii: "0"))
                put(b >> 4 &+ UInt8(ascii: "0"))
                let low = b & 0xF
                put(low < 10 ? low &+ UInt8(ascii: "0") : low &+ (UInt8(ascii: "a") &- 10))
            }
            i &+= 1
            run = i
        }
        flush(p, run, n)
    }

    @inline(__always) private mutating func flush(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) {
        let n = to &- from
        guard n > 0 else { return }
        reserve(n)
        put(p + from, n)
    }

    // MARK: Fields that omit their default value

    /// Writes `"name":[…]`, one element per `encode` call, unless `list` is empty. Walks the array's
    /// buffer so elements are not copied out first (a `for` loop retains every field of each element).
    @inline(__always)
    mutating func arrayField<Element>(_ name: StaticString, _ list: [Element], _ encode: (borrowing Element, inout JSONWriter) -> Void) {
        guard !list.isEmpty else { return }
        key(name)
        array(list, encode)
    }

    /// Writes `[…]`, one element per `encode` call.
    @inline(__always)
    mutating func array<Element>(_ list: [Element], _ encode: (borrowing Element, inout JSONWriter) -> Void) {
        beginArray()
        list.withUnsafeBufferPointer { elements in
            for i in elements.indices { encode(elements[i], &self) }
        }
        endArray()
    }

    @inline(__always) mutating func stringField(_ name: StaticString, _ s: ByteString) {
        guard !s.isEmpty else { return }
        key(name)
        string(s)
    }

    @inline(__always) mutating func uint32Field(_ name: StaticString, _ v: UInt32) {
        guard v != 0 else { return }
        key(name)
        number(UInt64(v))
    }

    @inline(__always) mutating func int32Field(_ name: StaticString, _ v: Int32) {
        guard v != 0 else { return }
        key(name)
        number(Int64(v))
    }

    /// A `fixed64`/`uint64` field, as a decimal string.
    @inline(__always) mutating func uint64Field(_ name: StaticString, _ v: UInt64) {
        guard v != 0 else { return }
        key(name)
        decimalString(v)
    }

    @inline(__always) mutating func boolField(_ name: StaticString, _ v: Bool) {
        guard v else { return }
        key(name)
        bool(true)
    }

    /// A plain `double` field; omitted when it is +0.0 (like proto3, -0.0 is written).
    @inline(__always) mutating func doubleField(_ name: StaticString, _ v: Double) {
        guard v.bitPattern != 0 else { return }
        key(name)
        number(v)
    }

    /// An `optional double` field: written whenever it is set.
    @inline(__always) mutating func optionalDoubleField(_ name: StaticString, _ v: Double?) {
        guard let v else { return }
        key(name)
        number(v)
    }

    @inline(__always) mutating func traceIDField(_ name: StaticString, _ id: TraceID) {
        guard !id.isZero else { return }
        key(name)
        traceID(id)
    }

    @inline(__always) mutating func spanIDField(_ name: StaticString, _ id: SpanID) {
        guard !id.isZero else { return }
        key(name)
        spanID(id)
    }
}
