/// Prometheus 2.42's label name rules.
enum LabelNameRules {
    /// `[a-zA-Z_][a-zA-Z0-9_]*` (`model.LabelName.IsValid`).
    static func isValid(_ name: String) -> Bool {
        name.withUTF8Bytes(isValid)
    }

    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, isLetterOrUnderscore(first) else { return false }
        for byte in bytes.dropFirst() where !isWord(byte) { return false }
        return true
    }

    /// A name template with `$` references, as Prometheus' `relabelTarget` expression accepts it: a letter,
    /// `_` or reference first, then word characters and references, each reference `$word+` or `${word+}`.
    static func isValidTemplate(_ template: String) -> Bool {
        template.withUTF8Bytes { bytes in
            var index = 0
            var first = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "$") {
                    index += 1
                    let braced = index < bytes.count && bytes[index] == UInt8(ascii: "{")
                    if braced { index += 1 }
                    let start = index
                    while index < bytes.count, isWord(bytes[index]) { index += 1 }
                    guard index > start else { return false }
                    if braced {
                        guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else { return false }
                        index += 1
                    }
                } else if isLetterOrUnderscore(byte) || (!first && isWord(byte)) {
                    index += 1
                } else {
                    return false
                }
                first = false
            }
            return !first
        }
    }

    @inline(__always)
    private static func isLetterOrUnderscore(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    @inline(__always)
    private static func isWord(_ byte: UInt8) -> Bool {
        isLetterOrUnderscore(byte) || (byte >= 0x30 && byte <= 0x39)
    }
}
