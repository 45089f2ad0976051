#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import OTelModel

/// A built ``TimestampConfig``: reads the field, parses it, sets the record's time.
struct TimestampStep: Sendable {
    enum Kind: Sendable {
        case layout(TimeLayout, TimeZoneRule)
        case epoch(EpochLayout)
    }

    let parseFrom: FieldPath
    // The kind's parts, kept apart and not optional: reading the layout out of an enum payload or
    // an optional copies its arrays (retains) on every call. An epoch step has an empty layout.
    let layout: TimeLayout
    let zone: TimeZoneRule
    let epoch: EpochLayout?
    /// Seconds since the epoch now; used for layouts without a year.
    let now: @Sendable () -> Int64

    init(parseFrom: FieldPath, kind: Kind, now: @escaping @Sendable () -> Int64) {
        self.parseFrom = parseFrom
        switch kind {
        case .layout(let l, let z):
            layout = l
            zone = z
            epoch = nil
        case .epoch(let e):
            layout = TimeLayout(items: [], source: "")
            zone = .utc
            epoch = e
        }
        self.now = now
    }

    static let systemNow: @Sendable () -> Int64 = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec)
    }

    func apply(_ entry: inout LogEntry) throws(StepError) {
        guard let value = entry.get(parseFrom) else {
            throw StepError(.missingField, "log entry does not have the parse_from field \(parseFrom)")
        }
        do {
            entry.record.timeUnixNano = try nanoseconds(value)
        } catch {
            throw StepError(.parseFailed, error.description)
        }
    }

    /// Nanoseconds since the epoch of a timestamp value.
    func nanoseconds(_ value: AnyValue) throws(TimeParseError) -> UInt64 {
        if let epoch { return try epoch.nanoseconds(value) }
        let text: ByteString
        switch value {
        case .string(let s), .bytes(let s): text = s
        default: throw TimeParseError("a \(value.typeName) value cannot be parsed as a time")
        }
        let fields = try text.withBytes { (raw) throws(TimeParseError) in try layout.parseFields(raw) }
        return try resolve(fields, layout: layout, zone: zone)
    }

    func resolve(_ t: ParsedTime, layout: TimeLayout, zone: TimeZoneRule) throws(TimeParseError) -> UInt64 {
        var year = t.year ?? 0
        var month = t.month ?? 1
        var day = t.day ?? 1
        if let yearDay = t.yearDay {
            if !layout.hasYear { year = Self.year(ofSeconds: now()) }
            guard let md = CivilTime.monthDay(yearDay: yearDay, year: year) else { throw TimeParseError("day of year \(yearDay) out of range") }
            let (m, d) = md
            if (t.month != nil && t.month != m) || (t.day != nil && t.day != d) {
                throw TimeParseError("day of year \(yearDay) does not match the month and day")
            }
            month = m
            day = d
        }
        let timeOfDay = Int64(t.hour * 3600 + t.minute * 60 + t.second)
        func local(_ year: Int) throws(TimeParseError) -> Int64 {
            guard day <= CivilTime.daysInMonth(month, year: year) else { throw TimeParseError("day \(day) out of range for month \(month)") }
            return Int64(CivilTime.daysFromCivil(year, month, day)) * 86400 + timeOfDay
        }
        func utc(_ localSeconds: Int64) throws(TimeParseError) -> Int64 {
            if let offset = t.offset { return localSeconds - Int64(offset) }
            if let name = t.zoneName {
                guard let named = TimeZoneRule.named(name) else { throw TimeParseError("unknown time zone \"\(name)\"") }
                return named.utcSeconds(local: localSeconds)
            }
            return zone.utcSeconds(local: localSeconds)
        }
        var seconds: Int64
        if layout.hasYear || t.yearDay != nil {
            seconds = try utc(try local(year))
        } else {
            // No year in the text: this year, or last year when that would be more than a week ahead.
            let nowSeconds = now()
            let thisYear = Self.year(ofSeconds: nowSeconds)
            seconds = try utc(try local(thisYear))
            if seconds > nowSeconds + 7 * 86400 { seconds = try utc(try local(thisYear - 1)) }
        }
        guard seconds >= 0 else { throw TimeParseError("time is before 1970") }
        guard seconds < 18_000_000_000 else { throw TimeParseError("time is after 2540") }
        return UInt64(seconds) * 1_000_000_000 + UInt64(t.nanosecond)
    }

    static func year(ofSeconds s: Int64) -> Int {
        CivilTime.civilFromDays(Int(s >= 0 ? s / 86400 : (s - 86399) / 86400)).year
    }
}
