import Foundation

/// A size as the Collector's configs write it: a number of bytes, optionally with a unit —
/// `b`, `kb` (1000), `kib` (1024), `mb`, `mib`, `gb`, `gib`, in any case (`64KiB`, `10MB`, `1.5gib`);
/// spaces around the unit are allowed. Nil for anything else, a negative number, or a size that
/// does not fit comfortably in an `Int`.
public func parseByteSize(_ text: String) -> Int? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    let digits = t.prefix { $0.isNumber || $0 == "." }
    guard let number = Double(digits), number >= 0 else { return nil }
    let unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
    let multipliers: [String: Double] = [
        "": 1, "b": 1, "kb": 1e3, "kib": 1024, "mb": 1e6, "mib": 1_048_576, "gb": 1e9, "gib": 1_073_741_824,
    ]
    guard let m = multipliers[unit] else { return nil }
    let bytes = number * m
    guard bytes < Double(Int.max / 2) else { return nil }
    return Int(bytes)
}

extension ConfigReader {
    /// A size (see ``parseByteSize(_:)``) of at least `min` bytes; `value` when absent or wrong.
    public func byteSize(_ key: String, default value: Int, min: Int = 0) -> Int {
        guard let text = optionalString(key) else { return value }
        guard let n = parseByteSize(text) else {
            error("'\(key)' must be a size such as 1000, 64kib or 1MiB, got '\(text)'", key: key)
            return value
        }
        if n < min {
            error("'\(key)' must be at least \(min) bytes, got '\(text)'", key: key)
            return value
        }
        return n
    }
}
