import Configuration
import Foundation
import Logging
import OTelModel
import PipelineCore
import PipelineTestSupport
import Queueing
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
