/// The fields read from a timestamp, before its zone is applied.
struct ParsedTime: Sendable, Equatable {
    var year: Int?
    var month: Int?
    var day: Int?
    var yearDay: Int?
    var hour = 0
    var minute = 0
    var second = 0
    var nanosecond = 0
    /// Seconds east of UTC, when the text has an offset (or `Z`, `UTC`, `GMT`).
    var offset: Int?
    /// A zone abbreviation other than UTC/GMT, to be resolved by name.
    var zoneName: String?
}

/// A value that does not match its timestamp layout.
public struct TimeParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension TimeLayout {
    static let monthNames = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ].map { Array($0.utf8) }
    static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].map { Array($0.utf8) }

    /// Reads `text` field by field.
    func parseFields(_ text: UnsafeRawBufferPointer) throws(TimeParseError) -> ParsedTime {
        var r = TextReader(text)
        var t = ParsedTime()
        var pm: Bool?
        var hour12 = false
        func bad(_ what: String) -> TimeParseError {
            TimeParseError("cannot parse \"\(String(decoding: text, as: UTF8.self))\" as \"\(source)\": \(what)")
        }
        for index in items.indices {
            let item = items[index]
            switch item {
            case .literal(let start, let count):
                guard r.skipLiteral(literalBytes, start, count) else {
                    throw bad("expected \"\(String(decoding: literalBytes[start..<start + count], as: UTF8.self))\" at offset \(r.pos)")
                }
            case .year4:
                guard let y = r.digits(exactly: 4) else { throw bad("bad year") }
                t.year = y
            case .year2:
                guard let y = r.digits(exactly: 2) else { throw bad("bad year") }
                t.year = y >= 69 ? 1900 + y : 2000 + y
            case .month(let w):
                guard let m = r.number(w), (1...12).contains(m) else { throw bad("bad month") }
                t.month = m
            case .monthName(let full):
                guard let m = r.name(Self.monthNames, full: full) else { throw bad("bad month name") }
                t.month = m + 1
            case .day(let w):
                guard let d = r.number(w), (1...31).contains(d) else { throw bad("bad day") }
                t.day = d
            case .yearDay(let spacePadded):
                if spacePadded { r.skipSpaces(max: 2) }
                guard let d = spacePadded ? r.digits(min: 1, max: 3) : r.digits(exactly: 3), (1...366).contains(d) else {
                    throw bad("bad day of year")
                }
                t.yearDay = d
            case .weekdayName(let full):
                guard r.name(Self.weekdayNames, full: full) != nil else { throw bad("bad weekday name") }
            case .hour24(let w):
                guard let h = r.number(w), h < 24 else { throw bad("bad hour") }
                t.hour = h
            case .hour12(let w):
                guard let h = r.number(w), h <= 12 else { throw bad("bad hour") }
                t.hour = h
                hour12 = true
            case .minute(let w):
                guard let m = r.number(w), m < 60 else { throw bad("bad minute") }
                t.minute = m
            case .second(let w):
                guard let s = r.number(w), s < 60 else { throw bad("bad second") }
                t.second = s
                // Go reads a fraction right after the seconds even when the layout has none.
                let next = index + 1 < items.count ? items[index + 1] : nil
                if case .fraction(true, _)? = next {} else if r.atFraction {
                    r.pos += 1
                    t.nanosecond = r.fraction(digits: nil) ?? 0
                }
            case .amPM:
                guard let v = r.amPM() else { throw bad("bad AM/PM") }
                pm = v
            case .fraction(let separator, let digits):
                if separator {
                    guard r.atFraction else {
                        if digits == nil { continue }
                        throw bad("missing fractional seconds")
                    }
                    r.pos += 1
                }
                guard let n = r.fraction(digits: digits) else { throw bad("bad fractional seconds") }
                t.nanosecond = n
            case .zoneName:
                let name = r.zoneName()
                switch name {
                case "UTC", "GMT", "UT", "Z": t.offset = 0
                case "": throw bad("missing time zone")
                default: t.zoneName = name
                }
            case .offset:
                guard let o = r.offset() else { throw bad("bad UTC offset") }
                t.offset = o
            }
        }
        guard r.atEnd else { throw bad("extra text \"\(r.rest)\"") }
        if hour12, let pm {
            if pm && t.hour < 12 { t.hour += 12 } else if !pm && t.hour == 12 { t.hour = 0 }
        }
        return t
    }
}

/// A cursor over timestamp text.
struct TextReader {
    let text: UnsafeRawBufferPointer
    var pos = 0

    init(_ text: UnsafeRawBufferPointer) { self.text = text }

    var atEnd: Bool { pos >= text.count }
    var rest: String { String(decoding: text[pos...], as: UTF8.self) }

    func byte(_ i: Int) -> UInt8? { i < text.count ? text[i] : nil }
    func isDigit(_ i: Int) -> Bool { i < text.count && text[i] &- UInt8(ascii: "0") < 10 }

    /// A layout literal; a run of spaces in it matches a run of spaces in the text, like Go.
    mutating func skipLiteral(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Bool {
        bytes.withUnsafeBufferPointer { all in skipLiteral(UnsafeBufferPointer(rebasing: all[start..<start + count])) }
    }

    mutating func skipLiteral(_ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        while k < literal.count {
            if literal[k] == UInt8(ascii: " ") {
                guard byte(pos) == UInt8(ascii: " ") else { return false }
                while k < literal.count && literal[k] == UInt8(ascii: " ") { k += 1 }
                while byte(pos) == UInt8(ascii: " ") { pos += 1 }
                continue
            }
            guard byte(pos) == literal[k] else { return false }
            pos += 1
            k += 1
        }
        return true
    }

    mutating func skipSpaces(max: Int) {
        var n = 0
        while n < max && byte(pos) == UInt8(ascii: " ") {
            pos += 1
            n += 1
        }
    }

    mutating func digits(exactly n: Int) -> Int? {
        digits(min: n, max: n)
    }

    mutating func digits(min: Int, max: Int) -> Int? {
        var v = 0
        var n = 0
        while n < max && isDigit(pos) {
            v = v * 10 + Int(text[pos] &- UInt8(ascii: "0"))
            pos += 1
            n += 1
        }
        return n >= min ? v : nil
    }

    mutating func number(_ width: TimeLayout.Width) -> Int? {
        switch width {
        case .two: return digits(exactly: 2)
        case .oneOrTwo: return digits(min: 1, max: 2)
        case .spacePadded:
            if byte(pos) == UInt8(ascii: " ") { pos += 1 }
            return digits(min: 1, max: 2)
        }
    }

    /// The index of the name at the cursor (its first three letters, or all of it), ignoring case.
    mutating func name(_ names: [[UInt8]], full: Bool) -> Int? {
        for (i, name) in names.enumerated() {
            let n = full ? name.count : 3
            guard pos + n <= text.count else { continue }
            var same = true
            for k in 0..<n where text[pos + k] | 0x20 != name[k] {
                same = false
                break
            }
            if same {
                pos += n
                return i
            }
        }
        return nil
    }

    /// True for PM, false for AM (any case).
    mutating func amPM() -> Bool? {
        guard pos + 2 <= text.count, text[pos + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
        switch text[pos] | 0x20 {
        case UInt8(ascii: "a"):
            pos += 2
            return false
        case UInt8(ascii: "p"):
            pos += 2
            return true
        default:
            return nil
        }
    }

    /// A '.' or ',' followed by a digit.
    var atFraction: Bool {
        guard let b = byte(pos), b == UInt8(ascii: ".") || b == UInt8(ascii: ",") else { return false }
        return isDigit(pos + 1)
    }

    /// Fraction digits as nanoseconds: exactly `digits` of them, or any number (beyond nine are
    /// read and ignored).
    mutating func fraction(digits: Int?) -> Int? {
        var ns = 0
        var n = 0
        while isDigit(pos) && (digits == nil || n < digits!) {
            if n < 9 { ns = ns * 10 + Int(text[pos] &- UInt8(ascii: "0")) }
            pos += 1
            n += 1
        }
        if n == 0 || (digits != nil && n != digits!) { return nil }
        for _ in min(n, 9)..<9 { ns *= 10 }
        return ns
    }

    /// Letters of a zone abbreviation (`UTC`, `EST`, `CEST`); also `Z`.
    mutating func zoneName() -> String {
        let start = pos
        while let b = byte(pos), (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") { pos += 1 }
        return String(decoding: text[start..<pos], as: UTF8.self)
    }

    /// `Z`, or `±hh`, `±hhmm`, `±hh:mm`, `±hhmmss`, `±hh:mm:ss`; seconds east of UTC.
    mutating func offset() -> Int? {
        guard let b = byte(pos) else { return nil }
        if b == UInt8(ascii: "Z") || b == UInt8(ascii: "z") {
            pos += 1
            return 0
        }
        guard b == UInt8(ascii: "+") || b == UInt8(ascii: "-") else { return nil }
        let sign = b == UInt8(ascii: "-") ? -1 : 1
        pos += 1
        guard let h = digits(exactly: 2), h <= 24 else { return nil }
        var seconds = h * 3600
        for unit in [60, 1] {
            let save = pos
            if byte(pos) == UInt8(ascii: ":") { pos += 1 }
            guard let v = digits(exactly: 2) else {
                pos = save
                break
            }
            guard v < 60 else { return nil }
            seconds += v * unit
        }
        return sign * seconds
    }
}
