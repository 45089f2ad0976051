@testable import Components
import OTelTestSupport
import Testing

/// The debug exporter's sampling on a driven clock: the first `initial` requests of each second,
/// then every `thereafter`-th.
@Suite struct LogSamplingTests {
    static func admitted(_ sampling: LogSampling<ManualClock>, _ n: Int) -> [Bool] {
        (0..<n).map { _ in sampling.admit() }
    }

    @Test func firstThenEveryNth() {
        let clock = ManualClock()
        let sampling = LogSampling(initial: 2, thereafter: 3, clock: clock)
        #expect(Self.admitted(sampling, 9) == [true, true, false, false, true, false, false, true, false])
        clock.advance(by: .milliseconds(999))
        #expect(sampling.admit() == false, "still the same second")
        clock.advance(by: .milliseconds(1))
        #expect(Self.admitted(sampling, 3) == [true, true, false], "a new second starts over")
    }

    @Test func theCollectorsDefaultsLogEverything() {
        let sampling = LogSampling(initial: 2, thereafter: 1, clock: ManualClock())
        #expect(Self.admitted(sampling, 50).allSatisfy { $0 })
    }

    @Test func zeroThereafterStopsAfterTheFirst() {
        let sampling = LogSampling(initial: 1, thereafter: 0, clock: ManualClock())
        #expect(Self.admitted(sampling, 4) == [true, false, false, false])
    }
}
