/// Snappy block format made only of literal elements: valid input for any snappy decoder, no
/// compression. Enough for tests, and independent of the code under test.
enum LiteralSnappy {
    static func encode(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 65536 * 5 + 10)
        var n = UInt64(input.count)
        while n >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
        var offset = 0
        while offset < input.count {
            let chunk = min(65536, input.count - offset)
            let m = chunk - 1
            if m < 60 {
                out.append(UInt8(m << 2))
            } else if m < 256 {
                out.append(60 << 2)
                out.append(UInt8(m))
            } else {
                out.append(61 << 2)
                out.append(UInt8(m & 0xFF))
                out.append(UInt8(m >> 8))
            }
            out.append(contentsOf: input[offset..<offset + chunk])
            offset += chunk
        }
        return out
    }
}
