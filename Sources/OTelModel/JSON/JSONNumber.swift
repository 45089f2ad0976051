/// A JSON number as an exact decimal: ±`mantissa` × 10^`exponent`, plus where its text lies.
///
/// Parsing keeps up to 19–20 significant digits exactly, which is all an OTLP integer needs; digits
/// beyond that only matter for doubles, which then take the slow, correctly rounded path.
struct JSONNumber {
    var negative = false
    var mantissa: UInt64 = 0
    var exponent = 0
    /// A nonzero digit was dropped because it did not fit in `mantissa`.
    var inexact = false
    /// The number's text, for the slow double path.
    var start = 0
    var end = 0

    /// Parses the JSON number grammar (RFC 8259 §6) at `p[i..<end]`; nil when the text is not a number.
    static func parse(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (number: JSONNumber, next: Int)? {
        var n = JSONNumber()
        n.start = i
        var k = i
        if k < end && p[k] == UInt8(ascii: "-") {
            n.negative = true
            k &+= 1
        }
        guard k < end else { return nil }
        let first = p[k]
        if first == UInt8(ascii: "0") {
            k &+= 1
        } else if first >= UInt8(ascii: "1") && first <= UInt8(ascii: "9") {
            while k < end, case let d = p[k] &- UInt8(ascii: "0"), d < 10 {
                n.addDigit(d, fraction: false)
                k &+= 1
            }
        } else {
            return nil
        }
        if k < end && p[k] == UInt8(ascii: ".") {
            k &+= 1
            guard k < end, p[k] &- UInt8(ascii: "0") < 10 else { return nil }
            while k < end, case let d = p[k] &- UInt8(ascii: "0"), d < 10 {
                n.addDigit(d, fraction: true)
                k &+= 1
            }
        }
        if k < end && (p[k] == UInt8(ascii: "e") || p[k] == UInt8(ascii: "E")) {
            k &+= 1
            var negativeExponent = false
            if k < end && (p[k] == UInt8(ascii: "+") || p[k] == UInt8(ascii: "-")) {
                negativeExponent = p[k] == UInt8(ascii: "-")
                k &+= 1
            }
            guard k < end, p[k] &- UInt8(ascii: "0") < 10 else { return nil }
            var e = 0
            while k < end, case let d = p[k] &- UInt8(ascii: "0"), d < 10 {
                if e < 100_000_000 { e = e &* 10 &+ Int(d) }
                k &+= 1
            }
            n.exponent &+= negativeExponent ? -e : e
        }
        n.end = k
        return (n, k)
    }

    @inline(__always) private mutating func addDigit(_ d: UInt8, fraction: Bool) {
        let (m10, o1) = mantissa.multipliedReportingOverflow(by: 10)
        let (m, o2) = m10.addingReportingOverflow(UInt64(d))
        if !o1 && !o2 {
            mantissa = m
            if fraction { exponent &-= 1 }
        } else {
            if !fraction { exponent &+= 1 }
            if d != 0 { inexact = true }
        }
    }

    /// The magnitude when the number is an integer that fits in 64 bits.
    private var integerMagnitude: UInt64? {
        if mantissa == 0 { return 0 }
        guard !inexact else { return nil }
        var m = mantissa, e = exponent
        while e < 0 {
            guard m % 10 == 0 else { return nil }
            m /= 10
            e &+= 1
        }
        guard e <= 20 else { return nil }
        while e > 0 {
            let (x, overflow) = m.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            m = x
            e &-= 1
        }
        return m
    }

    /// The value as a `UInt64`, when it is a non-negative integer in range (`-0` counts as 0).
    var uint64: UInt64? {
        guard let m = integerMagnitude else { return nil }
        return negative && m != 0 ? nil : m
    }

    /// The value as an `Int64`, when it is an integer in range.
    var int64: Int64? {
        guard let m = integerMagnitude else { return nil }
        if negative {
            guard m <= UInt64(Int64.max) &+ 1 else { return nil }
            return Int64(bitPattern: 0 &- m)
        }
        guard m <= UInt64(Int64.max) else { return nil }
        return Int64(m)
    }

    /// The nearest double (correctly rounded); nil when the magnitude overflows a double.
    /// `text` is the buffer the number was parsed from.
    func double(text: UnsafePointer<UInt8>) -> Double? {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        // Exact mantissa and power of ten: one correctly rounded operation (Clinger's fast path).
        if !inexact && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var d = Double(mantissa)
            if exponent < 0 { d /= powersOfTen[-exponent] } else { d *= powersOfTen[exponent] }
            return negative ? -d : d
        }
        let string = String(decoding: UnsafeBufferPointer(start: text + start, count: end &- start), as: UTF8.self)
        guard let d = Double(string), d.isFinite else { return nil }
        return d
    }
}

private let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]
