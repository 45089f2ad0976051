import Testing

@testable import PromTranslation

/// The UCUM → Prometheus table of the spec and the reference sheet, written out independently of the source.
let specMainUnits: [(ucum: String, word: String)] = [
    ("d", "days"), ("h", "hours"), ("min", "minutes"), ("s", "seconds"), ("ms", "milliseconds"),
    ("us", "microseconds"), ("ns", "nanoseconds"),
    ("By", "bytes"), ("KiBy", "kibibytes"), ("MiBy", "mebibytes"), ("GiBy", "gibibytes"), ("TiBy", "tebibytes"),
    ("kBy", "kilobytes"), ("MBy", "megabytes"), ("GBy", "gigabytes"), ("TBy", "terabytes"),
    ("m", "meters"), ("V", "volts"), ("A", "amperes"), ("J", "joules"), ("W", "watts"), ("g", "grams"),
    ("Cel", "celsius"), ("Hz", "hertz"), ("%", "percent"),
]

let specPerUnits: [(ucum: String, word: String)] = [
    ("s", "second"), ("m", "minute"), ("h", "hour"), ("d", "day"), ("w", "week"), ("mo", "month"), ("y", "year"),
]

@Suite struct UnitWordTests {
    @Test(arguments: specMainUnits)
    func mainUnit(_ entry: (ucum: String, word: String)) {
        for kind in PromMetricKind.allCases {
            #expect(PromNaming.unitWord(entry.ucum, kind: kind) == entry.word)
        }
    }

    @Test(arguments: specPerUnits)
    func perUnit(_ entry: (ucum: String, word: String)) {
        #expect(PromNaming.unitWord("By/" + entry.ucum, kind: .gauge) == "bytes_per_" + entry.word)
        #expect(PromNaming.unitWord("1/" + entry.ucum, kind: .gauge) == "per_" + entry.word)
        #expect(PromNaming.unitWord("{event}/" + entry.ucum, kind: .counter) == "per_" + entry.word)
        #expect(PromNaming.unitWord("/" + entry.ucum, kind: .counter) == "per_" + entry.word)
    }

    @Test func everyMainUnitCombinesWithEveryPerUnit() {
        for main in specMainUnits {
            for per in specPerUnits {
                #expect(
                    PromNaming.unitWord(main.ucum + "/" + per.ucum, kind: .gauge) == main.word + "_per_" + per.word)
            }
        }
    }

    @Test(arguments: [
        // rates
        ("By/s", PromMetricKind.gauge, "bytes_per_second"),
        ("{packet}/s", .counter, "per_second"),
        ("1/s", .gauge, "per_second"),
        ("m/s", .gauge, "meters_per_second"),
        ("m/m", .gauge, "meters_per_minute"),
        ("By / s", .gauge, "bytes_per_second"),
        ("By/ms", .gauge, "bytes_per_ms"),
        ("{req}/min", .gauge, "per_min"),
        ("widgets/s", .gauge, "widgets_per_second"),
        ("By/{tick}", .gauge, "bytes"),
        ("a/b/c", .gauge, "a_per_b_c"),
        // "1"
        ("1", .gauge, "ratio"),
        (" 1 ", .gauge, "ratio"),
        ("1{fraction}", .gauge, "ratio"),
        // braces elsewhere
        ("By{read}", .counter, "bytes"),
        ("{packet}s", .counter, "seconds"),
        // unknown units, sanitised
        ("packets", .counter, "packets"),
        ("req.s", .gauge, "req_s"),
        ("foo:bar", .gauge, "foo_bar"),
        ("__x__", .gauge, "x"),
        ("Mbit", .gauge, "Mbit"),
        ("µs", .gauge, "s"),
        ("m²", .gauge, "m"),
        (" Cel ", .gauge, "celsius"),
        ("}", .gauge, nil),
    ] as [(String, PromMetricKind, String?)])
    func composed(_ unit: String, _ kind: PromMetricKind, _ expected: String?) {
        #expect(PromNaming.unitWord(unit, kind: kind) == expected)
    }

    @Test(arguments: PromMetricKind.allCases.filter { $0 != .gauge })
    func oneIsNoUnitExceptForGauges(_ kind: PromMetricKind) {
        #expect(PromNaming.unitWord("1", kind: kind) == nil)
    }

    @Test(arguments: ["", " ", "{request}", "{packet}", " {a} {b} ", "{unclosed", "{}", "{a}/{b}", "1/{x}", "°"])
    func noWord(_ unit: String) {
        for kind in PromMetricKind.allCases {
            #expect(PromNaming.unitWord(unit, kind: kind) == nil)
        }
    }
}
