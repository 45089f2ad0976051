import OTelTestSupport
import PromExposition
import Testing

@Suite("Number parsing")
struct NumberParsingTests {
    private func value(_ text: String) throws -> Double {
        try parse("a \(text)\n", .prometheusText).samples[0].value
    }

    /// Random decimal strings parse to exactly the double the standard library's correctly
    /// rounded conversion produces; overflows are rejected.
    @Test func decimalsMatchCorrectRounding() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            var text = Bool.random(using: &random) ? "-" : (Bool.random(using: &random) ? "+" : "")
            let digits = Int.random(in: 1...24, using: &random)
            let dot = Int.random(in: -1...digits, using: &random)
            for index in 0..<digits {
                if index == dot { text += "." }
                text += String(Int.random(in: 0...9, using: &random))
            }
            if dot == digits { text += "." }
            if Bool.random(using: &random) {
                text += (Bool.random(using: &random) ? "e" : "E") + String(Int.random(in: -340...320, using: &random))
            }
            let expected = Double(text)!
            if expected.isInfinite {
                #expect(throws: ExpositionError.self, "\(text)") { try value(text) }
            } else {
                let parsed = try value(text)
                #expect(parsed.bitPattern == expected.bitPattern, "\(text): \(parsed) != \(expected)")
            }
        }
    }

    @Test func specialsAreCaseInsensitive() throws {
        for text in ["inf", "+Inf", "INF", "infinity", "+INFINITY", "iNfInItY"] {
            #expect(try value(text) == .infinity, "\(text)")
        }
        for text in ["-inf", "-Inf", "-Infinity"] {
            #expect(try value(text) == -.infinity, "\(text)")
        }
        for text in ["nan", "NaN", "NAN", "nAn"] {
            #expect(try value(text).isNaN, "\(text)")
        }
        for text in [
            "+nan", "-NaN", "infinit", "in", "nanx", "Inf1", "0x10", "1_0", "1p3", ".", "+", "-.e1", "1e+", "1..2", "١",
        ] {
            #expect(throws: ExpositionError.self, "\(text)") { try value(text) }
        }
    }

    @Test func prometheusTimestampsAreIntegerMilliseconds() throws {
        let exposition = try parse("a 1 9223372036854775807\nb 1 0\nc 1 0001\n", .prometheusText)
        #expect(exposition.samples.map(\.timestampMs) == [Int64.max, 0, 1])
        #expect(parseError(Array("a 1 9223372036854775808\n".utf8), .prometheusText) != nil)
        #expect(parseError(Array("a 1 +5\n".utf8), .prometheusText) != nil)
    }

    @Test func openMetricsTimestampsConvertExactly() throws {
        let cases: [(String, Int64)] = [
            ("0", 0), ("1", 1000), ("1.0005", 1000), ("-1.0005", -1000), ("123.456", 123_456),
            ("1e-3", 1), ("9.999e-4", 0), ("1.5E+2", 150_000), ("1604676851.123456789", 1_604_676_851_123),
            ("0.1", 100), ("0.7", 700), ("1520879607.789", 1_520_879_607_789), ("9223372036854775.807", Int64.max),
        ]
        for (text, milliseconds) in cases {
            let exposition = try parse("a 1 \(text)\n# EOF\n", .openMetrics)
            #expect(exposition.samples[0].timestampMs == milliseconds, "\(text)")
        }
        for text in ["9223372036854775.808", "inf", "nan", "-Inf", "1,5", "0x1"] {
            #expect(parseError(Array("a 1 \(text)\n# EOF\n".utf8), .openMetrics) != nil, "\(text)")
        }
    }
}
