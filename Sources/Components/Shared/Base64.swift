import OTelModel

/// Standard base64 (RFC 4648, with padding), for bytes values written as text (labels, log lines).
enum Base64 {
    static func encode(_ b: ByteString) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        return b.withUnsafeBytes { raw in
            var out: [UInt8] = []
            out.reserveCapacity((raw.count + 2) / 3 * 4)
            var i = 0
            while i < raw.count {
                let n = min(3, raw.count - i)
                let b0 = UInt32(raw[i]), b1 = n > 1 ? UInt32(raw[i + 1]) : 0, b2 = n > 2 ? UInt32(raw[i + 2]) : 0
                let v = b0 << 16 | b1 << 8 | b2
                out.append(table[Int(v >> 18 & 63)])
                out.append(table[Int(v >> 12 & 63)])
                out.append(n > 1 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "="))
                out.append(n > 2 ? table[Int(v & 63)] : UInt8(ascii: "="))
                i += 3
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
