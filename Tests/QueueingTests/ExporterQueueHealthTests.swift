import Configuration
import Logging
import OTelModel
import OTelTestSupport
import PipelineCore
import PipelineTestSupport
import Queueing
import Telemetry
import Testing

/// Health and on-demand gauges of a memory queue whose exporter stops making progress.
@Suite(.timeLimit(.minutes(1)))
struct ExporterQueueHealthTests {
    @Test func aStalledExporterIsUnhealthyUntilItDeliversAgain() async throws {
        let stuck = FakeTracesExporter(gated: true)
        let telemetry = SelfTelemetry(version: "test")
        var settings = QueueSettings()
        settings.numConsumers = 1
        settings.queueSize = 100
        var retry = RetrySettings()
        retry.enabled = false
        let q = ExporterQueue<TracesData>(id: ComponentID(type: "fake"), exporter: stuck, settings: settings, retry: retry, telemetry: telemetry,
                                          logger: Logger(label: "t"), drainTimeout: .seconds(1), stallTimeout: .milliseconds(100))
        try await q.start()
        #expect(q.healthProblem == nil)
        try await q.consume(FakeData.spans(3))   // taken by the consumer, waiting at the gate
        try await q.consume(FakeData.spans(4))   // queued behind it

        await eventually(timeout: .seconds(10)) { q.healthProblem != nil }
        let problem = try #require(q.healthProblem)
        #expect(problem.contains("nothing delivered for"), "\(problem)")
        #expect(problem.contains("7 items waiting"), "\(problem)")

        let text = String(decoding: telemetry.render(), as: UTF8.self)
        #expect((PrometheusText.value(in: text, name: "otelsw_exporter_queue_oldest_item_age_seconds", labels: ["exporter": "fake"]) ?? 0) > 0)
        #expect(PrometheusText.value(in: text, name: "otelsw_exporter_in_flight_requests", labels: ["exporter": "fake"]) == 1)
        // Only the request behind the gate is waiting; the one at the gate is in flight.
        #expect(PrometheusText.value(in: text, name: "otelsw_exporter_queue_items", labels: ["exporter": "fake"]) == 4)
        #expect(PrometheusText.value(in: text, name: "otelsw_exporter_queue_bytes", labels: ["exporter": "fake"])
                == Double(FakeData.spans(4).protobufBytes().count))

        var arrivals = stuck.arrivals.stream.makeAsyncIterator()
        stuck.release()
        stuck.release()
        _ = await arrivals.next()
        _ = await arrivals.next()
        await eventually(timeout: .seconds(10)) { q.healthProblem == nil }
        #expect(q.healthProblem == nil)
        let after = String(decoding: telemetry.render(), as: UTF8.self)
        #expect(PrometheusText.value(in: after, name: "otelsw_exporter_queue_oldest_item_age_seconds", labels: ["exporter": "fake"]) == 0)
        #expect(PrometheusText.value(in: after, name: "otelsw_exporter_queue_bytes", labels: ["exporter": "fake"]) == 0)
        await q.shutdown()
    }

    /// `sizer: bytes` bounds the queue by the encoded size of what it holds.
    @Test func theBytesSizerCountsEncodedSize() async throws {
        let stuck = FakeTracesExporter(gated: true)
        let telemetry = SelfTelemetry(version: "test")
        let one = FakeData.spans(5).protobufBytes().count
        var settings = QueueSettings()
        settings.numConsumers = 1
        settings.sizer = .bytes
        settings.queueSize = 2 * one + one / 2
        var retry = RetrySettings()
        retry.enabled = false
        let q = ExporterQueue<TracesData>(id: ComponentID(type: "fake"), exporter: stuck, settings: settings, retry: retry, telemetry: telemetry,
                                          logger: Logger(label: "t"), drainTimeout: .milliseconds(100))
        try await q.start()
        try await q.consume(FakeData.spans(5))
        try await q.consume(FakeData.spans(5))
        await #expect(throws: ConsumerError.self) { try await q.consume(FakeData.spans(5)) }
        let text = String(decoding: telemetry.render(), as: UTF8.self)
        #expect(PrometheusText.value(in: text, name: "otelsw_exporter_queue_size", labels: ["exporter": "fake"]) == Double(2 * one))
        #expect(PrometheusText.value(in: text, name: "otelsw_exporter_enqueue_failed_spans_total", labels: ["exporter": "fake"]) == 5)
        stuck.release()
        stuck.release()
        await q.shutdown()
    }
}
