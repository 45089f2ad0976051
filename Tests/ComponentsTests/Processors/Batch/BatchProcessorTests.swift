import Components
import Logging
import OTelModel
import OTelTestSupport
import PipelineCore
import Queueing
import Runtime
import Synchronization
import Telemetry
import Testing

/// The batch processor driven by a manual clock: size and time triggers, splitting, backpressure
/// when the next stage refuses, permanent errors counted, and shutdown flushing.
@Suite struct BatchProcessorTests {
    /// Records batches and can be told to refuse or reject them.
    final class Downstream: Consumer, Sendable {
        typealias Data = TracesData
        enum Mode { case accept, refuse, reject }
        let mode = Mutex(Mode.accept)
        let batches = Mutex<[Int]>([])
        let stream: AsyncStream<Int>
        let continuation: AsyncStream<Int>.Continuation

        init() { (stream, continuation) = AsyncStream<Int>.makeStream() }

        func consume(_ data: TracesData) async throws {
            switch mode.withLock({ $0 }) {
            case .refuse: throw ConsumerError.refused("queue full")
            case .reject: throw ConsumerError.permanent("bad data")
            case .accept:
                batches.withLock { $0.append(data.itemCount) }
                continuation.yield(data.itemCount)
            }
        }

        var received: [Int] { batches.withLock { $0 } }
    }

    static func spans(_ n: Int) -> TracesData {
        var ss = ScopeSpans()
        for i in 0..<n {
            var s = Span()
            s.spanID = SpanID(UInt64(i + 1))
            ss.spans.append(s)
        }
        return TracesData(resourceSpans: [ResourceSpans(resource: Resource(attributes: [KeyValue("service.name", "svc")]), scopeSpans: [ss])])
    }

    func make(size: Int, max: Int = 0, timeout: Duration = .milliseconds(200), waitForDelivery: Bool = false) async throws -> (BatchProcessor<TracesData, ManualClock>, Downstream, ManualClock, SelfTelemetry) {
        var config = BatchConfig()
        config.sendBatchSize = size
        config.sendBatchMaxSize = max
        config.timeout = timeout
        let clock = ManualClock()
        let next = Downstream()
        let telemetry = SelfTelemetry(version: "test")
        let p = BatchProcessor<TracesData, ManualClock>(id: ComponentID(type: "batch"), config: config, next: next, clock: clock,
                                                         telemetry: telemetry, logger: Logger(label: "test"), waitForDelivery: waitForDelivery)
        try await p.start()
        await clock.waitForSleepers()
        return (p, next, clock, telemetry)
    }

    @Test func sendsWhenSizeIsReached() async throws {
        let (p, next, _, telemetry) = try await make(size: 10)
        try await p.consume(Self.spans(4))
        #expect(next.received.isEmpty)
        try await p.consume(Self.spans(7))
        #expect(next.received == [11])
        let text = String(decoding: telemetry.render(), as: UTF8.self)
        #expect(PrometheusText.value(in: text, name: "otelsw_processor_batch_batch_size_trigger_send_total", labels: [:]) == 1)
        await p.shutdown()
    }

    @Test func splitsAtMaxSizeAndSendsTheRestOnTimeout() async throws {
        let (p, next, clock, _) = try await make(size: 10, max: 10)
        try await p.consume(Self.spans(25))
        #expect(next.received == [10, 10])
        clock.advance(by: .milliseconds(199))
        #expect(next.received == [10, 10])
        clock.advance(by: .milliseconds(1))
        var arrivals = next.stream.makeAsyncIterator()
        _ = await arrivals.next()
        _ = await arrivals.next()
        #expect(await arrivals.next() == 5)
        #expect(next.received == [10, 10, 5])
        await p.shutdown()
    }

    @Test func refusalHoldsTheBatchAndPushesBack() async throws {
        let (p, next, clock, _) = try await make(size: 5)
        next.mode.withLock { $0 = .refuse }
        try await p.consume(Self.spans(5))  // accepted: held here, not lost
        #expect(next.received.isEmpty)
        await #expect(throws: ConsumerError.self) { try await p.consume(Self.spans(1)) }
        #expect(await p.heldItems == 5)

        next.mode.withLock { $0 = .accept }
        clock.advance(by: .milliseconds(200))
        var arrivals = next.stream.makeAsyncIterator()
        #expect(await arrivals.next() == 5)
        try await p.consume(Self.spans(5))
        #expect(next.received == [5, 5])
        #expect(await p.heldItems == 0)
        await p.shutdown()
    }

    @Test func permanentErrorIsCountedAsDropped() async throws {
        let (p, next, _, telemetry) = try await make(size: 3)
        next.mode.withLock { $0 = .reject }
        try await p.consume(Self.spans(3))
        let text = String(decoding: telemetry.render(), as: UTF8.self)
        #expect(PrometheusText.value(in: text, name: "otelsw_processor_dropped_spans_total", labels: ["reason": "permanent_error"]) == 3)
        #expect(await p.heldItems == 0)
        await p.shutdown()
    }

    @Test func shutdownFlushesWhatIsPending() async throws {
        let (p, next, _, _) = try await make(size: 100)
        try await p.consume(Self.spans(7))
        #expect(next.received.isEmpty)
        await p.shutdown()
        #expect(next.received == [7])
        await #expect(throws: ConsumerError.self) { try await p.consume(Self.spans(1)) }
    }

    @Test func withWaitForDeliveryDataIsHandedOnAtOnceWithTheNextStagesAnswer() async throws {
        let (p, next, _, _) = try await make(size: 100, waitForDelivery: true)
        try await p.consume(Self.spans(3))
        #expect(next.received == [3], "taken by the next stage before the caller is answered")
        next.mode.withLock { $0 = .refuse }
        await #expect(throws: ConsumerError.self) { try await p.consume(Self.spans(2)) }
        #expect(await p.heldItems == 0, "a refusal is the caller's to retry; nothing is kept here")
        await p.shutdown()
    }
}
