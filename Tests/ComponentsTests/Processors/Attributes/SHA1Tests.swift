@testable import Components
import OTelModel
import Testing

/// SHA-1 against digests from Python's hashlib, made with
/// `python3 -c "import hashlib; print(hashlib.sha1(MESSAGE).hexdigest())"` for each message below
/// (the padding boundaries 55, 56 and 64 bytes included).
@Suite struct SHA1Tests {
    static let vectors: [(message: [UInt8], digest: String)] = [
        ([], "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        (Array("abc".utf8), "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8), "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ([UInt8](repeating: UInt8(ascii: "a"), count: 55), "c1c8bbdc22796e28c0e15163d20899b65621d65a"),
        ([UInt8](repeating: UInt8(ascii: "a"), count: 56), "c2db330f6083854c99d4b5bfb6e8f29f201be699"),
        ([UInt8](repeating: UInt8(ascii: "a"), count: 64), "0098ba824b5c16427bd7a1122a5a442a25ec644d"),
        ([UInt8](repeating: UInt8(ascii: "a"), count: 1000), "291e9a6c66994949b57ba5e650361e98fc36b1ba"),
        ([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
        (Array("jürgen@example.com".utf8), "458881da1c6b9177bd56e883eca7b9006b3f7969"),
    ]

    @Test func digestsMatchHashlib() {
        for (message, digest) in Self.vectors {
            let hex = message.withUnsafeBytes { SHA1.hex($0) }
            #expect(hex.string == digest, "\(message.count) bytes")
        }
    }

    /// Non-string values hash their binary form, as the Collector's hasher does. Made with
    /// `hashlib.sha1(struct.pack('<q', 2245))`, `struct.pack('<q', -1)`, `struct.pack('<d', 1.5)`,
    /// `bytes([1])` and `bytes([0])`.
    @Test func nonStringValuesHashTheirBinaryForm() {
        #expect(AttributeActions.hash(.int(2245)) == .string("bde71600456e1dc1b1eb9bdd87de20b7550e8392"))
        #expect(AttributeActions.hash(.int(-1)) == .string("be673e8a56eaa9d8c1d35064866701c11ef8e089"))
        #expect(AttributeActions.hash(.double(1.5)) == .string("dd58a0f3fcf1993ddf7bacbaaa2507c430793478"))
        #expect(AttributeActions.hash(.bool(true)) == .string("bf8b4530d8d246dd74ac53a13471bba17941dff7"))
        #expect(AttributeActions.hash(.bool(false)) == .string("5ba93c9db0cff93f52b521d7420e43f6eda2784f"))
        #expect(AttributeActions.hash(.array([.int(1)])) == .string(""))
        #expect(AttributeActions.hash(.string("")) == .string(""), "an empty string stays empty, as in the Collector")
    }
}
