import OTelModel

extension JSONCursor {
    /// Reads the string whose opening quote is at `pos` and leaves `pos` after the closing quote.
    mutating func readString() throws(JSONParseError) -> ByteString {
        let start = pos &+ 1
        var i = start
        var escaped = false
        var invalidUTF8 = false
        while true {
            i = plainRun(from: i)
            let b = p[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                escaped = true
                i &+= 2  // the escaped byte can be a quote; it is checked when unescaping
            } else if b >= 0x80 {
                let n = validUTF8Length(at: i)
                if n == 0 {
                    invalidUTF8 = true
                    i &+= 1
                } else {
                    i &+= n
                }
            } else if i >= end {
                throw error("unterminated string", at: start &- 1)
            } else {
                throw error("unescaped control character in a string", at: i)
            }
        }
        pos = i &+ 1
        if invalidUTF8 {
            return try decodeRepairing(start, i)
        }
        if escaped {
            let count = try unescapeInPlace(start, i)
            return rewritten(start, count)
        }
        return view(start, i &- start)
    }

    /// The index of the first byte at or after `i` that is a quote, a backslash, below 0x20 or
    /// above 0x7F, found eight bytes at a time. The zero padding stops it at the end of the input.
    @inline(__always) func plainRun(from start: Int) -> Int {
        var i = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while true {
            let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            let quote = w ^ (ones &* 0x22)
            let backslash = w ^ (ones &* 0x5C)
            // The usual "has a zero byte" tests; the lowest flagged byte is always exact.
            let special = (quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (w &- ones &* 0x20) & ~w | w
            let mask = special & highs
            if mask != 0 { return i &+ (mask.trailingZeroBitCount >> 3) }
            i &+= 8
        }
    }

    /// The length of the valid UTF-8 sequence starting at `i` (a byte ≥ 0x80), or 0 when it is not
    /// one (stray continuation byte, overlong form, surrogate, above U+10FFFF, or cut short).
    /// Look-ahead stops at the zero padding, which is never a continuation byte.
    @inline(__always) func validUTF8Length(at i: Int) -> Int {
        let b = p[i]
        @inline(__always) func cont(_ c: UInt8) -> Bool { c & 0xC0 == 0x80 }
        if b < 0xC2 { return 0 }
        let c1 = p[i &+ 1]
        if b < 0xE0 { return cont(c1) ? 2 : 0 }
        if b < 0xF0 {
            guard cont(c1), cont(p[i &+ 2]) else { return 0 }
            if b == 0xE0 && c1 < 0xA0 { return 0 }
            if b == 0xED && c1 >= 0xA0 { return 0 }
            return 3
        }
        if b < 0xF5 {
            guard cont(c1), cont(p[i &+ 2]), cont(p[i &+ 3]) else { return 0 }
            if b == 0xF0 && c1 < 0x90 { return 0 }
            if b == 0xF4 && c1 >= 0x90 { return 0 }
            return 4
        }
        return 0
    }

    /// The value of four hex digits at `i`, or nil.
    @inline(__always) func hex4(at i: Int) -> UInt32? {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[i &+ k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Decodes the escape whose backslash is at `r - 1`, advancing `r` past it. Returns a Unicode
    /// scalar value; lone surrogates decode as U+FFFD.
    @inline(__always) func escapeScalar(_ r: inout Int, stop: Int) throws(JSONParseError) -> UInt32 {
        let e = p[r]
        r &+= 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return UInt32(e)
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"):
            guard r &+ 4 <= stop, let u = hex4(at: r) else { throw error("invalid \\u escape", at: r &- 2) }
            r &+= 4
            if u & 0xFC00 == 0xD800 {
                if r &+ 6 <= stop, p[r] == UInt8(ascii: "\\"), p[r &+ 1] == UInt8(ascii: "u"),
                    let low = hex4(at: r &+ 2), low & 0xFC00 == 0xDC00
                {
                    r &+= 6
                    return 0x10000 &+ ((u &- 0xD800) << 10) &+ (low &- 0xDC00)
                }
                return 0xFFFD
            }
            if u & 0xFC00 == 0xDC00 { return 0xFFFD }
            return u
        default:
            throw error("invalid escape", at: r &- 2)
        }
    }

    /// Rewrites the escaped string in `start..<stop` in place and returns its new length.
    mutating func unescapeInPlace(_ start: Int, _ stop: Int) throws(JSONParseError) -> Int {
        var r = start
        var w = start
        while r < stop {
            let b = p[r]
            if b != UInt8(ascii: "\\") {
                p[w] = b
                r &+= 1
                w &+= 1
                continue
            }
            r &+= 1
            let scalar = try escapeScalar(&r, stop: stop)
            w &+= Self.encodeUTF8(scalar, into: p + w)
        }
        return w &- start
    }

    /// Decodes a string holding invalid UTF-8 (and maybe escapes) into new storage, each invalid
    /// byte becoming U+FFFD.
    func decodeRepairing(_ start: Int, _ stop: Int) throws(JSONParseError) -> ByteString {
        var out: [UInt8] = []
        out.reserveCapacity((stop &- start) &* 3)
        var scratch: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var r = start
        while r < stop {
            let b = p[r]
            if b == UInt8(ascii: "\\") {
                r &+= 1
                let scalar = try escapeScalar(&r, stop: stop)
                let n = withUnsafeMutableBytes(of: &scratch) { Self.encodeUTF8(scalar, into: $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
                withUnsafeBytes(of: scratch) { out.append(contentsOf: $0.prefix(n)) }
            } else if b < 0x80 {
                out.append(b)
                r &+= 1
            } else {
                let n = validUTF8Length(at: r)
                if n == 0 || r &+ n > stop {
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    r &+= 1
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(start: p + r, count: n))
                    r &+= n
                }
            }
        }
        return ByteString(bytes: out)
    }

    /// Writes the UTF-8 form of `scalar` at `q` and returns its length (1–4).
    @inline(__always) static func encodeUTF8(_ scalar: UInt32, into q: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            q[0] = UInt8(truncatingIfNeeded: scalar)
            return 1
        case 0x80..<0x800:
            q[0] = 0xC0 | UInt8(truncatingIfNeeded: scalar >> 6)
            q[1] = 0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            q[0] = 0xE0 | UInt8(truncatingIfNeeded: scalar >> 12)
            q[1] = 0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F)
            q[2] = 0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F)
            return 3
        default:
            q[0] = 0xF0 | UInt8(truncatingIfNeeded: scalar >> 18)
            q[1] = 0x80 | UInt8(truncatingIfNeeded: (scalar >> 12) & 0x3F)
            q[2] = 0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F)
            q[3] = 0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F)
            return 4
        }
    }
}
