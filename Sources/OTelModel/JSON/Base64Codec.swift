/// Base64 for OTLP/JSON `bytes` fields (RFC 4648): proto3 JSON writes the standard alphabet with
/// padding and reads both the standard and the URL-safe alphabets, padded or not.
enum Base64Codec {
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    @inline(__always) private static func value(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(c &- UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(c &- UInt8(ascii: "a") &+ 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c &- UInt8(ascii: "0") &+ 52)
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// Decodes `count` base64 characters at `p` into new storage; nil when they are not base64.
    static func decode(_ p: UnsafePointer<UInt8>, _ count: Int) -> ByteString? {
        var n = count
        var padding = 0
        while n > 0 && padding < 2 && p[n &- 1] == UInt8(ascii: "=") {
            n &-= 1
            padding &+= 1
        }
        let tail = n % 4
        guard tail != 1, padding == 0 || (n &+ padding) % 4 == 0 else { return nil }
        let outCount = n / 4 * 3 + (tail == 0 ? 0 : tail &- 1)
        if outCount == 0 { return n == 0 ? .empty : nil }
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: outCount)
        var i = 0, o = 0
        while i < n {
            let chunk = Swift.min(4, n &- i)
            var bits: UInt32 = 0
            for k in 0..<4 {
                var v: UInt32 = 0
                if k < chunk {
                    guard let x = value(p[i &+ k]) else {
                        out.deallocate()
                        return nil
                    }
                    v = x
                }
                bits = bits << 6 | v
            }
            out[o] = UInt8(truncatingIfNeeded: bits >> 16)
            if chunk > 2 { out[o &+ 1] = UInt8(truncatingIfNeeded: bits >> 8) }
            if chunk > 3 { out[o &+ 2] = UInt8(truncatingIfNeeded: bits) }
            o &+= chunk &- 1
            i &+= chunk
        }
        let storage = ByteStorage(adopting: UnsafeMutableRawPointer(out), count: outCount)
        return ByteString(storage: storage, offset: 0, count: outCount)
    }

    /// The length of the padded base64 text for `count` bytes.
    static func encodedCount(_ count: Int) -> Int { (count &+ 2) / 3 &* 4 }

    /// Writes the padded standard base64 of `bytes` at `out`, which has room for ``encodedCount(_:)``.
    static func encode(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        let table = alphabet.utf8Start
        let n = bytes.count
        var i = 0, o = 0
        while i < n {
            let b0 = UInt32(bytes[i])
            let b1 = i &+ 1 < n ? UInt32(bytes[i &+ 1]) : 0
            let b2 = i &+ 2 < n ? UInt32(bytes[i &+ 2]) : 0
            let bits = b0 << 16 | b1 << 8 | b2
            out[o] = table[Int(bits >> 18)]
            out[o &+ 1] = table[Int(bits >> 12 & 0x3F)]
            out[o &+ 2] = i &+ 1 < n ? table[Int(bits >> 6 & 0x3F)] : UInt8(ascii: "=")
            out[o &+ 3] = i &+ 2 < n ? table[Int(bits & 0x3F)] : UInt8(ascii: "=")
            i &+= 3
            o &+= 4
        }
    }
}
