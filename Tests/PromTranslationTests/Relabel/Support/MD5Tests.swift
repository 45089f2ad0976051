@testable import PromTranslation
import Testing

@Suite struct MD5Tests {
    /// RFC 1321, appendix A.5.
    static let vectors: [(String, String)] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ]

    @Test func rfcVectors() {
        for (input, hex) in Self.vectors {
            let digest = MD5.digest(input).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            #expect(digest == hex, "\(input)")
        }
    }

    @Test func blockBoundaries() {
        // 55, 56 and 64 bytes straddle the padding boundary.
        #expect(MD5.digest(String(repeating: "a", count: 55)).count == 16)
        #expect(CompiledRule.hash(String(repeating: "x", count: 200)) == 16_131_141_350_317_198_456)
    }
}
