/// A forward cursor over an OTLP/JSON document inside a ``ByteStorage``.
///
/// A pull parser for strict RFC 8259 JSON: objects are walked with ``readObject(_:)`` and arrays with
/// ``readArray(_:)``; scalars are read by the expected field type (see `JSONReader+Scalars.swift`).
/// Strings without escapes come out as ``ByteString`` views into the storage. Nesting is bounded by
/// ``maxDepth`` so hostile input cannot exhaust the stack; every read checks bounds.
struct JSONReader {
    let storage: ByteStorage
    let base: UnsafePointer<UInt8>
    var pos: Int
    let end: Int
    /// Objects and arrays currently open.
    var depth: Int
    /// Owns the unescaped bytes of the current key when it contained escapes.
    private var escapedKey: ByteStorage?

    /// Deepest nesting of objects and arrays accepted.
    static let maxDepth = 64

    init(storage: ByteStorage) {
        self.storage = storage
        base = storage.base.assumingMemoryBound(to: UInt8.self)
        pos = 0
        end = storage.count
        depth = 0
        escapedKey = nil
    }

    func error(_ reason: String) -> JSONDecodingError { JSONDecodingError(reason: reason, offset: pos) }
    func error(_ reason: String, at offset: Int) -> JSONDecodingError { JSONDecodingError(reason: reason, offset: offset) }

    // MARK: Structure

    @inline(__always) mutating func skipWhitespace() {
        while pos < end {
            let b = base[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos &+= 1
        }
    }

    /// The next significant byte, not consumed; 0 at the end of the input.
    @inline(__always) mutating func peek() -> UInt8 {
        skipWhitespace()
        return pos < end ? base[pos] : 0
    }

    /// Reads the whole document: one object, then only whitespace. A UTF-8 byte order mark is skipped.
    mutating func readDocument(_ body: (inout JSONReader, JSONKey) throws(JSONDecodingError) -> Void) throws(JSONDecodingError) {
        if end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { pos = 3 }
        try readObject(body)
        guard peek() == 0, pos == end else { throw error("unexpected data after the top-level object") }
    }

    @inline(__always) private mutating func open() throws(JSONDecodingError) {
        guard depth < Self.maxDepth else { throw error("objects and arrays nested deeper than \(Self.maxDepth)") }
        depth &+= 1
        pos &+= 1
    }

    /// Reads an object, calling `body` for each member with the reader placed on the member's value;
    /// `body` must consume that value (``skipValue()`` for unknown keys). `null` is not accepted here:
    /// callers that allow it check ``consumeNull()`` first.
    @inline(__always)
    mutating func readObject(_ body: (inout JSONReader, JSONKey) throws(JSONDecodingError) -> Void) throws(JSONDecodingError) {
        guard peek() == UInt8(ascii: "{") else { throw error(pos < end ? "expected an object" : "unexpected end of input") }
        try open()
        if peek() == UInt8(ascii: "}") {
            pos &+= 1
            depth &-= 1
            return
        }
        while true {
            let key = try readKey()
            try body(&self, key)
            switch peek() {
            case UInt8(ascii: ","): pos &+= 1
            case UInt8(ascii: "}"):
                pos &+= 1
                depth &-= 1
                return
            default: throw error(pos < end ? "expected ',' or '}' in an object" : "unexpected end of input in an object")
            }
        }
    }

    /// Reads an array, calling `body` once per element with the reader placed on it. `null` reads as
    /// an empty array.
    @inline(__always)
    mutating func readArray(_ body: (inout JSONReader) throws(JSONDecodingError) -> Void) throws(JSONDecodingError) {
        let c = peek()
        if c == UInt8(ascii: "n") {
            try expectLiteral("null")
            return
        }
        guard c == UInt8(ascii: "[") else { throw error(pos < end ? "expected an array" : "unexpected end of input") }
        try open()
        if peek() == UInt8(ascii: "]") {
            pos &+= 1
            depth &-= 1
            return
        }
        while true {
            try body(&self)
            switch peek() {
            case UInt8(ascii: ","): pos &+= 1
            case UInt8(ascii: "]"):
                pos &+= 1
                depth &-= 1
                return
            default: throw error(pos < end ? "expected ',' or ']' in an array" : "unexpected end of input in an array")
            }
        }
    }

    private mutating func readKey() throws(JSONDecodingError) -> JSONKey {
        guard peek() == UInt8(ascii: "\"") else { throw error(pos < end ? "expected a quoted object key" : "unexpected end of input in an object") }
        let s = try scanString()
        let key: JSONKey
        if s.escaped {
            let decoded = unescape(start: s.start, count: s.count)
            escapedKey = decoded
            key = JSONKey(base: decoded.base.assumingMemoryBound(to: UInt8.self), count: decoded.count)
        } else {
            key = JSONKey(base: base + s.start, count: s.count)
        }
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after an object key") }
        pos &+= 1
        return key
    }

    /// Consumes `null` when it is the next value.
    @inline(__always) mutating func consumeNull() throws(JSONDecodingError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONDecodingError) {
        let n = word.utf8CodeUnitCount
        guard end &- pos >= n else { throw error("invalid literal") }
        for i in 0..<n where base[pos &+ i] != word.utf8Start[i] { throw error("invalid literal") }
        pos &+= n
    }

    /// Skips one value of any type (the value of an unknown key), validating it.
    mutating func skipValue() throws(JSONDecodingError) {
        switch peek() {
        case UInt8(ascii: "{"): try readObject { (r, _) throws(JSONDecodingError) in try r.skipValue() }
        case UInt8(ascii: "["): try readArray { (r) throws(JSONDecodingError) in try r.skipValue() }
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try readNumberToken()
        default: throw error(pos < end ? "expected a value" : "unexpected end of input")
        }
    }

    // MARK: Strings

    /// Validates the string starting at the `"` under the cursor and moves past it. Returns where its
    /// content lies and whether it has escapes. Rejects raw control characters and invalid UTF-8.
    mutating func scanString() throws(JSONDecodingError) -> (start: Int, count: Int, escaped: Bool) {
        let start = pos &+ 1
        var p = start
        var escaped = false
        while true {
            // Eight bytes at a time: jump to the first quote, backslash, control or non-ASCII byte.
            if end &- p >= 8 {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
                let special = swarSpecialBytes(w)
                if special == 0 {
                    p &+= 8
                    continue
                }
                p &+= special.trailingZeroBitCount >> 3
            }
            guard p < end else { throw error("unterminated string", at: start &- 1) }
            let b = base[p]
            if b == UInt8(ascii: "\"") {
                pos = p &+ 1
                return (start, p &- start, escaped)
            } else if b == UInt8(ascii: "\\") {
                escaped = true
                p = try validateEscape(at: p)
            } else if b < 0x20 {
                throw error("unescaped control character in a string", at: p)
            } else if b < 0x80 {
                p &+= 1
            } else {
                let n = utf8SequenceLength(base, p, end)
                guard n > 0 else { throw error("invalid UTF-8 in a string", at: p) }
                p &+= n
            }
        }
    }

    private func validateEscape(at p: Int) throws(JSONDecodingError) -> Int {
        guard p &+ 1 < end else { throw error("unterminated string", at: p) }
        switch base[p &+ 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return p &+ 2
        case UInt8(ascii: "u"):
            guard end &- p >= 6, hex4(at: p &+ 2) != nil else { throw error("invalid \\u escape", at: p) }
            return p &+ 6
        default:
            throw error("invalid escape sequence", at: p)
        }
    }

    @inline(__always) private func hex4(at p: Int) -> UInt32? {
        var v: UInt32 = 0
        for i in 0..<4 {
            guard let n = hexNibble(base[p &+ i]) else { return nil }
            v = v << 4 | UInt32(n)
        }
        return v
    }

    /// Decodes a string already validated by ``scanString()`` that contains escapes into new storage.
    /// Unpaired surrogates become U+FFFD.
    func unescape(start: Int, count: Int) -> ByteStorage {
        // Every escape is at least as long as the UTF-8 it stands for, so `count` bytes suffice.
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(count, 1))
        var n = 0
        var p = start
        let stop = start &+ count
        while p < stop {
            let b = base[p]
            guard b == UInt8(ascii: "\\") else {
                out[n] = b
                n &+= 1
                p &+= 1
                continue
            }
            let c = base[p &+ 1]
            p &+= 2
            switch c {
            case UInt8(ascii: "b"): out[n] = 0x08
            case UInt8(ascii: "f"): out[n] = 0x0C
            case UInt8(ascii: "n"): out[n] = 0x0A
            case UInt8(ascii: "r"): out[n] = 0x0D
            case UInt8(ascii: "t"): out[n] = 0x09
            case UInt8(ascii: "u"):
                var scalar = hex4(at: p) ?? 0xFFFD
                p &+= 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    if stop &- p >= 6, base[p] == UInt8(ascii: "\\"), base[p &+ 1] == UInt8(ascii: "u"),
                       let low = hex4(at: p &+ 2), low >= 0xDC00, low < 0xE000 {
                        scalar = 0x10000 &+ ((scalar &- 0xD800) << 10) &+ (low &- 0xDC00)
                        p &+= 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                n = writeUTF8(scalar, to: out, at: n)
                continue
            default: out[n] = c  // `"`, `\` and `/` stand for themselves
            }
            n &+= 1
        }
        return ByteStorage(adopting: UnsafeMutableRawPointer(out), count: n)
    }

    /// Reads a string value; `null` reads as empty.
    mutating func readString() throws(JSONDecodingError) -> ByteString {
        let c = peek()
        guard c == UInt8(ascii: "\"") else {
            if c == UInt8(ascii: "n") {
                try expectLiteral("null")
                return .empty
            }
            throw error(pos < end ? "expected a string" : "unexpected end of input")
        }
        let s = try scanString()
        if s.escaped {
            let decoded = unescape(start: s.start, count: s.count)
            return ByteString(storage: decoded, offset: 0, count: decoded.count)
        }
        return ByteString(storage: storage, offset: s.start, count: s.count)
    }
}

/// Writes `scalar` as UTF-8 at `out + n` and returns the new length.
@inline(__always)
private func writeUTF8(_ scalar: UInt32, to out: UnsafeMutablePointer<UInt8>, at n: Int) -> Int {
    switch scalar {
    case 0..<0x80:
        out[n] = UInt8(truncatingIfNeeded: scalar)
        return n &+ 1
    case 0x80..<0x800:
        out[n] = 0xC0 | UInt8(truncatingIfNeeded: scalar >> 6)
        out[n &+ 1] = 0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F)
        return n &+ 2
    case 0x800..<0x10000:
        out[n] = 0xE0 | UInt8(truncatingIfNeeded: scalar >> 12)
        out[n &+ 1] = 0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F)
        out[n &+ 2] = 0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F)
        return n &+ 3
    default:
        out[n] = 0xF0 | UInt8(truncatingIfNeeded: scalar >> 18)
        out[n &+ 1] = 0x80 | UInt8(truncatingIfNeeded: (scalar >> 12) & 0x3F)
        out[n &+ 2] = 0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F)
        out[n &+ 3] = 0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F)
        return n &+ 4
    }
}

/// Marks (high bit set) the bytes of `w` that are `"`, `\`, below 0x20 or above 0x7F. Bytes above
/// the first marked one may be marked spuriously; the lowest mark is exact.
@inline(__always) func swarSpecialBytes(_ w: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = w ^ (ones &* 0x22)
    let backslash = w ^ (ones &* 0x5C)
    let isQuote = (quote &- ones) & ~quote
    let isBackslash = (backslash &- ones) & ~backslash
    let isControl = w &- ones &* 0x20
    return (isQuote | isBackslash | isControl | w) & highs
}

/// The length of the valid UTF-8 sequence starting at `p[i]` (i < end), or 0 when it is invalid.
/// Rejects overlong forms, surrogates and code points above U+10FFFF (Unicode 15, table 3-7).
@inline(__always)
func utf8SequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
    let n = utf8ValidPrefix(p, i, end)
    return n.valid ? n.length : 0
}

/// Checks the UTF-8 sequence at `p[i]`: when valid, its length; when not, the length of its maximal
/// invalid prefix (at least 1), which is what one U+FFFD replaces.
func utf8ValidPrefix(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (length: Int, valid: Bool) {
    let b0 = p[i]
    if b0 < 0x80 { return (1, true) }
    guard b0 >= 0xC2 && b0 <= 0xF4 else { return (1, false) }
    let trailing = b0 < 0xE0 ? 1 : (b0 < 0xF0 ? 2 : 3)
    var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
    switch b0 {
    case 0xE0: lo = 0xA0
    case 0xED: hi = 0x9F
    case 0xF0: lo = 0x90
    case 0xF4: hi = 0x8F
    default: break
    }
    guard i &+ 1 < end, p[i &+ 1] >= lo, p[i &+ 1] <= hi else { return (1, false) }
    var k = 2
    while k <= trailing {
        guard i &+ k < end, p[i &+ k] & 0xC0 == 0x80 else { return (k, false) }
        k &+= 1
    }
    return (trailing &+ 1, true)
}
