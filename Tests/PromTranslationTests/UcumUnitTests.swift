import Testing

@testable import PromTranslation

@Suite struct UcumUnitTests {
    @Test(arguments: specMainUnits)
    func mainWord(_ entry: (ucum: String, word: String)) {
        #expect(PromNaming.ucumUnit(entry.word) == entry.ucum)
    }

    @Test(arguments: specPerUnits)
    func perWord(_ entry: (ucum: String, word: String)) {
        #expect(PromNaming.ucumUnit("bytes_per_" + entry.word) == "By/" + entry.ucum)
        #expect(PromNaming.ucumUnit("per_" + entry.word) == "1/" + entry.ucum)
    }

    @Test func everyRateRoundTrips() {
        for main in specMainUnits {
            for per in specPerUnits {
                let word = PromNaming.unitWord(main.ucum + "/" + per.ucum, kind: .gauge)
                #expect(word.map(PromNaming.ucumUnit) == main.ucum + "/" + per.ucum)
            }
        }
    }

    @Test(arguments: [
        ("ratio", "1"),
        ("percent", "%"),
        ("tibibytes", "TiBy"),
        ("bytes_per_second", "By/s"),
        ("meters_per_second", "m/s"),
        ("widgets_per_second", "widgets/s"),
        ("bytes_per_fortnight", "By/fortnight"),
        ("bytes_per_seconds", "By/s"),
        ("ratio_per_second", "1/s"),
        ("widgets", "widgets"),
        ("Seconds", "Seconds"),
        ("per", "per"),
        ("bytes_per", "bytes_per"),
        ("super_second", "super_second"),
        ("", ""),
    ])
    func word(_ word: String, _ expected: String) {
        #expect(PromNaming.ucumUnit(word) == expected)
    }
}
