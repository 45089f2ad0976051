import CChecksum
import Testing

/// CRC-32C as the write-ahead log frames records with it: the CPU-instruction path and the table path
/// agree with a bit-at-a-time reference written straight from the polynomial, at every length
/// around the three-way block boundary, at odd alignments, and when a computation is continued.
@Suite struct ChecksumTests {
    /// One bit at a time: the definition of a reflected CRC with polynomial 0x82F63B78.
    static func reference(_ bytes: some Sequence<UInt8>, seed: UInt32 = 0) -> UInt32 {
        var reg = ~seed
        for b in bytes {
            reg ^= UInt32(b)
            for _ in 0..<8 { reg = (reg >> 1) ^ (0x82F6_3B78 & (0 &- (reg & 1))) }
        }
        return ~reg
    }

    static func crc(_ bytes: ArraySlice<UInt8>, seed: UInt32 = 0, portable: Bool = false) -> UInt32 {
        bytes.withUnsafeBytes { portable ? otelsw_crc32c_portable(seed, $0.baseAddress, $0.count) : otelsw_crc32c(seed, $0.baseAddress, $0.count) }
    }

    @Test func knownAnswers() {
        #expect(Self.crc(ArraySlice("123456789".utf8)) == 0xE306_9283)
        #expect(Self.crc([]) == 0)
        #expect(Self.crc(ArraySlice(repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(Self.crc(ArraySlice(repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    }

    @Test func bothPathsMatchTheReference() {
        var rng = SystemRandomNumberGenerator()
        let data = (0..<40_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let lengths = Array(0...40) + [63, 64, 65, 4095, 4096, 4097, 12_287, 12_288, 12_289, 12_295, 24_576, 24_583, 36_871]
        for length in lengths {
            for offset in [0, 1, 3, 7] where offset + length <= data.count {
                let slice = data[offset..<(offset + length)]
                let expected = Self.reference(slice)
                #expect(Self.crc(slice) == expected, "length \(length), offset \(offset)")
                #expect(Self.crc(slice, portable: true) == expected, "portable, length \(length), offset \(offset)")
            }
        }
    }

    @Test func continuingEqualsComputingAtOnce() {
        let data = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 5) }
        let whole = Self.crc(data[...])
        for cut in [0, 1, 4, 100, 12_288, 15_000, 29_999, 30_000] {
            #expect(Self.crc(data[cut...], seed: Self.crc(data[..<cut])) == whole, "cut at \(cut)")
        }
        #expect(Self.reference(data) == whole)
    }
}
