// Typed scalar reads for proto3 JSON field values (otlp.md §5): every numeric field accepts a JSON
// number or a string holding one; `null` reads as the field's default.

extension JSONReader {
    /// A numeric field value before conversion.
    private enum NumericToken {
        case null
        case number(JSONNumber)
        case string(start: Int, count: Int, escaped: Bool)
    }

    private mutating func numericToken() throws(JSONDecodingError) -> NumericToken {
        switch peek() {
        case UInt8(ascii: "\""):
            let s = try scanString()
            return .string(start: s.start, count: s.count, escaped: s.escaped)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumberToken())
        default:
            throw error(pos < end ? "expected a number" : "unexpected end of input")
        }
    }

    /// Reads a bare JSON number at the cursor.
    mutating func readNumberToken() throws(JSONDecodingError) -> JSONNumber {
        guard let (n, next) = JSONNumber.parse(base, pos, end) else { throw error("invalid number") }
        pos = next
        return n
    }

    /// Calls `body` with the content of a scanned string, unescaped if needed.
    private func withStringBytes<R>(
        _ start: Int, _ count: Int, _ escaped: Bool,
        _ body: (UnsafePointer<UInt8>, Int) throws(JSONDecodingError) -> R
    ) throws(JSONDecodingError) -> R {
        guard escaped else { return try body(base + start, count) }
        let decoded = unescape(start: start, count: count)
        defer { withExtendedLifetime(decoded) {} }
        return try body(decoded.base.assumingMemoryBound(to: UInt8.self), decoded.count)
    }

    /// Parses a string's whole content as a JSON number.
    private func numberInString(_ p: UnsafePointer<UInt8>, _ count: Int, at offset: Int) throws(JSONDecodingError) -> JSONNumber {
        guard let (n, next) = JSONNumber.parse(p, 0, count), next == count else {
            throw error("string is not a number", at: offset)
        }
        return n
    }

    private mutating func readInteger() throws(JSONDecodingError) -> JSONNumber? {
        let at = pos
        switch try numericToken() {
        case .null: return nil
        case .number(let n): return n
        case .string(let start, let count, let escaped):
            return try withStringBytes(start, count, escaped) { (p, c) throws(JSONDecodingError) in
                try numberInString(p, c, at: at)
            }
        }
    }

    /// Reads a `uint64`/`fixed64` field.
    mutating func readUInt64() throws(JSONDecodingError) -> UInt64 {
        skipWhitespace()
        let at = pos
        guard let n = try readInteger() else { return 0 }
        guard let v = n.uint64 else { throw error("not an unsigned 64-bit integer", at: at) }
        return v
    }

    /// Reads an `int64`/`sfixed64` field.
    mutating func readInt64() throws(JSONDecodingError) -> Int64 {
        skipWhitespace()
        let at = pos
        guard let n = try readInteger() else { return 0 }
        guard let v = n.int64 else { throw error("not a signed 64-bit integer", at: at) }
        return v
    }

    /// Reads a `uint32`/`fixed32` field.
    mutating func readUInt32() throws(JSONDecodingError) -> UInt32 {
        skipWhitespace()
        let at = pos
        guard let n = try readInteger() else { return 0 }
        guard let v = n.uint64, v <= UInt64(UInt32.max) else { throw error("not an unsigned 32-bit integer", at: at) }
        return UInt32(v)
    }

    /// Reads an `int32`/`sint32` field.
    mutating func readInt32() throws(JSONDecodingError) -> Int32 {
        skipWhitespace()
        let at = pos
        guard let n = try readInteger() else { return 0 }
        guard let v = n.int64, let x = Int32(exactly: v) else { throw error("not a signed 32-bit integer", at: at) }
        return x
    }

    /// Reads an enum field: its number (as a JSON number or string) or, leniently, its value name
    /// (`names[i]` is the name of value `i`).
    mutating func readEnum(_ names: [StaticString]) throws(JSONDecodingError) -> Int32 {
        skipWhitespace()
        let at = pos
        guard peek() == UInt8(ascii: "\"") else { return try readInt32() }
        let s = try scanString()
        return try withStringBytes(s.start, s.count, s.escaped) { (p, c) throws(JSONDecodingError) in
            for (i, name) in names.enumerated() where bytesEqual(p, c, name) { return Int32(i) }
            guard c > 0, p[0] == UInt8(ascii: "-") || p[0] &- UInt8(ascii: "0") < 10 else {
                throw error("unknown enum value name", at: at)
            }
            let n = try numberInString(p, c, at: at)
            guard let v = n.int64, let x = Int32(exactly: v) else { throw error("not a signed 32-bit integer", at: at) }
            return x
        }
    }

    /// Reads a `double` field: a JSON number, or a string holding a number, `"NaN"`, `"Infinity"` or
    /// `"-Infinity"`.
    mutating func readDouble() throws(JSONDecodingError) -> Double {
        skipWhitespace()
        let at = pos
        switch try numericToken() {
        case .null: return 0
        case .number(let n):
            guard let d = n.double(text: base) else { throw error("number out of double range", at: at) }
            return d
        case .string(let start, let count, let escaped):
            return try withStringBytes(start, count, escaped) { (p, c) throws(JSONDecodingError) in
                if bytesEqual(p, c, "NaN") { return .nan }
                if bytesEqual(p, c, "Infinity") { return .infinity }
                if bytesEqual(p, c, "-Infinity") { return -.infinity }
                let n = try numberInString(p, c, at: at)
                guard let d = n.double(text: p) else { throw error("number out of double range", at: at) }
                return d
            }
        }
    }

    /// Reads a `bool` field (`true`, `false` or `null`).
    mutating func readBool() throws(JSONDecodingError) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return false
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return false
        default:
            throw error(pos < end ? "expected true or false" : "unexpected end of input")
        }
    }

    /// Reads a trace id written as 32 hex digits (any case); `""` and `null` read as zero.
    mutating func readTraceID() throws(JSONDecodingError) -> TraceID {
        if try consumeNull() { return .zero }
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a hex trace id string") }
        let at = pos
        let s = try scanString()
        return try withStringBytes(s.start, s.count, s.escaped) { (p, c) throws(JSONDecodingError) in
            if c == 0 { return .zero }
            guard c == 32, let high = parseHex16(p), let low = parseHex16(p + 16) else {
                throw error("trace id must be 32 hex digits", at: at)
            }
            return TraceID(high: high, low: low)
        }
    }

    /// Reads a span id written as 16 hex digits (any case); `""` and `null` read as zero.
    mutating func readSpanID() throws(JSONDecodingError) -> SpanID {
        if try consumeNull() { return .zero }
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a hex span id string") }
        let at = pos
        let s = try scanString()
        return try withStringBytes(s.start, s.count, s.escaped) { (p, c) throws(JSONDecodingError) in
            if c == 0 { return .zero }
            guard c == 16, let v = parseHex16(p) else { throw error("span id must be 16 hex digits", at: at) }
            return SpanID(v)
        }
    }

    /// Reads a `bytes` field written as base64 (standard or URL-safe alphabet, padding optional).
    mutating func readBase64() throws(JSONDecodingError) -> ByteString {
        if try consumeNull() { return .empty }
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a base64 string") }
        let at = pos
        let s = try scanString()
        return try withStringBytes(s.start, s.count, s.escaped) { (p, c) throws(JSONDecodingError) in
            guard let bytes = Base64Codec.decode(p, c) else { throw error("invalid base64", at: at) }
            return bytes
        }
    }
}

@inline(__always) private func bytesEqual(_ p: UnsafePointer<UInt8>, _ count: Int, _ s: StaticString) -> Bool {
    guard count == s.utf8CodeUnitCount else { return false }
    for i in 0..<count where p[i] != s.utf8Start[i] { return false }
    return true
}

/// Parses 16 hex digits (any case) at `p`.
@inline(__always) private func parseHex16(_ p: UnsafePointer<UInt8>) -> UInt64? {
    var v: UInt64 = 0
    for i in 0..<16 {
        guard let n = hexNibble(p[i]) else { return nil }
        v = v << 4 | UInt64(n)
    }
    return v
}
