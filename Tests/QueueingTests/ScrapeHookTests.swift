import Configuration
import Foundation
import Logging
import OTelModel
import OTelTestSupport
import PipelineCore
import PipelineTestSupport
import Queueing
import Synchronization
import Telemetry
import Testing

/// A queue refreshes its gauges through a scrape hook while it runs, and removes the hook when it
/// stops, so queues replaced by reloads leave nothing behind in the registry's render path.
@Suite(.timeLimit(.minutes(1)))
struct ScrapeHookTests {
    @Test func memoryQueuesRemoveTheirHookWhenTheyStop() async throws {
        let telemetry = SelfTelemetry(version: "test")
        var queues: [ExporterQueue<TracesData>] = []
        for i in 0..<5 {
            let q = ExporterQueue<TracesData>(id: ComponentID(type: "fake", name: "\(i)"), exporter: FakeTracesExporter(), settings: QueueSettings(),
                                              retry: RetrySettings(), telemetry: telemetry, logger: Logger(label: "t"), drainTimeout: .seconds(1))
            try await q.start()
            queues.append(q)
        }
        #expect(telemetry.scrapeHookCount == 5)
        for q in queues.prefix(3) { await q.shutdown() }
        #expect(telemetry.scrapeHookCount == 2)
        _ = telemetry.render()
        for q in queues.suffix(2) { await q.shutdown() }
        #expect(telemetry.scrapeHookCount == 0)
    }

    @Test func persistentQueuesRemoveTheirHookWhenTheyStop() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-hook-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let telemetry = SelfTelemetry(version: "test")
        let logger = Logger(label: "t")
        let (log, report) = try WriteAheadLog.open(WriteAheadLog.Options(directory: directory), logger: logger)
        let q = PersistentQueue<TracesData>(id: ComponentID(type: "fake"), exporter: FakeTracesExporter(), log: log, recovered: report,
                                            numConsumers: 1, retry: RetrySettings(), telemetry: telemetry, logger: logger, drainTimeout: .seconds(1))
        try await q.start()
        try await q.persist(FakeData.spans(3))
        let rendered = String(decoding: telemetry.render(), as: UTF8.self)
        #expect(rendered.contains("otelsw_exporter_persisted_bytes{exporter=\"fake\",data_type=\"traces\"}"), "\(rendered)")
        #expect(telemetry.scrapeHookCount == 1)
        await q.shutdown()
        #expect(telemetry.scrapeHookCount == 0)
    }
}

/// A batch larger than one record of the persistent queue is written as several records and
/// delivered whole; a single item too large for any record is dropped and counted.
@Suite(.timeLimit(.minutes(1)))
struct PersistentQueueRecordSplitTests {
    @Test func aLargeBatchIsSplitIntoRecords() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-split-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let telemetry = SelfTelemetry(version: "test")
        let logger = Logger(label: "t")
        var options = WriteAheadLog.Options(directory: directory)
        options.maxRecordBytes = 600
        let (log, report) = try WriteAheadLog.open(options, logger: logger)
        let exporter = FakeTracesExporter()
        let q = PersistentQueue<TracesData>(id: ComponentID(type: "fake"), exporter: exporter, log: log, recovered: report,
                                            numConsumers: 1, retry: RetrySettings(), telemetry: telemetry, logger: logger, drainTimeout: .seconds(5))
        try await q.start()
        let batch = FakeData.spans(200)
        #expect(batch.protobufBytes().count > 600)
        try await q.persist(batch)
        #expect(log.pendingRecords > 1 || exporter.received.withLock { $0.count } > 1)
        await q.shutdown()
        #expect(exporter.received.withLock { $0.reduce(0, +) } == 200, "every span delivered once")

        // One span that no record can hold.
        var tiny = WriteAheadLog.Options(directory: directory + "-tiny")
        tiny.maxRecordBytes = 8
        defer { try? FileManager.default.removeItem(atPath: directory + "-tiny") }
        let (tinyLog, tinyReport) = try WriteAheadLog.open(tiny, logger: logger)
        let t = PersistentQueue<TracesData>(id: ComponentID(type: "fake", name: "tiny"), exporter: FakeTracesExporter(), log: tinyLog,
                                            recovered: tinyReport, numConsumers: 1, retry: RetrySettings(), telemetry: telemetry, logger: logger)
        try await t.start()
        try await t.persist(FakeData.spans(1))
        await t.shutdown()
        let rendered = String(decoding: telemetry.render(), as: UTF8.self)
        #expect(PrometheusText.total(in: rendered, name: "otelsw_exporter_dropped_items_total",
                                     labels: ["exporter": "fake/tiny", "reason": "too_large"]) == 1, "\(rendered)")
    }
}
