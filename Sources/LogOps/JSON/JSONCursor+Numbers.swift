#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import OTelModel

extension JSONCursor {
    /// Reads the number at `pos`: `.int` when it has no fraction or exponent and fits an `Int64`,
    /// otherwise `.double`; a number whose magnitude overflows a `Double` keeps its text.
    mutating func readNumber() throws(JSONParseError) -> AnyValue {
        let start = pos
        var i = pos
        let negative = p[i] == UInt8(ascii: "-")
        if negative { i &+= 1 }

        var mantissa: UInt64 = 0
        var digits = 0  // significant digits in `mantissa`
        var exponent = 0  // decimal exponent applied to `mantissa`
        var truncated = false  // digits beyond the 19 `mantissa` can hold were dropped
        var integral = true

        let first = p[i]
        if first == UInt8(ascii: "0") {
            i &+= 1
        } else if first &- UInt8(ascii: "1") < 9 {
            while true {
                let d = p[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    digits &+= 1
                } else {
                    exponent &+= 1
                    if d != 0 { truncated = true }
                }
                i &+= 1
            }
        } else {
            throw error("invalid number", at: start)
        }

        if p[i] == UInt8(ascii: ".") {
            integral = false
            i &+= 1
            guard p[i] &- UInt8(ascii: "0") < 10 else { throw error("invalid number: no digits after '.'", at: start) }
            while true {
                let d = p[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { digits &+= 1 }
                    exponent &-= 1
                } else if d != 0 {
                    truncated = true
                }
                i &+= 1
            }
        }

        let e = p[i]
        if e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            integral = false
            i &+= 1
            var expNegative = false
            if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
                expNegative = p[i] == UInt8(ascii: "-")
                i &+= 1
            }
            guard p[i] &- UInt8(ascii: "0") < 10 else { throw error("invalid number: no digits in the exponent", at: start) }
            var value = 0
            while true {
                let d = p[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if value < 1_000_000 { value = value &* 10 &+ Int(d) }
                i &+= 1
            }
            exponent &+= expNegative ? -value : value
        }
        pos = i

        if integral && exponent == 0 {
            if negative {
                if mantissa <= UInt64(Int64.max) { return .int(-Int64(mantissa)) }
                if mantissa == UInt64(Int64.max) &+ 1 { return .int(Int64.min) }
            } else if mantissa <= UInt64(Int64.max) {
                return .int(Int64(mantissa))
            }
        }

        // Exact when both the mantissa and the power of ten are exact doubles (Clinger's fast path).
        if !truncated && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var d = Double(mantissa)
            if exponent >= 0 { d *= Self.powersOfTen[exponent] } else { d /= Self.powersOfTen[-exponent] }
            return .double(negative ? -d : d)
        }
        // The number is followed by a byte strtod stops at (a delimiter, or the zero padding).
        let d = strtod(UnsafeRawPointer(p + start).assumingMemoryBound(to: CChar.self), nil)
        if d.isInfinite {
            return .string(view(start, i &- start))
        }
        return .double(d)
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
