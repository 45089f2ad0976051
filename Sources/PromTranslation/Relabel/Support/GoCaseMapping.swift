/// `strings.ToLower` / `strings.ToUpper` as Go 1.19 computes them: one code point to one code point, with
/// Unicode 13.0 simple case mappings.
///
/// Swift's case mappings are full mappings ("ß" uppercases to "SS", "İ" lowercases to "i̇"); Go keeps "ß" and
/// maps "İ" to "i". Full mappings that are a single code point equal the simple ones; the few multi-code-point
/// ones are resolved below. Code points assigned after Unicode 13.0 are left unchanged, as Go 1.19 leaves them,
/// and so are mappings onto such code points (Unicode 16 gave "ƛ" the new capital U+A7DC).
enum GoCaseMapping {
    static func lowercased(_ value: String) -> String {
        String(decoding: value.withUTF8Bytes(lowercased), as: UTF8.self)
    }

    static func uppercased(_ value: String) -> String {
        String(decoding: value.withUTF8Bytes(uppercased), as: UTF8.self)
    }

    static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        map(bytes, ascii: { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, scalar: lower)
    }

    static func uppercased(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        map(bytes, ascii: { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, scalar: upper)
    }

    private static func map(
        _ bytes: UnsafeBufferPointer<UInt8>, ascii: (UInt8) -> UInt8, scalar: (Unicode.Scalar) -> Unicode.Scalar
    ) -> [UInt8] {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return bytes.map(ascii)
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        for original in bytes.string.unicodeScalars {
            UTF8.encode(scalar(original)) { result.append($0) }
        }
        return result
    }

    static func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard knownToGo(scalar) else { return scalar }
        if scalar.value == 0x130 { return "i" }  // İ: full mapping is "i̇"
        return single(scalar.properties.lowercaseMapping).flatMap(knownToGo) ?? scalar
    }

    static func upper(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard knownToGo(scalar) else { return scalar }
        if let special = greekIotaSubscriptUpper(scalar.value) { return special }
        return single(scalar.properties.uppercaseMapping).flatMap(knownToGo) ?? scalar
    }

    /// Greek letters with ypogegrammeni: the full uppercase spells out the iota, the simple one is the titlecase
    /// letter with prosgegrammeni.
    private static func greekIotaSubscriptUpper(_ value: UInt32) -> Unicode.Scalar? {
        switch value {
        case 0x1F80...0x1F87, 0x1F90...0x1F97, 0x1FA0...0x1FA7: return Unicode.Scalar(value + 8)
        case 0x1FB3: return "\u{1FBC}"
        case 0x1FC3: return "\u{1FCC}"
        case 0x1FF3: return "\u{1FFC}"
        default: return nil
        }
    }

    private static func single(_ mapping: String) -> Unicode.Scalar? {
        var iterator = mapping.unicodeScalars.makeIterator()
        guard let first = iterator.next(), iterator.next() == nil else { return nil }
        return first
    }

    /// Assigned in Unicode 13.0 or earlier.
    private static func knownToGo(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < 13 || (age.major == 13 && age.minor == 0)
    }

    /// The scalar if Go knows it: a mapping onto a letter added later (ƛ → U+A7DC in Unicode 16) is not Go's.
    private static func knownToGo(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        knownToGo(scalar) ? scalar : nil
    }
}
