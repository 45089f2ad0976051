import Foundation
import OTelModel

/// Times decode and encode of one request on one core and reports items per second.
struct CodecBenchmark {
    var label: String
    var items: Int
    var bytes: [UInt8]

    struct Result {
        var label: String
        var itemsPerSecond: Double
        var nanosPerItem: Double
    }

    /// Runs `body` repeatedly for about `seconds` of CPU time and returns items/s.
    static func measure(_ label: String, items: Int, seconds: Double = 2, _ body: () -> Void) -> Result {
        for _ in 0..<5 { body() }
        var iterations = 0
        let start = cpuSeconds()
        var elapsed = 0.0
        while elapsed < seconds {
            for _ in 0..<10 { body() }
            iterations += 10
            elapsed = cpuSeconds() - start
        }
        let rate = Double(iterations * items) / elapsed
        return Result(label: label, itemsPerSecond: rate, nanosPerItem: 1e9 / rate)
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

@inline(never) func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }
