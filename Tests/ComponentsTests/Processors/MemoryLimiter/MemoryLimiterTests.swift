@testable import Components
import Logging
import OTelModel
import OTelTestSupport
import PipelineCore
import Synchronization
import Telemetry
import Testing

/// The limiter on a fake memory source and a manual clock: when it refuses, what it counts, when it
/// trims, and the limits it derives from the config.
@Suite(.timeLimit(.minutes(1))) struct MemoryLimiterTests {
    static let mib: UInt64 = 1 << 20

    static func config(_ yaml: String) throws -> MemoryLimiterConfig {
        try AttributesTesting.reader(yaml) { MemoryLimiterConfig(reading: $0) }
    }

    final class Tally: Sendable {
        let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
    }

    /// A limiter on `memory`, with a processor in front of a consumer that counts what it gets.
    struct Fixture {
        let memory: FakeMemory
        let clock = ManualClock()
        let telemetry = SelfTelemetry(version: "test")
        let limiter: MemoryLimiter<ManualClock>
        let processor: MemoryLimiterProcessor<TracesData, ManualClock>
        let passed = Tally()

        init(_ yaml: String, memory: FakeMemory = FakeMemory()) throws {
            self.memory = memory
            let id = ComponentID(type: "memory_limiter")
            limiter = try MemoryLimiter(id: id, config: try MemoryLimiterTests.config(yaml), source: memory, clock: clock,
                                        telemetry: telemetry, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            let passed = passed
            processor = MemoryLimiterProcessor(
                limiter: limiter, next: ClosureConsumer<TracesData> { data in passed.count.withLock { $0 += data.itemCount } },
                refused: telemetry.processorRefused(id, signal: .traces, reason: "memory_limit"))
        }

        /// Sends `spans` spans; true when they were taken.
        func send(_ spans: Int) async throws -> Bool {
            do {
                try await processor.consume(sampleTraces(spans: spans))
                return true
            } catch let error as ConsumerError {
                #expect(error.isRetryable && error.refusalReason == "memory_limit")
                return false
            }
        }

        func metric(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            PrometheusText.value(in: String(decoding: telemetry.render(), as: UTF8.self), name: name, labels: labels)
        }
    }

    @Test func refusesAtTheSoftLimitAndAcceptsBelowIt() async throws {
        // hard 100 MiB, soft 80 MiB.
        let f = try Fixture("check_interval: 1s\nlimit_mib: 100\nspike_limit_mib: 20\nmin_gc_interval_when_soft_limited: 0s")
        #expect(f.limiter.limits == MemoryLimits(hard: 100 * Self.mib, soft: 80 * Self.mib))

        f.memory.set(usedMiB: 79)
        f.limiter.check()
        #expect(try await f.send(3))

        f.memory.set(usedMiB: 80)
        f.limiter.check()
        #expect(try await !f.send(4))
        #expect(try await !f.send(5))
        #expect(f.metric("otelsw_processor_memory_limiter_refusing") == 1)

        f.memory.set(usedMiB: 60)
        f.limiter.check()
        #expect(try await f.send(6))

        #expect(f.passed.value == 9)
        #expect(f.metric("otelsw_processor_refused_spans_total", ["processor": "memory_limiter", "reason": "memory_limit"]) == 9)
        #expect(f.metric("otelsw_processor_memory_limiter_refusing_transitions_total") == 1)
        #expect(f.metric("otelsw_processor_memory_limiter_refusing") == 0)
        #expect(f.metric("otelsw_processor_memory_limiter_usage_bytes") == Double(60 * Self.mib))
        #expect(f.metric("otelsw_processor_memory_limiter_soft_limit_bytes") == Double(80 * Self.mib))
        #expect(f.metric("otelsw_processor_memory_limiter_hard_limit_bytes") == Double(100 * Self.mib))
    }

    @Test func spikeDefaultsToAFifthOfTheLimit() throws {
        let fixed = try Self.config("check_interval: 1s\nlimit_mib: 500")
        #expect(try fixed.limits { nil } == MemoryLimits(hard: 500 * Self.mib, soft: 400 * Self.mib))
    }

    @Test func percentagesAreOfTheTotalMemory() throws {
        let total: UInt64 = 4 << 30
        let c = try Self.config("check_interval: 1s\nlimit_percentage: 75\nspike_limit_percentage: 25")
        #expect(try c.limits { total } == MemoryLimits(hard: 3 << 30, soft: 2 << 30))

        let defaultSpike = try Self.config("check_interval: 1s\nlimit_percentage: 50")
        #expect(try defaultSpike.limits { total } == MemoryLimits(hard: 2 << 30, soft: (2 << 30) - (2 << 30) / 5))

        // No overflow for a total near the top of the range, and rounding down.
        #expect(MemoryLimiterConfig.percent(100, of: .max) == .max)
        #expect(MemoryLimiterConfig.percent(33, of: 1001) == 330)

        #expect(throws: ConsumerError.self) { try c.limits { nil } }
    }

    @Test func theLimiterUsesTheInjectedTotal() throws {
        let memory = FakeMemory()
        memory.state.withLock { $0.total = 1000 * Self.mib }
        let f = try Fixture("check_interval: 1s\nlimit_percentage: 50\nspike_limit_percentage: 10", memory: memory)
        #expect(f.limiter.limits == MemoryLimits(hard: 500 * Self.mib, soft: 400 * Self.mib))
    }

    @Test func aboveTheHardLimitEveryCheckTrims() throws {
        let f = try Fixture("check_interval: 1s\nlimit_mib: 100")
        f.memory.set(usedMiB: 120)
        f.limiter.check()
        f.limiter.check()
        #expect(f.memory.trims == 2)
        #expect(f.limiter.isRefusing)
        #expect(f.metric("otelsw_processor_memory_limiter_trims_total") == 2)
        #expect(f.metric("otelsw_processor_memory_limiter_refusing_transitions_total") == 1)
    }

    @Test func hardLimitTrimsKeepTheirMinimumInterval() throws {
        let f = try Fixture("check_interval: 1s\nlimit_mib: 100\nmin_gc_interval_when_hard_limited: 5s")
        f.memory.set(usedMiB: 120)
        f.limiter.check()
        f.clock.advance(by: .seconds(1))
        f.limiter.check()
        #expect(f.memory.trims == 1)
        f.clock.advance(by: .seconds(4))
        f.limiter.check()
        #expect(f.memory.trims == 2)
    }

    @Test func goingOverTheSoftLimitTrimsOnceAndATrimThatHelpsAvoidsRefusing() async throws {
        let f = try Fixture("check_interval: 1s\nlimit_mib: 100")
        f.memory.state.withLock { $0.usedAfterTrim = 50 * Self.mib }
        f.memory.set(usedMiB: 90)
        f.limiter.check()
        #expect(f.memory.trims == 1)
        #expect(!f.limiter.isRefusing)
        #expect(try await f.send(1))

        // Within min_gc_interval_when_soft_limited (10s) the next crossing refuses without a trim.
        f.memory.state.withLock { $0.usedAfterTrim = nil }
        f.clock.advance(by: .seconds(5))
        f.memory.set(usedMiB: 90)
        f.limiter.check()
        #expect(f.memory.trims == 1)
        #expect(f.limiter.isRefusing)

        // Staying over the soft limit (below the hard one) does not trim again.
        f.clock.advance(by: .seconds(20))
        f.limiter.check()
        #expect(f.memory.trims == 1)
        #expect(f.metric("otelsw_processor_memory_limiter_refusing_transitions_total") == 1)
    }

    @Test func checksRunEveryIntervalUntilTheLastUserStops() async throws {
        let f = try Fixture("check_interval: 2s\nlimit_mib: 100")
        f.limiter.start()
        f.limiter.start()  // a second pipeline sharing the limiter
        await f.clock.waitForSleepers(1)
        #expect(!f.limiter.isRefusing)

        f.memory.set(usedMiB: 95)
        f.clock.advance(by: .seconds(1))
        #expect(!f.limiter.isRefusing, "no check before the interval is over")
        f.clock.advance(by: .seconds(1))
        await f.clock.waitForSleepers(1)
        #expect(f.limiter.isRefusing)

        f.memory.set(usedMiB: 10)
        f.clock.advance(by: .seconds(2))
        await f.clock.waitForSleepers(1)
        #expect(!f.limiter.isRefusing)

        await f.limiter.stop()
        f.memory.set(usedMiB: 95)
        f.clock.advance(by: .seconds(2))
        await f.clock.waitForSleepers(1)
        #expect(f.limiter.isRefusing, "one pipeline still uses the limiter")
        await f.limiter.stop()
    }

    @Test func startChecksAtOnce() async throws {
        let f = try Fixture("check_interval: 1h\nlimit_mib: 100", memory: FakeMemory(usedMiB: 99))
        f.limiter.start()
        #expect(f.limiter.isRefusing)
        await f.limiter.stop()
    }
}
