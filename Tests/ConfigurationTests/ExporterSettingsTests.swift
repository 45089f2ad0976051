import Configuration
import PipelineCore
import Testing

/// `sending_queue`: the Collector's field names with otelsw's defaults (10 consumers, 100 000 items,
/// dropping on overflow, in memory); the default size follows the sizer; bad values are errors at
/// the value and fall back to the defaults.
@Suite struct QueueSettingsTests {
    @Test func defaults() throws {
        let q = QueueSettings()
        #expect(q.enabled && !q.blockOnOverflow)
        #expect(q.numConsumers == 10 && q.queueSize == 100_000 && q.sizer == .items)
        #expect(q.storage == nil && q.storageLocation == nil)
        #expect(QueueSettings(reading: nil) == q)

        let doc = YAMLDocument("sending_queue:\n")
        let root = try #require(doc.reader())
        #expect(QueueSettings(reading: root.section("sending_queue")) == q)
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func everyField() throws {
        let doc = YAMLDocument("""
            sending_queue:
              enabled: false
              num_consumers: 4
              sizer: requests
              block_on_overflow: true
              storage: file_storage/wal
            """)
        let root = try #require(doc.reader())
        let q = QueueSettings(reading: root.section("sending_queue"))
        #expect(!q.enabled && q.blockOnOverflow)
        #expect(q.numConsumers == 4)
        #expect(q.sizer == .requests && q.queueSize == 1000, "the requests sizer defaults to 1000 requests")
        #expect(q.storage == ComponentID(type: "file_storage", name: "wal"))
        #expect(q.storageLocation.map { "\($0.line):\($0.column)" } == "6:12")
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func theBytesSizerDefaultsTo256MiB() throws {
        let doc = YAMLDocument("a:\n  sizer: bytes\nb:\n  sizer: bytes\n  queue_size: 1000\n")
        let root = try #require(doc.reader())
        #expect(QueueSettings(reading: root.section("a")).queueSize == 256 << 20)
        #expect(QueueSettings(reading: root.section("b")).queueSize == 1000)
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func invalidValuesAreErrorsAndFallBack() throws {
        let doc = YAMLDocument("""
            sending_queue:
              num_consumers: 0
              queue_size: 0
              sizer: pages
              storage: "file_storage/"
              queue_sise: 5
            """)
        let root = try #require(doc.reader())
        let q = QueueSettings(reading: root.section("sending_queue"))
        #expect(q.numConsumers == 10 && q.sizer == .items && q.queueSize == 100_000 && q.storage == nil)
        #expect(doc.diagnostics == [
            "2:18: 'num_consumers' must be at least 1, got 0",
            "4:10: 'sizer' must be one of requests, items, bytes, got 'pages'",
            "3:15: 'queue_size' must be at least 1, got 0",
            "5:12: invalid component id 'file_storage/': the name after '/' must be non-empty, without spaces or '/'",
            "6:3: unknown key 'queue_sise' in sending_queue "
                + "(valid keys: block_on_overflow, enabled, num_consumers, queue_size, sizer, storage)",
        ])
    }

    @Test func tooManyConsumers() throws {
        let doc = YAMLDocument("q:\n  num_consumers: 2000\n")
        let root = try #require(doc.reader())
        #expect(QueueSettings(reading: root.section("q")).numConsumers == 10)
        #expect(doc.diagnostics == ["2:18: 'num_consumers' must be at most 1024, got 2000"])
    }
}

/// `retry_on_failure`: the Collector's field names and defaults (5s growing by 1.5 up to 30s, for at
/// most 5 minutes, ±50% jitter); inconsistent intervals are errors; the backoff grows geometrically
/// from the initial interval and stops growing at the maximum.
@Suite struct RetrySettingsTests {
    @Test func defaults() throws {
        let r = RetrySettings()
        #expect(r.enabled)
        #expect(r.initialInterval == .seconds(5) && r.maxInterval == .seconds(30) && r.maxElapsedTime == .seconds(300))
        #expect(r.multiplier == 1.5 && r.randomizationFactor == 0.5)
        #expect(RetrySettings(reading: nil) == r)

        let doc = YAMLDocument("retry_on_failure:\n")
        let root = try #require(doc.reader())
        #expect(RetrySettings(reading: root.section("retry_on_failure")) == r)
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func everyField() throws {
        let doc = YAMLDocument("""
            retry_on_failure:
              enabled: false
              initial_interval: 1s
              max_interval: 10s
              max_elapsed_time: 0
              multiplier: 2
              randomization_factor: 0
            """)
        let root = try #require(doc.reader())
        let r = RetrySettings(reading: root.section("retry_on_failure"))
        #expect(!r.enabled)
        #expect(r.initialInterval == .seconds(1) && r.maxInterval == .seconds(10) && r.maxElapsedTime == .zero)
        #expect(r.multiplier == 2 && r.randomizationFactor == 0)
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func maxIntervalBelowInitialInterval() throws {
        let doc = YAMLDocument("retry_on_failure:\n  max_interval: 1s\n")
        let root = try #require(doc.reader())
        _ = RetrySettings(reading: root.section("retry_on_failure"))
        #expect(doc.diagnostics == ["2:17: 'max_interval' must not be less than 'initial_interval'"])
    }

    @Test func invalidValuesAreErrors() throws {
        let doc = YAMLDocument("""
            retry_on_failure:
              initial_interval: 0
              multiplier: 0.5
              randomization_factor: 1.5
              max_elapsed: 1m
            """)
        let root = try #require(doc.reader())
        let r = RetrySettings(reading: root.section("retry_on_failure"))
        #expect(r.multiplier == 1.5 && r.randomizationFactor == 0.5)
        #expect(doc.diagnostics == [
            "3:15: 'multiplier' must be at least 1.0, got 0.5",
            "4:25: 'randomization_factor' must be at most 1.0, got 1.5",
            "2:21: 'initial_interval' must be positive",
            "5:3: unknown key 'max_elapsed' in retry_on_failure "
                + "(valid keys: enabled, initial_interval, max_elapsed_time, max_interval, multiplier, randomization_factor)",
        ])
    }

    /// With `random` at 0.5 the jitter is zero: 5s × 1.5ⁿ, capped at 30s.
    @Test func backoffGrowsByTheMultiplierUpToTheMaximum() {
        let r = RetrySettings()
        let delays = (1...8).map { r.backoff(attempt: $0, random: 0.5) }
        #expect(delays == [
            .seconds(5), .milliseconds(7500), .milliseconds(11_250), .milliseconds(16_875), .microseconds(25_312_500),
            .seconds(30), .seconds(30), .seconds(30),
        ])
        #expect(r.backoff(attempt: 0, random: 0.5) == .seconds(5), "attempts count from 1")
    }

    @Test func backoffWithOtherSettings() {
        var r = RetrySettings()
        r.initialInterval = .seconds(1)
        r.maxInterval = .seconds(10)
        r.multiplier = 2
        #expect((1...6).map { r.backoff(attempt: $0, random: 0.5) } == [1, 2, 4, 8, 10, 10].map { Duration.seconds($0) })
    }

    /// The jitter spreads the delay over base × (1 ± randomization_factor).
    @Test func jitterIsProportionalToTheBase() {
        let r = RetrySettings()
        #expect(r.backoff(attempt: 1, random: 0) == .milliseconds(2500))
        #expect(r.backoff(attempt: 1, random: 0.75) == .milliseconds(6250))
        #expect(r.backoff(attempt: 2, random: 0) == .milliseconds(3750))
        var fixed = r
        fixed.randomizationFactor = 0
        #expect(fixed.backoff(attempt: 1, random: 0) == .seconds(5))
    }
}
