import OTelModel

/// An `epoch` timestamp layout: `s`, `ms`, `us`, `ns`, or seconds with a fraction `s.ms`,
/// `s.us`, `s.ns`. (stanza `docs/types/timestamp.md`)
///
/// Strings and integers convert exactly. A string's fraction is read as a decimal fraction and cut
/// at the layout's precision (the collector instead multiplies the digits after the dot, which
/// agrees only when exactly 3, 6 or 9 digits are given); the fraction may be missing. Doubles
/// lose what a `Double` cannot hold. Times before 1970 are rejected.
public enum EpochLayout: String, Sendable, Hashable, CaseIterable {
    case s
    case ms
    case us
    case ns
    case sMs = "s.ms"
    case sUs = "s.us"
    case sNs = "s.ns"

    /// Nanoseconds in one unit of an integer layout.
    var unitNanos: UInt64 {
        switch self {
        case .s, .sMs, .sUs, .sNs: 1_000_000_000
        case .ms: 1_000_000
        case .us: 1_000
        case .ns: 1
        }
    }

    /// Digits of the fraction kept by the seconds-with-fraction layouts.
    var fractionDigits: Int {
        switch self {
        case .sMs: 3
        case .sUs: 6
        default: 9
        }
    }

    var hasFraction: Bool { self == .sMs || self == .sUs || self == .sNs }

    /// Nanoseconds since the epoch.
    func nanoseconds(_ value: AnyValue) throws(TimeParseError) -> UInt64 {
        switch value {
        case .int(let v):
            return try scale(v)
        case .double(let v):
            guard v.isFinite, v >= 0 else { throw TimeParseError("invalid epoch value \(v)") }
            if !hasFraction {
                guard v < 1.8e19 else { throw TimeParseError("epoch value \(v) out of range") }
                return try scale(Int64(exactly: v.rounded(.towardZero)) ?? Int64.max)
            }
            let seconds = v.rounded(.down)
            guard seconds < 1.8e10 else { throw TimeParseError("epoch value \(v) out of range") }
            let precision = Double(Self.pow10(fractionDigits))
            var units = ((v - seconds) * precision).rounded()
            var whole = UInt64(seconds)
            if units >= precision {
                units -= precision
                whole += 1
            }
            return whole * 1_000_000_000 + UInt64(units) * UInt64(Self.pow10(9 - fractionDigits))
        case .string(let s), .bytes(let s):
            return try s.withBytes { (raw) throws(TimeParseError) in try parse(raw) }
        default:
            throw TimeParseError("an epoch timestamp must be a number or a string")
        }
    }

    private func scale(_ v: Int64) throws(TimeParseError) -> UInt64 {
        guard v >= 0 else { throw TimeParseError("epoch value \(v) is before 1970") }
        let (n, overflow) = UInt64(v).multipliedReportingOverflow(by: unitNanos)
        guard !overflow else { throw TimeParseError("epoch value \(v) out of range for layout \(rawValue)") }
        return n
    }

    private func parse(_ raw: UnsafeRawBufferPointer) throws(TimeParseError) -> UInt64 {
        func bad() -> TimeParseError {
            TimeParseError("invalid value \"\(String(decoding: raw, as: UTF8.self))\" for epoch layout \(rawValue)")
        }
        var i = 0
        var whole: Int64 = 0
        var digits = 0
        while i < raw.count, raw[i] &- UInt8(ascii: "0") < 10 {
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(raw[i] &- UInt8(ascii: "0")))
            guard !o1 && !o2 else { throw TimeParseError("epoch value out of range") }
            whole = a
            i += 1
            digits += 1
        }
        guard digits > 0 else { throw bad() }
        var nanos = try scale(whole)
        if i < raw.count {
            guard hasFraction, raw[i] == UInt8(ascii: "."), i + 1 < raw.count else { throw bad() }
            i += 1
            var fraction: UInt64 = 0
            var n = 0
            while i < raw.count, raw[i] &- UInt8(ascii: "0") < 10 {
                if n < fractionDigits {
                    fraction = fraction * 10 + UInt64(raw[i] &- UInt8(ascii: "0"))
                    n += 1
                }
                i += 1
            }
            guard i == raw.count else { throw bad() }
            for _ in n..<9 { fraction *= 10 }
            nanos += fraction
        }
        return nanos
    }

    static func pow10(_ n: Int) -> Int {
        var v = 1
        for _ in 0..<n { v *= 10 }
        return v
    }
}
