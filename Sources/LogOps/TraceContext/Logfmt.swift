import OTelModel

/// One `key=value` pair of a logfmt line; `value` is nil for a bare key.
public struct LogfmtPair: Sendable, Equatable {
    public var key: ByteString
    public var value: ByteString?

    public init(key: ByteString, value: ByteString?) {
        self.key = key
        self.value = value
    }
}

/// A lenient logfmt reader: `key=value key2="quoted \"value\"" bare_key`.
///
/// Pairs are separated by whitespace. A key is a run of bytes other than whitespace, `=` and `"`.
/// A quoted value ends at the next unescaped `"` (or at the end of the line) and understands
/// `\"`, `\\`, `\/`, `\n`, `\r`, `\t`, `\b`, `\f` and `\uXXXX`; other escapes are kept as written.
/// An unquoted value runs to the next whitespace. Stray bytes are skipped; nothing is rejected.
/// The line is copied once; keys and values are views into the copy.
public enum Logfmt {
    public static func parse(_ text: ByteString) -> [LogfmtPair] {
        text.withUnsafeBytes { parse($0) }
    }

    public static func parse(_ text: String) -> [LogfmtPair] { parse(ByteString(text)) }

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> [LogfmtPair] {
        let n = bytes.count
        guard n > 0 else { return [] }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 16)
        raw.copyMemory(from: bytes.baseAddress!, byteCount: n)
        let p = raw.bindMemory(to: UInt8.self, capacity: n)
        // Quoted values are unescaped in place before any view of them exists (see JSONCursor).
        let storage = ByteStorage(adopting: raw, count: n)
        var pairs: [LogfmtPair] = []
        var i = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while i < n {
            while i < n && isSpace(p[i]) { i += 1 }
            guard i < n else { break }
            let keyStart = i
            while i < n && !isSpace(p[i]) && p[i] != UInt8(ascii: "=") && p[i] != UInt8(ascii: "\"") { i += 1 }
            if i == keyStart {
                // '=' or '"' where a key should start: skip the garbage token.
                while i < n && !isSpace(p[i]) { i += 1 }
                continue
            }
            let key = ByteString(storage: storage, offset: keyStart, count: i - keyStart)
            guard i < n, p[i] == UInt8(ascii: "=") else {
                if i < n && p[i] == UInt8(ascii: "\"") {
                    while i < n && !isSpace(p[i]) { i += 1 }
                }
                pairs.append(LogfmtPair(key: key, value: nil))
                continue
            }
            i += 1
            if i < n && p[i] == UInt8(ascii: "\"") {
                i += 1
                let start = i
                var w = i
                while i < n && p[i] != UInt8(ascii: "\"") {
                    if p[i] == UInt8(ascii: "\\") && i + 1 < n {
                        w += unescape(p, &i, n, into: w)
                    } else {
                        p[w] = p[i]
                        w += 1
                        i += 1
                    }
                }
                if i < n { i += 1 }  // closing quote
                pairs.append(LogfmtPair(key: key, value: ByteString(storage: storage, offset: start, count: w - start)))
            } else {
                let start = i
                while i < n && !isSpace(p[i]) { i += 1 }
                pairs.append(LogfmtPair(key: key, value: ByteString(storage: storage, offset: start, count: i - start)))
            }
        }
        return pairs
    }

    /// Decodes the escape at `i` (a backslash) to `w`, advancing `i`; returns the bytes written,
    /// never more than were read.
    private static func unescape(_ p: UnsafeMutablePointer<UInt8>, _ i: inout Int, _ n: Int, into w: Int) -> Int {
        let e = p[i + 1]
        var byte: UInt8?
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte = e
        case UInt8(ascii: "n"): byte = 0x0A
        case UInt8(ascii: "r"): byte = 0x0D
        case UInt8(ascii: "t"): byte = 0x09
        case UInt8(ascii: "b"): byte = 0x08
        case UInt8(ascii: "f"): byte = 0x0C
        case UInt8(ascii: "u"):
            if i + 6 <= n {
                var v: UInt32 = 0
                var ok = true
                for k in 2..<6 {
                    let d = TraceContext.nibble(p[i + k])
                    if d == 0xFF { ok = false }
                    v = v << 4 | UInt32(d & 0x0F)
                }
                if ok {
                    if v & 0xF800 == 0xD800 { v = 0xFFFD }
                    i += 6
                    return JSONCursor.encodeUTF8(v, into: p + w)
                }
            }
        default:
            break
        }
        if let byte {
            p[w] = byte
            i += 2
            return 1
        }
        // Unknown escape: keep the backslash; the next byte is copied as it is.
        p[w] = p[i]
        i += 1
        return 1
    }
}
