/// SHA-1 (FIPS 180-4 §6.1): the attributes processor's `hash` action, which hashes as the Collector
/// does, and the identity of a running pipeline file (the digest `sha1sum` prints). Not for
/// security: it only has to give the same digests.
public enum SHA1 {
    /// The 20-byte digest of `message`.
    public static func digest(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
        var w = [UInt32](repeating: 0, count: 80)
        var block = [UInt8](repeating: 0, count: 64)

        func compress(_ block: UnsafeRawBufferPointer) {
            for t in 0..<16 {
                w[t] = UInt32(block[4 * t]) << 24 | UInt32(block[4 * t + 1]) << 16 | UInt32(block[4 * t + 2]) << 8 | UInt32(block[4 * t + 3])
            }
            for t in 16..<80 {
                let x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
                w[t] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = h
            for t in 0..<80 {
                let f: UInt32
                let k: UInt32
                switch t {
                case 0..<20: f = (b & c) | (~b & d); k = 0x5A82_7999
                case 20..<40: f = b ^ c ^ d; k = 0x6ED9_EBA1
                case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1B_BCDC
                default: f = b ^ c ^ d; k = 0xCA62_C1D6
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[t]
                e = d
                d = c
                c = b << 30 | b >> 2
                b = a
                a = temp
            }
            h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
        }

        let n = message.count
        var offset = 0
        while n - offset >= 64 {
            compress(UnsafeRawBufferPointer(rebasing: message[offset..<offset + 64]))
            offset += 64
        }
        // Padding (§5.1.1): a 1 bit, zeros, and the length in bits as a 64-bit big-endian number.
        let rest = n - offset
        for i in 0..<rest { block[i] = message[offset + i] }
        block[rest] = 0x80
        for i in rest + 1..<64 { block[i] = 0 }
        if rest >= 56 {
            block.withUnsafeBytes { compress($0) }
            for i in 0..<64 { block[i] = 0 }
        }
        let bits = UInt64(n) &* 8
        for i in 0..<8 { block[56 + i] = UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64(i))) }
        block.withUnsafeBytes { compress($0) }

        var out: [UInt8] = []
        out.reserveCapacity(20)
        for word in [h.0, h.1, h.2, h.3, h.4] {
            out.append(UInt8(truncatingIfNeeded: word >> 24))
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
        }
        return out
    }

    /// The digest as 40 lowercase hex digits.
    public static func hex(_ message: UnsafeRawBufferPointer) -> ByteString {
        let digits: StaticString = "0123456789abcdef"
        var text = [UInt8]()
        text.reserveCapacity(40)
        for byte in digest(message) {
            text.append(digits.utf8Start[Int(byte >> 4)])
            text.append(digits.utf8Start[Int(byte & 0xF)])
        }
        return ByteString(bytes: text)
    }
}
