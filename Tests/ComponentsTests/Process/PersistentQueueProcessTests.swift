import AgentTestSupport
import Foundation
import NIOCore
import NIOPosix
import OTelModel
import OTelTestSupport
import Synchronization
import Testing

/// The persistent queue with a real process: SIGKILL while the backend is down loses nothing the
/// receiver acknowledged; after a restart everything reaches the backend. Damaged queue files cost
/// exactly the damaged records, counted, and never stop the agent from starting.
@Suite(.timeLimit(.minutes(3)))
struct PersistentQueueProcessTests {
    static func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-pq-\(UUID().uuidString)-\(name)")
    }

    /// The backend: an in-process agent on `port` that appends what it receives to `file` as OTLP/JSON.
    static func fileBackend(port: Int, file: URL) async throws -> TestAgent {
        try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:\(port)
            exporters:
              file:
                path: \(file.path)
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [file]
            """)
    }

    /// A port nobody listens on right now (bound, read and released).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    @Test(.enabled(if: AgentProcess.available)) func sigkillWithTheBackendDownLosesNothing() async throws {
        let storage = Self.temp("storage")
        let config = Self.temp("agent.yaml")
        let backendFile = Self.temp("backend.jsonl")
        defer { for f in [storage, config, backendFile] { try? FileManager.default.removeItem(at: f) } }
        let backendPort = try await Self.freePort()
        try """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 127.0.0.1:0
        processors:
          batch:
            timeout: 20ms
        exporters:
          otlphttp:
            endpoint: http://127.0.0.1:\(backendPort)
            compression: none
            timeout: 2s
            sending_queue:
              storage: file_storage
              num_consumers: 2
            retry_on_failure:
              initial_interval: 100ms
              max_interval: 200ms
              max_elapsed_time: 0
        extensions:
          file_storage:
            directory: \(storage.path)
        service:
          extensions: [file_storage]
          telemetry:
            metrics:
              address: 127.0.0.1:0
          pipelines:
            traces:
              receivers: [otlp]
              processors: [batch]
              exporters: [otlphttp]
        """.write(to: config, atomically: true, encoding: .utf8)

        // 1. The backend is down; a client keeps sending, and the agent is killed in the middle of it.
        let first = try AgentProcess(pipeline: config, log: Self.temp("first.log"))
        let port = try await first.httpPort()
        let acknowledged = Mutex(Set<UInt64>())
        let attempted = Mutex(Set<UInt64>())
        let sender = Task {
            for i in 0..<2000 {
                var data = OTLPHTTPReceiverTests.spans(10, service: "durable")
                for j in data.resourceSpans[0].scopeSpans[0].spans.indices {
                    data.resourceSpans[0].scopeSpans[0].spans[j].spanID = SpanID(UInt64(i * 100 + j + 1))
                }
                let ids = data.resourceSpans[0].scopeSpans[0].spans.map(\.spanID.value)
                attempted.withLock { $0.formUnion(ids) }
                guard let r = try? await HTTPTestClient.request(port: port, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")],
                                                               body: data.protobufBytes()) else { return }
                if r.status == 200 { acknowledged.withLock { $0.formUnion(ids) } }
            }
        }
        await eventually(timeout: .seconds(30), every: .milliseconds(5)) { acknowledged.withLock { $0.count } >= 1000 }
        let killed = await first.stop(signal: SIGKILL)
        await sender.value
        #expect(killed != 0)
        let sent = acknowledged.withLock { $0 }
        #expect(sent.count >= 1000)
        #expect(attempted.withLock { $0.count } < 20_000, "the kill must land in the middle of the load")

        // 2. The backend comes up; the agent restarts and delivers what the first one acknowledged.
        let backend = try await Self.fileBackend(port: backendPort, file: backendFile)
        let second = try AgentProcess(pipeline: config, log: Self.temp("second.log"))
        _ = try await second.httpPort()
        // Delivery order is not promised, and unacknowledged requests may arrive too: wait for the ids.
        func receivedIDs(strict: Bool) throws -> [UInt64] {
            var ids: [UInt64] = []
            for line in ((try? String(contentsOf: backendFile, encoding: .utf8)) ?? "").split(separator: "\n") {
                guard let d = strict ? try TracesData(json: Array(line.utf8)) : try? TracesData(json: Array(line.utf8)) else { continue }
                for rs in d.resourceSpans { for ss in rs.scopeSpans { ids += ss.spans.map(\.spanID.value) } }
            }
            return ids
        }
        try await eventually(timeout: .seconds(60), every: .milliseconds(50)) { try sent.isSubset(of: receivedIDs(strict: false)) }
        #expect(await second.stop() == 0, "\(second.logText)")
        await backend.stop()

        let received = try receivedIDs(strict: true)
        let missing = sent.subtracting(received)
        let duplicates = received.count - Set(received).count
        print("SIGKILL with the backend down: acknowledged \(sent.count) spans, delivered after restart \(Set(received).count), lost \(missing.count), duplicates \(duplicates)")
        #expect(missing.isEmpty, "lost \(missing.count) acknowledged spans")
        #expect(Set(received).isSubset(of: attempted.withLock { $0 }))
        #expect(duplicates == 0, "the backend was down, so nothing was in flight to it at the kill and nothing may come twice")
        #expect(second.logText.contains("persistent queue recovered undelivered data"))
    }

    /// The records of a segment file, read with the documented framing (length, checksum, payload).
    static func records(in segment: URL) throws -> [(offset: Int, length: Int)] {
        let bytes = try [UInt8](Data(contentsOf: segment))
        var records: [(offset: Int, length: Int)] = []
        var at = 8
        while at + 8 <= bytes.count {
            let length = (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
            guard at + 8 + length <= bytes.count else { break }
            records.append((at, length))
            at += 8 + length
        }
        return records
    }

    /// The span ids in one record's payload (a 4-byte item count, then an OTLP request).
    static func spanIDs(in segment: URL, record: (offset: Int, length: Int)) throws -> Set<UInt64> {
        let bytes = try [UInt8](Data(contentsOf: segment))
        let payload = bytes[(record.offset + 12)..<(record.offset + 8 + record.length)]
        let data = try TracesData(protobuf: Array(payload))
        return Set(data.resourceSpans.flatMap { $0.scopeSpans.flatMap { $0.spans.map(\.spanID.value) } })
    }

    @Test(.enabled(if: AgentProcess.available)) func aCorruptAndATruncatedSegmentAreSkippedAndTheRestDelivered() async throws {
        let storage = Self.temp("storage")
        let config = Self.temp("agent.yaml")
        let backendFile = Self.temp("backend.jsonl")
        defer { for f in [storage, config, backendFile] { try? FileManager.default.removeItem(at: f) } }
        let backendPort = try await Self.freePort()
        try """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 127.0.0.1:0
        exporters:
          otlphttp:
            endpoint: http://127.0.0.1:\(backendPort)
            compression: none
            timeout: 2s
            sending_queue:
              storage: file_storage
              num_consumers: 1
            retry_on_failure:
              initial_interval: 100ms
              max_interval: 200ms
              max_elapsed_time: 0
        extensions:
          file_storage:
            directory: \(storage.path)
            fsync: false
            segment_size_mib: 1
        service:
          extensions: [file_storage]
          telemetry:
            metrics:
              address: 127.0.0.1:0
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [otlphttp]
        """.write(to: config, atomically: true, encoding: .utf8)

        // 1. The backend is down: about 4 MiB of requests are queued on disk; a clean stop keeps them.
        let first = try AgentProcess(pipeline: config, log: Self.temp("first.log"))
        let port = try await first.httpPort()
        var sent: Set<UInt64> = []
        for i in 0..<150 {
            var data = OTLPHTTPReceiverTests.spans(100, service: "damaged")
            for j in data.resourceSpans[0].scopeSpans[0].spans.indices {
                data.resourceSpans[0].scopeSpans[0].spans[j].spanID = SpanID(UInt64(i * 1000 + j + 1))
                data.resourceSpans[0].scopeSpans[0].spans[j].name = ByteString(String(repeating: "x", count: 200))
            }
            let r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")], body: data.protobufBytes())
            #expect(r.status == 200)
            if r.status == 200 { for s in data.resourceSpans[0].scopeSpans[0].spans { sent.insert(s.spanID.value) } }
        }
        #expect(await first.stop() == 0, "\(first.logText)")

        // 2. Damage: one byte flipped inside a record of the first segment, the second segment cut
        //    in the middle of its last record.
        let directory = storage.appendingPathComponent("otlphttp-traces")
        let segments = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".wal") }.sorted()
            .map { directory.appendingPathComponent($0) }
        try #require(segments.count >= 3, "segments: \(segments)")
        let corrupted = try #require(try Self.records(in: segments[0]).dropFirst(2).first)
        var lost = try Self.spanIDs(in: segments[0], record: corrupted)
        var bytes = try [UInt8](Data(contentsOf: segments[0]))
        bytes[corrupted.offset + 8 + corrupted.length / 2] ^= 0xFF
        try Data(bytes).write(to: segments[0])
        let cut = try #require(try Self.records(in: segments[1]).last)
        lost.formUnion(try Self.spanIDs(in: segments[1], record: cut))
        let handle = try FileHandle(forWritingTo: segments[1])
        try handle.truncate(atOffset: UInt64(cut.offset + 8 + cut.length / 2))
        try handle.close()
        #expect(lost.count == 200)

        // 3. The backend comes up; the agent starts on the damaged files and delivers the rest.
        let backend = try await Self.fileBackend(port: backendPort, file: backendFile)
        let second = try AgentProcess(pipeline: config, log: Self.temp("second.log"))
        let metricsPort = try await second.metricsPort()
        let expected = sent.count - lost.count
        await eventually(timeout: .seconds(60), every: .milliseconds(50)) {
            (backend.renderedMetric("otelsw_receiver_accepted_spans_total") ?? 0) >= Double(expected)
        }
        let metrics = try await HTTPTestClient.get(port: metricsPort, path: "/metrics").bodyString
        #expect(await second.stop() == 0, "\(second.logText)")
        await backend.stop()

        var received: [UInt64] = []
        for line in try String(contentsOf: backendFile, encoding: .utf8).split(separator: "\n") {
            let d = try TracesData(json: Array(line.utf8))
            for rs in d.resourceSpans { for ss in rs.scopeSpans { received += ss.spans.map(\.spanID.value) } }
        }
        #expect(Set(received) == sent.subtracting(lost), "missing \(sent.subtracting(lost).subtracting(received).count), unexpected \(Set(received).subtracting(sent.subtracting(lost)).count)")
        #expect(received.count == Set(received).count, "no duplicates")
        #expect(PrometheusText.value(in: metrics, name: "otelsw_exporter_dropped_items_total", labels: ["reason": "corrupt_record"]) == 2)
        #expect((PrometheusText.value(in: metrics, name: "otelsw_exporter_persistent_queue_skipped_bytes_total", labels: ["reason": "corrupt_record"]) ?? 0)
                >= Double(corrupted.length + 8))
        #expect(second.logText.contains("failed its checksum"))
        #expect(second.logText.contains("unreadable record"))
    }
}
