import Configuration
import Logging
import OTelModel
import OTelTestSupport
import PipelineCore
@testable import Queueing
import Synchronization
import Telemetry
import Testing

/// The retry schedule of ``Delivery`` on a fake clock: back-off growth and cap, server-requested
/// delays, the elapsed-time budget, and permanent errors, with the loss ledger.
@Suite struct DeliveryTests {
    /// Fails with the scripted errors, then succeeds.
    final class ScriptedExporter: Exporter, Sendable {
        typealias Data = TracesData
        let script: Mutex<[ConsumerError]>
        let attempts = Mutex(0)
        init(_ errors: [ConsumerError]) { script = Mutex(errors) }
        func start() async throws {}
        func shutdown() async {}
        func export(_ data: TracesData) async throws {
            attempts.withLock { $0 += 1 }
            if let e = script.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw e }
        }
    }

    /// A clock that moves only when Delivery sleeps; records every requested delay.
    final class FakeTime: Sendable {
        let state = Mutex((now: ContinuousClock.now, delays: [Duration]()))
        var now: ContinuousClock.Instant { state.withLock { $0.now } }
        var delays: [Duration] { state.withLock { $0.delays } }
        func sleep(_ d: Duration) { state.withLock { $0.now += d; $0.delays.append(d) } }
    }

    static let data: TracesData = {
        var ss = ScopeSpans()
        ss.spans = [Span(), Span(), Span()]
        return TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ss])])
    }()

    func delivery(_ exporter: ScriptedExporter, _ retry: RetrySettings, _ time: FakeTime, _ telemetry: SelfTelemetry) -> Delivery<TracesData> {
        let id = ComponentID(type: "fake")
        var d = Delivery<TracesData>(id: id, exporter: exporter, retry: retry, counters: telemetry.exporter(id, signal: .traces), logger: Logger(label: "t"))
        d.sleep = { time.sleep($0) }
        d.now = { time.now }
        return d
    }

    func retry(initial: Int, max: Int, elapsed: Int, multiplier: Double = 2) -> RetrySettings {
        var r = RetrySettings()
        r.initialInterval = .seconds(initial)
        r.maxInterval = .seconds(max)
        r.maxElapsedTime = .seconds(elapsed)
        r.multiplier = multiplier
        r.randomizationFactor = 0
        return r
    }

    func ledger(_ telemetry: SelfTelemetry, _ reason: String) -> Double? {
        PrometheusText.value(in: String(decoding: telemetry.render(), as: UTF8.self), name: "otelsw_exporter_dropped_items_total", labels: ["reason": reason])
    }

    @Test func backOffGrowsToItsCapThenSucceeds() async throws {
        let exporter = ScriptedExporter(Array(repeating: .refused("busy", retryAfter: nil), count: 4))
        let time = FakeTime()
        let telemetry = SelfTelemetry(version: "t")
        try await delivery(exporter, retry(initial: 1, max: 3, elapsed: 0), time, telemetry).send(Self.data)
        #expect(time.delays == [.seconds(1), .seconds(2), .seconds(3), .seconds(3)])
        #expect(exporter.attempts.withLock { $0 } == 5)
    }

    @Test func aServerRequestedDelayIsHonoured() async throws {
        let exporter = ScriptedExporter([.refused("slow down", retryAfter: .seconds(10)), .refused("busy", retryAfter: .milliseconds(1))])
        let time = FakeTime()
        try await delivery(exporter, retry(initial: 1, max: 30, elapsed: 0), time, SelfTelemetry(version: "t")).send(Self.data)
        // The hint wins when longer than the back-off; a shorter hint does not shorten the back-off.
        #expect(time.delays == [.seconds(10), .seconds(2)])
    }

    @Test func theElapsedBudgetEndsRetriesAndCountsTheLoss() async throws {
        let exporter = ScriptedExporter(Array(repeating: .refused("down", retryAfter: nil), count: 100))
        let time = FakeTime()
        let telemetry = SelfTelemetry(version: "t")
        await #expect(throws: ConsumerError.self) {
            try await delivery(exporter, retry(initial: 1, max: 4, elapsed: 10), time, telemetry).send(Self.data)
        }
        // 1 + 2 + 4 = 7 s slept; the next 4 s would pass the 10 s budget.
        #expect(time.delays == [.seconds(1), .seconds(2), .seconds(4)])
        #expect(ledger(telemetry, "retries_exhausted") == 3)
    }

    @Test func permanentErrorsAreNotRetried() async throws {
        let exporter = ScriptedExporter([.permanent("HTTP 400")])
        let time = FakeTime()
        let telemetry = SelfTelemetry(version: "t")
        await #expect(throws: ConsumerError.self) {
            try await delivery(exporter, retry(initial: 1, max: 4, elapsed: 0), time, telemetry).send(Self.data)
        }
        #expect(time.delays.isEmpty)
        #expect(exporter.attempts.withLock { $0 } == 1)
        #expect(ledger(telemetry, "permanent_error") == 3)
    }

    @Test func jitterStaysWithinTheRandomizationFactor() {
        var r = RetrySettings()
        r.initialInterval = .seconds(4)
        r.randomizationFactor = 0.5
        #expect(r.backoff(attempt: 1, random: 0) == .seconds(2))
        #expect(r.backoff(attempt: 1, random: 0.5) == .seconds(4))
        #expect(r.backoff(attempt: 1, random: 0.999_999) < .seconds(6))
    }

    @Test func retryWarningsAreThrottledAndCountWhatTheyHeldBack() {
        let throttle = LogThrottle(interval: .seconds(10))
        let t0 = ContinuousClock.now
        #expect(throttle.admit(now: t0) == (true, 0))
        #expect(throttle.admit(now: t0 + .seconds(1)) == (false, 0))
        #expect(throttle.admit(now: t0 + .seconds(9)) == (false, 0))
        #expect(throttle.admit(now: t0 + .seconds(10)) == (true, 2))
        #expect(throttle.admit(now: t0 + .seconds(25)) == (true, 0))
    }
}
