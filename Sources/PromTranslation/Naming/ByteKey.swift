/// A string compared and hashed by its UTF-8 bytes.
///
/// `String`'s own `==` and hashing use Unicode canonical equivalence, so `"e\u{301}"` and `"é"` (or the Kelvin
/// sign and `K`) would share a dictionary slot although they sanitise to different names.
struct ByteKey: Hashable, Sendable {
    let string: String

    init(_ string: String) {
        self.string = string
    }

    static func == (lhs: ByteKey, rhs: ByteKey) -> Bool {
        equalUTF8(lhs.string, rhs.string)
    }

    func hash(into hasher: inout Hasher) {
        string.withUTF8Bytes { bytes in
            hasher.combine(bytes.count)
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
    }
}
