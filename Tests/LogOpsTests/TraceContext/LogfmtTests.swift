import Testing
@testable import LogOps
import OTelModel

@Suite struct LogfmtTests {
    func pairs(_ text: String) -> [(String, String?)] {
        Logfmt.parse(text).map { ($0.key.string, $0.value?.string) }
    }

    @Test func basic() {
        let p = pairs(#"level=info msg="hello \"world\"" dur=1.5ms bare empty= path=/a/b=c"#)
        #expect(p.map(\.0) == ["level", "msg", "dur", "bare", "empty", "path"])
        #expect(p.map(\.1) == ["info", "hello \"world\"", "1.5ms", nil, "", "/a/b=c"])
    }

    @Test func escapesInQuotedValues() {
        let p = pairs(#"a="x\ny\tz\\" b="\u00e9\u263A" c="keep \q" d="\ud800""#)
        #expect(p.map(\.1) == ["x\ny\tz\\", "é☺", "keep \\q", "\u{FFFD}"])
    }

    @Test func unterminatedQuoteTakesTheRest() {
        #expect(pairs(#"a="never closed b=1"#).map(\.1) == ["never closed b=1"])
    }

    @Test func garbageIsSkipped() {
        #expect(pairs(#"=x "y" k=v"#).map(\.0) == ["k"])
        #expect(pairs("").isEmpty)
        #expect(pairs("   \t\n").isEmpty)
        #expect(pairs("k\"x\" j=1").map(\.0) == ["k", "j"])
    }

    @Test func randomBytesNeverCrash() {
        var rng = TestRandom(seed: 7)
        for _ in 0..<20_000 {
            let bytes = (0..<rng.int(48)).map { _ in rng.int(4) == 0 ? rng.byte() : Array(#"a=" \\u"#.utf8)[rng.int(6)] }
            _ = bytes.withUnsafeBytes { Logfmt.parse($0) }
        }
    }
}
