import Testing
@testable import LogOps
import OTelModel

@Suite struct TimeParserTests {
    /// 2006-01-02T15:04:05Z.
    let ref: UInt64 = 1_136_214_245 * 1_000_000_000

    func nanos(_ value: AnyValue, _ type: TimestampConfig.LayoutType = .strptime, _ layout: String, location: String? = "UTC", now: Int64 = 1_136_214_245) throws -> UInt64 {
        let op = try TimeParserConfig(TimestampConfig(parseFrom: "body.t", layoutType: type, layout: layout, location: location)).build(now: { now })
        var e = LogEntry(body: .kvlist([KeyValue(key: "t", value: value)]))
        try op.process(&e)
        return e.record.timeUnixNano
    }

    func nanos(_ text: String, _ type: TimestampConfig.LayoutType = .strptime, _ layout: String, location: String? = "UTC", now: Int64 = 1_136_214_245) throws -> UInt64 {
        try nanos(s(text), type, layout, location: location, now: now)
    }

    @Test func strptime() throws {
        #expect(try nanos("2006-01-02T15:04:05Z", .strptime, "%Y-%m-%dT%H:%M:%SZ", location: nil) == ref)
        #expect(try nanos("2006-01-02T15:04:05.123Z", .strptime, "%Y-%m-%dT%H:%M:%S.%LZ") == ref + 123_000_000)
        #expect(try nanos("2006-01-02T15:04:05Z", .strptime, "%Y-%m-%dT%H:%M:%S.%LZ") == ref)
        #expect(try nanos("2006-01-02T15:04:05.123456789Z", .strptime, "%Y-%m-%dT%H:%M:%S.%fZ") == ref + 123_456_789)
        #expect(try nanos("2006-01-02 08:04:05 -0700", .strptime, "%Y-%m-%d %H:%M:%S %z") == ref)
        #expect(try nanos("2006-01-02 17:34:05,5 +02:30", .strptime, "%Y-%m-%d %H:%M:%S,%s %j") == ref + 500_000_000)
        #expect(try nanos("02/Jan/2006:15:04:05 +0000", .strptime, "%d/%b/%Y:%H:%M:%S %z") == ref)
        #expect(try nanos("Monday, January 2 2006 03:04:05 PM UTC", .strptime, "%A, %B %g %Y %I:%M:%S %p %Z") == ref)
        #expect(try nanos("Mon Jan  2 15:04:05 2006", .strptime, "%a %b %e %H:%M:%S %Y") == ref)
        #expect(try nanos("Mon Jan 02 15:04:05 2006", .strptime, "%c") == ref)
        #expect(try nanos("01/02/06 15:04:05", .strptime, "%D %T") == ref)
        #expect(try nanos("2006-01-02 03:04:05 pm", .strptime, "%F %r") == ref)
        #expect(try nanos("2006-01-02 12:00:00 AM", .strptime, "%F %I:%M:%S %p") == ref - (15 * 3600 + 4 * 60 + 5) * 1_000_000_000)
        // A fraction after the seconds is read even when the layout has none (like Go).
        #expect(try nanos("2006-01-02 15:04:05.250", .strptime, "%Y-%m-%d %H:%M:%S") == ref + 250_000_000)
        #expect(try nanos("2006-01-02 15:04:05 %", .strptime, "%Y-%m-%d %H:%M:%S %%") == ref)
    }

    @Test func gotime() throws {
        #expect(try nanos("2006-01-02T15:04:05.999999999Z", .gotime, "2006-01-02T15:04:05.999999999Z07:00") == ref + 999_999_999)
        #expect(try nanos("2006-01-02T08:04:05-07:00", .gotime, "2006-01-02T15:04:05Z07:00") == ref)
        #expect(try nanos("2006-01-02T15:04:05Z", .gotime, "2006-01-02T15:04:05Z07:00") == ref)
        #expect(try nanos("Jan 2 15:04:05 UTC 2006", .gotime, "Jan 2 15:04:05 MST 2006") == ref)
        #expect(try nanos("Mon, 02 Jan 2006 15:04:05 +0000", .gotime, "Mon, 02 Jan 2006 15:04:05 -0700") == ref)
        #expect(try nanos("2006-01-02 15:04:05.120", .gotime, "2006-01-02 15:04:05.000") == ref + 120_000_000)
        #expect(throws: OperatorError.self) { try nanos("2006-01-02 15:04:05.12", .gotime, "2006-01-02 15:04:05.000") }
        #expect(try nanos("06-1-2 3:4:5PM", .gotime, "06-1-2 3:4:5PM") == ref)
        #expect(try nanos("2006 002 15:04:05", .gotime, "2006 002 15:04:05") == ref)
    }

    @Test func epoch() throws {
        let sec: Int64 = 1_136_214_245
        #expect(try nanos(.int(sec), .epoch, "s") == ref)
        #expect(try nanos(s("1136214245"), .epoch, "s") == ref)
        #expect(try nanos(.int(sec * 1000 + 123), .epoch, "ms") == ref + 123_000_000)
        #expect(try nanos(.int(sec * 1_000_000 + 123_456), .epoch, "us") == ref + 123_456_000)
        #expect(try nanos(s("1136214245123456789"), .epoch, "ns") == ref + 123_456_789)
        #expect(try nanos(s("1136214245.123"), .epoch, "s.ms") == ref + 123_000_000)
        #expect(try nanos(s("1136214245.5"), .epoch, "s.ms") == ref + 500_000_000)
        #expect(try nanos(s("1136214245.123456789"), .epoch, "s.us") == ref + 123_456_000)
        #expect(try nanos(s("1136214245"), .epoch, "s.ns") == ref)
        #expect(try nanos(.double(1136214245.5), .epoch, "s.ms") == ref + 500_000_000)
        #expect(try nanos(.double(1136214245.9), .epoch, "s") == ref)
        #expect(try nanos(.int(sec), .epoch, "s.us") == ref)
        for bad: AnyValue in [s("-1"), s("12a"), s(""), s("1.2.3"), .int(-5), .double(-1), .double(.nan), .bool(true), s("99999999999999999999"), .int(.max)] {
            #expect(throws: OperatorError.self, "\(bad)") { try nanos(bad, .epoch, "s") }
        }
        #expect(throws: OperatorError.self) { try nanos(s("1.5"), .epoch, "s") }
    }

    @Test func locations() throws {
        // No offset in the text: the location decides. New York is UTC-5 in January, UTC-4 in July.
        #expect(try nanos("2006-01-02 10:04:05", .strptime, "%Y-%m-%d %H:%M:%S", location: "America/New_York") == ref)
        let july = try nanos("2006-07-02 11:04:05", .strptime, "%Y-%m-%d %H:%M:%S", location: "America/New_York")
        #expect(july == ref + 181 * 86400 * 1_000_000_000)
        // An offset in the text wins over the location.
        #expect(try nanos("2006-01-02 15:04:05 +0000", .strptime, "%Y-%m-%d %H:%M:%S %z", location: "Asia/Tokyo") == ref)
        // A zone name in the text.
        #expect(try nanos("2006-01-02 10:04:05 EST", .strptime, "%Y-%m-%d %H:%M:%S %Z") == ref)
        #expect(throws: OperatorError.self) { try nanos("2006-01-02 10:04:05 XYZQ", .strptime, "%Y-%m-%d %H:%M:%S %Z") }
        #expect(throws: OperatorConfigError.self) { try TimeParserConfig(TimestampConfig(parseFrom: "body.t", layout: "%Y", location: "Mars/Olympus")).build() }
    }

    @Test func missingYearUsesTheCurrentYear() throws {
        let now: Int64 = 1_136_214_245  // 2006-01-02
        #expect(try nanos("Jan 2 15:04:05", .strptime, "%b %e %H:%M:%S", now: now) == ref)
        // More than a week ahead of now: last year.
        let dec = try nanos("Dec 31 00:00:00", .strptime, "%b %e %H:%M:%S", now: now)
        #expect(dec == 1_135_987_200 * 1_000_000_000)  // 2005-12-31
    }

    @Test(arguments: [
        ("2006-13-02", "%Y-%m-%d"), ("2006-02-30", "%Y-%m-%d"), ("2006-01-02 24:00:00", "%Y-%m-%d %H:%M:%S"),
        ("2006-01-02 10:60:00", "%Y-%m-%d %H:%M:%S"), ("06-01-02", "%Y-%m-%d"), ("2006-01-02x", "%Y-%m-%d"),
        ("2006/01/02", "%Y-%m-%d"), ("", "%Y"), ("1969-12-31", "%Y-%m-%d"), ("Foo 2 2006", "%b %e %Y"),
        ("2006-01-02 +9900", "%Y-%m-%d %z"), ("2006-01-02 13:00 PM", "%Y-%m-%d %I:%M %p"),
    ])
    func rejects(_ text: String, _ layout: String) {
        #expect(throws: OperatorError.self) { try nanos(text, .strptime, layout) }
    }

    @Test func wrongTypesAndMissingFields() throws {
        #expect(throws: OperatorError.self) { try nanos(.int(5), .strptime, "%Y") }
        let op = try TimeParserConfig(TimestampConfig(parseFrom: "attributes.ts", layout: "%Y")).build()
        var e = entry(body: "x")
        do {
            try op.process(&e)
            Issue.record("no error")
        } catch {
            #expect(error.code == .missingField)
        }
    }

    @Test func badLayouts() {
        #expect(throws: TimeLayoutError.self) { try TimeLayout(strptime: "%Y-%Q") }
        #expect(throws: TimeLayoutError.self) { try TimeLayout(strptime: "%Y-%") }
        #expect(throws: OperatorConfigError.self) { try TimeParserConfig(TimestampConfig(parseFrom: "body.t", layoutType: .epoch, layout: "minutes")).build() }
        #expect(throws: OperatorConfigError.self) { try TimeParserConfig(TimestampConfig(parseFrom: "body.t", layout: "")).build() }
    }

    @Test func garbageNeverCrashes() throws {
        var rng = TestRandom(seed: 3)
        let layouts = ["%Y-%m-%dT%H:%M:%S.%L%z", "%b %e %H:%M:%S %Z", "%c", "%D %r"]
        let alphabet = Array("0123456789-:T.+ ZJanMonPMaUTC/".utf8) + [0xFF]
        for _ in 0..<5_000 {
            let bytes = (0..<rng.int(40)).map { _ in alphabet[rng.int(alphabet.count)] }
            _ = try? nanos(.string(ByteString(bytes: bytes)), .strptime, layouts[rng.int(layouts.count)])
        }
    }

    @Test func civilDates() {
        for days in stride(from: -800_000, to: 800_000, by: 997) {
            let (y, m, d) = CivilTime.civilFromDays(days)
            #expect(CivilTime.daysFromCivil(y, m, d) == days)
        }
        #expect(CivilTime.daysFromCivil(1970, 1, 1) == 0)
        #expect(CivilTime.daysFromCivil(2000, 3, 1) == 11_017)
    }
}
