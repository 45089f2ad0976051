/// Why a number token was rejected.
enum NumberError: Error, Equatable {
    /// Not in the accepted syntax.
    case syntax
    /// Syntactically valid but outside the representable range.
    case range
}

/// A decimal number token: `value = ±mantissa × 10^exponent`, truncated toward zero when
/// `digitsDropped` (only the first 19 significant digits are kept).
struct DecimalNumber {
    var negative: Bool
    var mantissa: UInt64
    var exponent: Int
    var digitsDropped: Bool
}

/// The three shapes a number token can take.
enum NumberToken {
    case decimal(DecimalNumber)
    case infinity(negative: Bool)
    case notANumber
}

/// Number syntax shared by both formats: Go `strconv.ParseFloat` decimal syntax without hex
/// floats and `_` separators (what Prometheus accepts), plus the case-insensitive specials
/// `inf`, `infinity` (optionally signed) and `nan` (unsigned) — the same set as the OpenMetrics
/// ABNF `number` rule.
///
/// Decimal: `[+-] (digits [. digits?] | . digits) [(e|E) [+-] digits]`.
enum NumberParser {
    private static let maxSignificantDigits = 19
    private static let exponentLimit = 100_000

    /// Exactly representable powers of ten for the fast path.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    private static let integerPowersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
        100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
        100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

    /// Splits `bytes[start..<end]` into a number token, or returns `nil` if it is not one.
    @inline(__always)
    static func scan(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> NumberToken? {
        var index = start
        guard index < end else { return nil }
        var negative = false
        var signed = false
        let first = bytes[index]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            signed = true
            index += 1
            guard index < end else { return nil }
        }
        let lead = bytes[index] | 0x20
        if lead == UInt8(ascii: "i") || lead == UInt8(ascii: "n") {
            return scanSpecial(bytes, from: index, to: end, negative: negative, signed: signed)
        }

        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false
        var digitsDropped = false
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            sawDigit = true
            if significantDigits < maxSignificantDigits {
                if mantissa != 0 || digit != 0 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                }
            } else {
                exponent += 1
                digitsDropped = digitsDropped || digit != 0
            }
            index += 1
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                sawDigit = true
                if significantDigits < maxSignificantDigits {
                    if mantissa != 0 || digit != 0 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        significantDigits += 1
                    }
                    exponent -= 1
                } else {
                    digitsDropped = digitsDropped || digit != 0
                }
                index += 1
            }
        }
        guard sawDigit else { return nil }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            guard index < end else { return nil }
            var exponentNegative = false
            if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var sawExponentDigit = false
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                sawExponentDigit = true
                if written < exponentLimit {
                    written = written * 10 + Int(digit)
                }
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == end else { return nil }
        return .decimal(
            DecimalNumber(negative: negative, mantissa: mantissa, exponent: exponent, digitsDropped: digitsDropped)
        )
    }

    private static func scanSpecial(
        _ bytes: UnsafePointer<UInt8>,
        from start: Int,
        to end: Int,
        negative: Bool,
        signed: Bool
    ) -> NumberToken? {
        let length = end - start
        if length == 3 {
            let word = (bytes[start] | 0x20, bytes[start + 1] | 0x20, bytes[start + 2] | 0x20)
            if word == (UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "f")) {
                return .infinity(negative: negative)
            }
            if !signed, word == (UInt8(ascii: "n"), UInt8(ascii: "a"), UInt8(ascii: "n")) {
                return .notANumber
            }
            return nil
        }
        if length == 8 {
            let expected = Array("infinity".utf8)
            for offset in 0..<8 where bytes[start + offset] | 0x20 != expected[offset] {
                return nil
            }
            return .infinity(negative: negative)
        }
        return nil
    }

    /// Parses a sample or exemplar value, correctly rounded like Go's `strconv.ParseFloat`.
    ///
    /// - Throws: ``NumberError/syntax`` for anything outside the syntax, ``NumberError/range`` for a
    ///   finite decimal whose magnitude overflows float64 (Go reports those as errors too).
    @inline(__always)
    static func double(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(NumberError) -> Double {
        guard let token = scan(bytes, from: start, to: end) else { throw .syntax }
        switch token {
        case .notANumber:
            return .nan
        case .infinity(let negative):
            return negative ? -.infinity : .infinity
        case .decimal(let number):
            if let exact = fastDouble(number) {
                return exact
            }
            return try slowDouble(bytes, from: start, to: end)
        }
    }

    /// Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles.
    @inline(__always)
    private static func fastDouble(_ number: DecimalNumber) -> Double? {
        if number.mantissa == 0 {
            return number.negative ? -0.0 : 0.0
        }
        guard !number.digitsDropped, number.mantissa <= 1 << 53 else { return nil }
        var value = Double(number.mantissa)
        let exponent = number.exponent
        if exponent >= 0 {
            if exponent > 22 {
                // Move surplus powers into the mantissa while it stays exact.
                guard exponent <= 22 + 15 else { return nil }
                let (scaled, overflow) = number.mantissa.multipliedReportingOverflow(
                    by: integerPowersOfTen[exponent - 22]
                )
                guard !overflow, scaled <= 1 << 53 else { return nil }
                value = Double(scaled) * powersOfTen[22]
            } else {
                value *= powersOfTen[exponent]
            }
        } else {
            guard exponent >= -22 else { return nil }
            value /= powersOfTen[-exponent]
        }
        return number.negative ? -value : value
    }

    /// Correctly rounded conversion of an already validated decimal token.
    @inline(never)
    private static func slowDouble(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(NumberError)
        -> Double
    {
        let text = String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self)
        guard let value = Double(text) else { throw .syntax }
        guard value.isFinite else { throw .range }
        return value
    }

    /// Parses a Prometheus text timestamp: decimal digits only (no sign), integer milliseconds.
    static func integerMilliseconds(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(NumberError)
        -> Int64
    {
        guard start < end else { throw .syntax }
        var value: Int64 = 0
        var index = start
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw .syntax }
            let (scaled, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = scaled.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { throw .range }
            value = sum
            index += 1
        }
        return value
    }

    /// Parses an OpenMetrics timestamp (float seconds) into milliseconds.
    ///
    /// The conversion is done on the decimal digits, so `1520879607.789` is exactly
    /// `1520879607789`; sub-millisecond digits are truncated toward zero (as Prometheus' `int64(ts*1000)`).
    /// NaN and infinities are rejected.
    static func secondsAsMilliseconds(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(NumberError)
        -> Int64
    {
        guard let token = scan(bytes, from: start, to: end) else { throw .syntax }
        guard case .decimal(let number) = token else { throw .syntax }
        if number.mantissa == 0 {
            return 0
        }
        let shift = number.exponent + 3
        var magnitude: UInt64
        if shift >= 0 {
            guard shift < integerPowersOfTen.count else { throw .range }
            let (scaled, overflow) = number.mantissa.multipliedReportingOverflow(by: integerPowersOfTen[shift])
            guard !overflow else { throw .range }
            magnitude = scaled
        } else if -shift < integerPowersOfTen.count {
            magnitude = number.mantissa / integerPowersOfTen[-shift]
        } else {
            magnitude = 0
        }
        guard magnitude <= UInt64(Int64.max) else { throw .range }
        return number.negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// Parses an exemplar timestamp: float seconds, finite.
    static func seconds(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(NumberError) -> Double {
        let value = try double(bytes, from: start, to: end)
        guard value.isFinite else { throw .syntax }
        return value
    }
}
