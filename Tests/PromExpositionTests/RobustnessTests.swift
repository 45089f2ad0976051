import OTelTestSupport
import PromExposition
import Testing

/// A valid OpenMetrics exposition that exercises every construct, and its Prometheus text twin.
let richOpenMetrics = #"""
    # TYPE acme_http_router_request_seconds summary
    # UNIT acme_http_router_request_seconds seconds
    # HELP acme_http_router_request_seconds Latency \"through\" the router.\nSecond line \\ end.
    acme_http_router_request_seconds{path="/api/v1",quantile="0.5"} 0.25
    acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
    acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
    acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
    # TYPE requests counter
    # HELP requests Requests with "odd" labels.
    requests_total{path="a\"b\\c\nd",unicode="ü日本",empty=""} 17 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67 1520879607.789
    requests_created{path="a\"b\\c\nd",unicode="ü日本",empty=""} 1520430000.123
    # TYPE latency_seconds histogram
    # UNIT latency_seconds seconds
    latency_seconds_bucket{le="0.1"} 8 # {id="a"} 0.054
    latency_seconds_bucket{le="1.0"} 10
    latency_seconds_bucket{le="+Inf"} 17 # {id="b"} 3.2 1520879608
    latency_seconds_count 17
    latency_seconds_sum 324789.3
    # TYPE queue gaugehistogram
    queue_bucket{le="+Inf"} 5
    queue_gcount 5
    queue_gsum 2.5
    # TYPE build info
    build_info{version="1.2.3"} 1
    # TYPE state stateset
    state{state="a"} 0
    state{state="b"} 1
    # TYPE temperature_celsius gauge
    # UNIT temperature_celsius celsius
    temperature_celsius NaN
    temperature_celsius{room="x"} -Inf -1.5
    # EOF

    """#

let richPrometheusText = #"""
    # HELP requests_total Requests with "odd" labels.\nSecond line.
    # TYPE requests_total counter
    requests_total{path="a\"b\\c\nd",unicode="ü日本",empty=""} 17 1520879607789
    requests_total { path = "x" , } 18
    # TYPE latency_seconds histogram
    latency_seconds_bucket{le="0.1"} 8
    latency_seconds_bucket{le="+Inf"} 17
    latency_seconds_count 17
    latency_seconds_sum 324789.3
    # TYPE rpc summary
    rpc{quantile="0.5"} NaN
    rpc_sum	1.5e3
    rpc_count 3
    # a comment
    untyped_metric{a="1"} -Inf

    """#

@Suite("Robustness")
struct RobustnessTests {
    @Test func richFixturesAreValid() throws {
        let openMetrics = try parse(richOpenMetrics, .openMetrics)
        #expect(openMetrics.samples.count == 19)
        #expect(openMetrics.families.count == 7)
        let text = try parse(richPrometheusText, .prometheusText)
        #expect(text.samples.count == 10)
        #expect(text.families.map(\.type) == [.counter, .histogram, .summary, .unknown])
    }

    /// Every strict prefix of a valid OpenMetrics exposition (short of `# EOF` itself) is rejected,
    /// with a line number inside the prefix (or one past it).
    @Test func everyOpenMetricsTruncationFails() throws {
        let bytes = Array(richOpenMetrics.utf8)
        for length in 0..<bytes.count - 1 {
            let prefix = Array(bytes[..<length])
            let lines = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let error = parseError(prefix, .openMetrics)
            #expect(error != nil, "prefix of \(length) bytes was accepted")
            if let error {
                #expect((1...lines + 1).contains(error.line), "prefix \(length): \(error)")
            }
        }
        #expect(parseError(Array(bytes[..<(bytes.count - 1)]), .openMetrics) == nil)
        #expect(parseError(bytes, .openMetrics) == nil)
    }

    /// Prefixes of a Prometheus text exposition either parse or fail cleanly.
    @Test func everyPrometheusTextTruncationIsHandled() {
        let bytes = Array(richPrometheusText.utf8)
        for length in 0...bytes.count {
            let prefix = Array(bytes[..<length])
            if let error = parseError(prefix, .prometheusText) {
                let lines = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
                #expect((1...lines).contains(error.line), "prefix \(length): \(error)")
            }
        }
    }

    /// 2,000 random byte mutations of each valid exposition never trap; errors point at a real line
    /// and accepted results are internally consistent.
    @Test(arguments: [ExpositionFormat.openMetrics, .prometheusText])
    func randomMutationsNeverTrap(_ format: ExpositionFormat) {
        let original = Array((format == .openMetrics ? richOpenMetrics : richPrometheusText).utf8)
        let interesting: [UInt8] =
            Array(" \t\n\r\"\\{}=,#_:.-+eE0123456789aINnf".utf8) + [0x00, 0x80, 0xBF, 0xC3, 0xE6, 0xED, 0xF4, 0xFF]
        var random = SplitMix64(seed: format == .openMetrics ? 0x5EED : 0xF00D)
        var accepted = 0
        for _ in 0..<2_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<max(bytes.count, 1), using: &random)
                let byte =
                    Bool.random(using: &random)
                    ? interesting.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0 where !bytes.isEmpty: bytes[position] = byte
                case 1: bytes.insert(byte, at: min(position, bytes.count))
                case 2 where !bytes.isEmpty: bytes.remove(at: position)
                case 3 where !bytes.isEmpty:
                    let end = min(bytes.count, position + Int.random(in: 1...40, using: &random))
                    bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &random))
                default: bytes.removeSubrange(min(position, bytes.count)...)
                }
            }
            let lines = bytes.filter { $0 == UInt8(ascii: "\n") }.count + 1
            do {
                let exposition = try parse(bytes, format)
                accepted += 1
                for sample in exposition.samples {
                    #expect(exposition.families.indices.contains(sample.family))
                }
            } catch {
                #expect((1...lines + 1).contains(error.line), "\(error)")
            }
        }
        #expect(accepted < 2_000)
    }
}

/// Label sets of any size: duplicates are found among the first labels and among the rest, and a
/// sample line with hundreds of thousands of labels is checked in one pass (it was quadratic).
@Suite(.timeLimit(.minutes(1))) struct LargeLabelSetTests {
    static func line(labels n: Int, duplicate: (Int, Int)? = nil) -> String {
        var names = (0..<n).map { "l\($0)" }
        if let (a, b) = duplicate { names[b] = names[a] }
        return "m{" + names.map { "\($0)=\"v\"" }.joined(separator: ",") + "} 1\n"
    }

    @Test func duplicatesAreFoundWhereverTheyAre() {
        for (n, dup) in [(10, (2, 7)), (40, (3, 39)), (40, (35, 38)), (500, (0, 499)), (500, (250, 251))] {
            let error = parseError(Array(Self.line(labels: n, duplicate: dup).utf8), .prometheusText)
            #expect(error?.description.contains("duplicate label name") == true, "\(n) labels, \(dup): \(String(describing: error))")
        }
        #expect(parseError(Array(Self.line(labels: 500).utf8), .prometheusText) == nil)
    }

    @Test func aHugeLabelSetParses() throws {
        let text = Self.line(labels: 300_000)
        let exposition = try parse(text, .prometheusText)
        #expect(exposition.samples.first?.labels.count == 300_000)
    }
}
