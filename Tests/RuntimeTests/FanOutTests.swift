import Configuration
import Logging
import OTelModel
import OTelTestSupport
import PipelineCore
import PipelineTestSupport
import Queueing
import Runtime
import Synchronization
import Telemetry
import Testing

/// Fan-out to exporter queues: all-or-nothing reservation, and exporters without a queue.
@Suite struct FanOutTests {
    static func queue(_ name: String, _ exporter: FakeTracesExporter, size: Int = 10, enabled: Bool = true, block: Bool = false,
                      telemetry: SelfTelemetry = SelfTelemetry(version: "test")) -> ExporterQueue<TracesData> {
        var settings = QueueSettings()
        settings.blockOnOverflow = block
        settings.queueSize = size
        settings.numConsumers = 1
        settings.enabled = enabled
        var retry = RetrySettings()
        retry.enabled = false
        return ExporterQueue(id: ComponentID(type: "fake", name: name), exporter: exporter, settings: settings, retry: retry,
                             telemetry: telemetry, logger: Logger(label: "test"), drainTimeout: .seconds(1))
    }

    @Test func aFullBlockingQueueRefusesForEveryoneAndNothingIsDelivered() async throws {
        let roomy = FakeTracesExporter()
        let stuck = FakeTracesExporter(gated: true)
        let a = Self.queue("a", roomy, size: 100)
        let b = Self.queue("b", stuck, size: 5, block: true)
        try await a.start()
        try await b.start()
        let fanOut = FanOut<TracesData>(queues: [a, b])

        try await fanOut.consume(FakeData.spans(5))   // b's consumer takes it and waits at the gate
        await #expect(throws: ConsumerError.self) { try await fanOut.consume(FakeData.spans(3)) }
        var arrivals = roomy.arrivals.stream.makeAsyncIterator()
        #expect(await arrivals.next() == 5)
        stuck.release()
        await a.shutdown()
        await b.shutdown()
        // The refused request reached neither exporter, so a client retry cannot duplicate it.
        #expect(roomy.received.withLock { $0 } == [5])
        #expect(stuck.received.withLock { $0 } == [5])
    }

    @Test func aFullQueueDoesNotHoldUpItsSiblings() async throws {
        let fast = FakeTracesExporter()
        let stuck = FakeTracesExporter(gated: true)
        let telemetry = SelfTelemetry(version: "test")
        let a = Self.queue("fast", fast, size: 100, telemetry: telemetry)
        let b = Self.queue("stuck", stuck, size: 10, telemetry: telemetry)
        try await a.start()
        try await b.start()
        let fanOut = FanOut<TracesData>(queues: [a, b])
        var arrivals = fast.arrivals.stream.makeAsyncIterator()
        // The stuck exporter's 10 items of room take one request at its gate and one more; the rest of its
        // copies are dropped and counted while the fast exporter gets every request.
        for _ in 0..<6 {
            try await fanOut.consume(FakeData.spans(5))
            #expect(await arrivals.next() == 5)
        }
        let text = String(decoding: telemetry.render(), as: UTF8.self)
        #expect(PrometheusText.value(in: text, name: "otelsw_exporter_dropped_items_total", labels: ["exporter": "fake/stuck", "reason": "queue_full"]) == 20)
        #expect(PrometheusText.total(in: text, name: "otelsw_exporter_dropped_items_total", labels: ["exporter": "fake/fast"]) == 0)
        stuck.release()
        stuck.release()
        await a.shutdown()
        await b.shutdown()
        #expect(fast.received.withLock { $0 } == [5, 5, 5, 5, 5, 5])
        #expect(stuck.received.withLock { $0 } == [5, 5])
    }

    @Test func whenEveryQueueIsFullTheRequestIsRefused() async throws {
        let stuck = FakeTracesExporter(gated: true)
        let q = Self.queue("only", stuck, size: 10)
        try await q.start()
        let fanOut = FanOut<TracesData>(queues: [q])
        try await fanOut.consume(FakeData.spans(5))
        try await fanOut.consume(FakeData.spans(5))
        await #expect(throws: ConsumerError.self) { try await fanOut.consume(FakeData.spans(5)) }
        stuck.release()
        stuck.release()
        await q.shutdown()
        #expect(stuck.received.withLock { $0 } == [5, 5])
    }

    @Test func anUnqueuedExportersFailureDoesNotLeakTheOthersRoom() async throws {
        let queued = FakeTracesExporter()
        let direct = FakeTracesExporter(mode: .reject)
        let a = Self.queue("a", queued, size: 10)
        let b = Self.queue("b", direct, enabled: false)
        try await a.start()
        try await b.start()
        let fanOut = FanOut<TracesData>(queues: [b, a])  // the unqueued one first
        var arrivals = queued.arrivals.stream.makeAsyncIterator()
        // Ten rounds of 5 items through a 10-item queue: a leaked reservation would make a later round
        // fail with "queue full" (refused) instead of the direct exporter's permanent error.
        for _ in 0..<10 {
            do {
                try await fanOut.consume(FakeData.spans(5))
                Issue.record("the direct exporter's failure must reach the caller")
            } catch let error as ConsumerError {
                #expect(error.kind == .permanent, "\(error)")
            }
            #expect(await arrivals.next() == 5)
        }
        await a.shutdown()
        await b.shutdown()
        #expect(queued.received.withLock { $0 }.count == 10)
    }
}
