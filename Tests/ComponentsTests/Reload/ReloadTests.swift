import AgentTestSupport
@testable import Components
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import OTelModel
import OTelTestSupport
import PipelineCore
import Runtime
import Synchronization
import Testing
import Transport

/// Reloads of the pipeline file while data flows: nothing refused, nothing lost, every change applied
/// to what arrives after it, and what did not change left running.
@Suite(.timeLimit(.minutes(3)))
struct ReloadTests {
    /// A pipeline whose `attributes` processor stamps `phase` on every span; `both` adds a second exporter.
    static func config(phase: String, a: RecordingBackend, b: RecordingBackend, both: Bool, receiver: String = "127.0.0.1:0") -> String {
        """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: \(receiver)
              grpc:
                endpoint: 127.0.0.1:0
        processors:
          attributes:
            actions:
              - {key: phase, value: \(phase), action: upsert}
          batch:
            timeout: 20ms
        exporters:
          otlphttp/a:
            endpoint: http://127.0.0.1:\(a.port)
            compression: none
          otlphttp/b:
            endpoint: http://127.0.0.1:\(b.port)
            compression: none
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [attributes, batch]
              exporters: [\(both ? "otlphttp/a, otlphttp/b" : "otlphttp/a")]
        """
    }

    /// The same file with a typo on line 11 (`actoin`), which the strict loader refuses.
    static func invalid(a: RecordingBackend, b: RecordingBackend) -> String {
        config(phase: "never", a: a, b: b, both: true).replacingOccurrences(of: "action: upsert", with: "actoin: upsert")
    }

    /// Request `i` of client `client`: 10 spans with ids unique across clients and requests.
    static func request(_ i: Int, client: UInt64) -> TracesData {
        var data = OTLPHTTPReceiverTests.spans(10, service: "reload")
        for j in data.resourceSpans[0].scopeSpans[0].spans.indices {
            data.resourceSpans[0].scopeSpans[0].spans[j].spanID = SpanID(client << 40 | UInt64(i * 100 + j + 1))
        }
        return data
    }

    /// What the clients saw: each request's span ids with the reload generation when it was sent and
    /// when it was answered. Generations are odd while a reload runs.
    final class Ledger: Sendable {
        struct Entry { var ids: [UInt64]; var sentAt: Int; var answeredAt: Int }
        let generation = Atomic<Int>(0)
        let entries = Mutex<[Entry]>([])
        let failures = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
        var acknowledged: Int { entries.withLock { $0.count } }
    }

    static func runClient(_ ledger: Ledger, client: UInt64, send: @Sendable (TracesData) async throws -> String?) async {
        var i = 0
        while !ledger.stop.load(ordering: .relaxed) {
            let data = request(i, client: client)
            let sentAt = ledger.generation.load(ordering: .sequentiallyConsistent)
            let failure: String?
            do { failure = try await send(data) } catch { failure = "\(error)" }
            let answeredAt = ledger.generation.load(ordering: .sequentiallyConsistent)
            if let failure {
                ledger.failures.withLock { $0.append("client \(client) request \(i): \(failure)") }
            } else {
                ledger.entries.withLock { $0.append(.init(ids: data.resourceSpans[0].scopeSpans[0].spans.map(\.spanID.value), sentAt: sentAt, answeredAt: answeredAt)) }
            }
            i += 1
        }
    }

    @Test func twentyReloadsUnderLoadLoseAndRefuseNothing() async throws {
        let a = try await RecordingBackend()
        let b = try await RecordingBackend()
        let agent = try await ReloadingAgent(yaml: Self.config(phase: "p0", a: a, b: b, both: false))
        let (httpPort, grpcPort) = (agent.otlpReceiver.httpAddress!.port!, agent.otlpReceiver.grpcAddress!.port!)
        let receiver = agent.otlpReceiver
        let ledger = Ledger()
        defer { ledger.stop.store(true, ordering: .relaxed) }

        // Two HTTP and two gRPC clients, each sending one request after another.
        let clients = (1...4).map { client in
            Task {
                await Self.runClient(ledger, client: UInt64(client)) { data in
                    if client % 2 == 1 {
                        let r = try await postTraces(port: httpPort, data)
                        return r.status == 200 ? nil : "HTTP \(r.status): \(r.bodyString)"
                    }
                    switch try await rawExport(port: grpcPort, signal: .traces, bytes: data.protobufBytes()) {
                    case .success: return nil
                    case .failure(let e): return "gRPC \(e.code): \(e.message)"
                    }
                }
            }
        }

        // phase per generation (even numbers: between reloads); which generations sent to b too.
        var phases = [0: "p0"]
        var withB: Set<Int> = []
        var (succeeded, failed) = (0, 0)
        var both = false
        var phase = "p0"
        var durations: [Duration] = []
        for n in 1...20 {
            // Let both clients get requests through on the current graph first.
            let before = ledger.acknowledged
            await eventually(timeout: .seconds(10), every: .milliseconds(5)) { ledger.acknowledged >= before + 8 }
            try #require(ledger.acknowledged >= before + 8, "requests stopped going through after reload \(n - 1): \(ledger.failures.withLock { $0.suffix(3) })")

            let bad = n % 7 == 0
            let nextPhase = "p\(n)"
            ledger.generation.add(1, ordering: .sequentiallyConsistent)
            let outcome = try await agent.reload(bad ? Self.invalid(a: a, b: b) : Self.config(phase: nextPhase, a: a, b: b, both: !both))
            let generation = ledger.generation.add(1, ordering: .sequentiallyConsistent).newValue
            if bad {
                #expect(!outcome.succeeded)
                #expect(outcome.errors.contains { $0.contains("pipeline.yaml:11:") && $0.contains("actoin") }, "\(outcome.errors)")
                failed += 1
            } else {
                #expect(outcome.succeeded, "\(outcome.errors)")
                durations.append(outcome.duration)
                succeeded += 1
                both.toggle()
                phase = nextPhase
            }
            phases[generation] = phase
            if both { withB.insert(generation) }
        }
        ledger.stop.store(true, ordering: .relaxed)
        for c in clients { await c.value }

        #expect(ledger.failures.withLock { $0 }.isEmpty, "\(ledger.failures.withLock { $0.prefix(5) })")
        #expect(agent.otlpReceiver === receiver, "the receiver is taken over, not restarted")
        let entries = ledger.entries.withLock { $0 }
        let acknowledged = Set(entries.flatMap(\.ids))
        #expect(entries.count > 40)
        #expect(try await a.waitUntil { acknowledged.isSubset(of: Set($0.keys)) }, "every acknowledged span reaches the exporter both configs have")
        #expect(a.duplicates == 0 && b.duplicates == 0)

        // Requests sent and answered between two reloads went through that period's graph.
        let receivedA = a.spans
        let receivedB = b.spans
        var checked = 0
        for e in entries where e.sentAt == e.answeredAt && e.sentAt % 2 == 0 {
            let expected = phases[e.sentAt]!
            for id in e.ids {
                #expect(receivedA[id] == expected, "span \(id) sent in generation \(e.sentAt)")
                if withB.contains(e.sentAt) { #expect(receivedB[id] == expected, "span \(id) should also reach b") }
            }
            checked += 1
        }
        #expect(checked > 20)
        durations.sort()
        print("reloads under load: \(succeeded) applied, \(failed) refused; trigger to swapped min \(durations.first!), median \(durations[durations.count / 2]), max \(durations.last!); \(entries.count) requests (\(acknowledged.count) spans) acknowledged, \(checked) checked for their phase, 0 failed")
        #expect(agent.metric("otelsw_config_reloads_total", ["result": "success"]) == Double(succeeded))
        #expect(agent.metric("otelsw_config_reloads_total", ["result": "failure"]) == Double(failed))
        #expect(agent.total("otelsw_exporter_dropped_items_total") == 0)
        await agent.stop()
        await a.stop()
        await b.stop()
    }

    /// A processor-only change keeps the receiver and its connections: requests on one kept-alive
    /// HTTP/1.1 connection and one HTTP/2 (gRPC) connection go on across the reload.
    @Test func aProcessorChangeKeepsTheListeningSocketAndItsConnections() async throws {
        let a = try await RecordingBackend()
        let b = try await RecordingBackend()
        let agent = try await ReloadingAgent(yaml: Self.config(phase: "before", a: a, b: b, both: false))
        let receiver = agent.otlpReceiver
        let (httpPort, grpcPort) = (agent.otlpReceiver.httpAddress!.port!, agent.otlpReceiver.grpcAddress!.port!)

        let connection = try KeepAliveConnection(port: httpPort)
        #expect(try await connection.post("/v1/traces", Self.request(0, client: 1).protobufBytes()) == 200)
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: grpcPort), transportSecurity: .plaintext)
        try await withGRPCClient(transport: transport) { client in
            try await exportTraces(client, Self.request(0, client: 2))
            let outcome = try await agent.reload(Self.config(phase: "after", a: a, b: b, both: false))
            #expect(outcome.succeeded, "\(outcome.errors)")
            #expect(outcome.change?.startedIDs.allSatisfy { $0.hasPrefix("processor") } == true, "\(outcome.change?.startedIDs ?? [])")
            try await exportTraces(client, Self.request(1, client: 2))
        }
        #expect(try await connection.post("/v1/traces", Self.request(1, client: 1).protobufBytes()) == 200, "same connection after the reload")
        #expect(agent.otlpReceiver === receiver)
        #expect(agent.otlpReceiver.httpAddress?.port == httpPort)

        let after = Set(Self.request(1, client: 1).resourceSpans[0].scopeSpans[0].spans.map(\.spanID.value))
            .union(Self.request(1, client: 2).resourceSpans[0].scopeSpans[0].spans.map(\.spanID.value))
        #expect(try await a.waitUntil { spans in after.allSatisfy { spans[$0] == "after" } })
        connection.close()
        await agent.stop()
        await a.stop()
        await b.stop()
    }

    /// A reload that changes another processor of the pipeline keeps the tail sampler, and the trace
    /// waiting in it: nothing is decided at the reload, and the trace's spans from before and after
    /// it are decided together, once.
    @Test func anUnchangedTailSamplerKeepsItsWaitingTraces() async throws {
        let a = try await RecordingBackend()
        func yaml(_ phase: String) -> String {
            """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            processors:
              attributes:
                actions:
                  - {key: phase, value: \(phase), action: upsert}
              tail_sampling:
                decision_wait: 5s
                policies:
                  - {name: all, type: always_sample}
            exporters:
              otlphttp:
                endpoint: http://127.0.0.1:\(a.port)
                compression: none
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [attributes, tail_sampling]
                  exporters: [otlphttp]
            """
        }
        let agent = try await ReloadingAgent(yaml: yaml("before"))
        let port = agent.otlpReceiver.httpAddress!.port!
        // One trace (all spans share the trace id), sent in two halves around the reload.
        func half(_ i: Int) -> TracesData {
            var data = Self.request(i, client: 5)
            for j in data.resourceSpans[0].scopeSpans[0].spans.indices {
                data.resourceSpans[0].scopeSpans[0].spans[j].traceID = TraceID(high: 7, low: 7)
            }
            return data
        }
        var r = try await postTraces(port: port, half(0))
        #expect(r.status == 200)
        let outcome = try await agent.reload(yaml("after"))
        #expect(outcome.succeeded, "\(outcome.errors)")
        #expect(outcome.change?.startedIDs.contains("processor tail_sampling in traces") == true)
        #expect(a.spans.isEmpty, "the waiting trace was not decided by the reload")
        r = try await postTraces(port: port, half(1))
        #expect(r.status == 200)
        #expect(try await a.waitUntil { $0.count == 20 })
        #expect(Set(a.spans.values) == ["before", "after"])
        #expect(agent.metric("otelsw_processor_tail_sampling_new_traces_total") == 1)
        #expect(agent.total("otelsw_processor_tail_sampling_late_spans_total") == 0, "the second half joined the waiting trace")
        #expect(agent.metric("otelsw_processor_tail_sampling_traces_total", ["sampled": "true"]) == 1)
        await agent.stop()
        await a.stop()
    }

    /// Adding a pipeline of another signal that the receiver feeds re-points the receiver: the
    /// signal is answered 404 before the reload and taken after it, on the same listener.
    @Test func aNewSignalIsConnectedWithoutRestartingTheReceiver() async throws {
        let a = try await RecordingBackend()
        let b = try await RecordingBackend()
        let agent = try await ReloadingAgent(yaml: Self.config(phase: "p", a: a, b: b, both: false))
        let receiver = agent.otlpReceiver
        let port = receiver.httpAddress!.port!
        let logs = #"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"}}]}]}]}"#
        func sendLogs() async throws -> Int {
            try await HTTPTestClient.request(port: port, path: "/v1/logs", headers: [("content-type", "application/json")], body: Array(logs.utf8)).status
        }
        #expect(try await sendLogs() == 404)
        let withLogs = Self.config(phase: "p", a: a, b: b, both: false) + "\n    logs:\n      receivers: [otlp]\n      exporters: [otlphttp/b]\n"
        let outcome = try await agent.reload(withLogs)
        #expect(outcome.succeeded, "\(outcome.errors)")
        #expect(agent.otlpReceiver === receiver)
        #expect(try await sendLogs() == 200)
        #expect(agent.metric("otelsw_receiver_accepted_log_records_total", ["transport": "http"]) == 1)
        await agent.stop()
        await a.stop()
        await b.stop()
    }

    /// A `batch` listed in every pipeline ties nothing together: changing the traces pipeline's
    /// `attributes` rebuilds that chain only, and the logs and metrics chains run on untouched.
    @Test func aChangeInOnePipelineLeavesTheOthersRunning() async throws {
        let a = try await RecordingBackend()
        func yaml(_ phase: String) -> String {
            """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            processors:
              attributes:
                actions:
                  - {key: phase, value: \(phase), action: upsert}
              batch:
            exporters:
              otlphttp:
                endpoint: http://127.0.0.1:\(a.port)
            service:
              pipelines:
                traces: {receivers: [otlp], processors: [attributes, batch], exporters: [otlphttp]}
                metrics: {receivers: [otlp], processors: [batch], exporters: [otlphttp]}
                logs: {receivers: [otlp], processors: [batch], exporters: [otlphttp]}
            """
        }
        let agent = try await ReloadingAgent(yaml: yaml("one"))
        let outcome = try await agent.reload(yaml("two"))
        #expect(outcome.succeeded, "\(outcome.errors)")
        #expect(Set(outcome.change?.startedIDs ?? []) == ["processor attributes in traces", "processor batch in traces"])
        #expect(Set(outcome.change?.stoppedIDs ?? []) == ["processor attributes in traces", "processor batch in traces"])
        #expect(outcome.change?.kept == 1 + 2 + 3, "the receiver, the other two batches, the exporter's three queues")
        await agent.stop()
        await a.stop()
    }

    /// A tail sampler taken out of its pipeline (still declared) and listed again later starts
    /// afresh: it takes spans and decides them.
    @Test func aTailSamplerListedAgainAfterARemovalWorks() async throws {
        let a = try await RecordingBackend()
        func yaml(withSampler: Bool) -> String {
            """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            processors:
              tail_sampling:
                decision_wait: 100ms
                policies:
                  - {name: all, type: always_sample}
              batch:
                timeout: 10ms
            exporters:
              otlphttp:
                endpoint: http://127.0.0.1:\(a.port)
                compression: none
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [\(withSampler ? "tail_sampling, batch" : "batch")]
                  exporters: [otlphttp]
            """
        }
        let agent = try await ReloadingAgent(yaml: yaml(withSampler: true))
        #expect(try await agent.reload(yaml(withSampler: false)).succeeded)
        #expect(try await agent.reload(yaml(withSampler: true)).succeeded)
        let port = agent.otlpReceiver.httpAddress!.port!
        let data = Self.request(0, client: 6)
        let r = try await postTraces(port: port, data)
        #expect(r.status == 200, "\(r.bodyString)")
        #expect(try await a.waitUntil { $0.count == 10 })
        #expect(agent.metric("otelsw_processor_tail_sampling_traces_total", ["sampled": "true"]) ?? 0 >= 1)
        await agent.stop()
        await a.stop()
    }

    /// Removing an exporter whose backend is slow: the reload waits for its queue to deliver what it
    /// holds before the exporter stops.
    @Test func aRemovedExportersBacklogIsDelivered() async throws {
        let a = try await RecordingBackend()
        let b = try await RecordingBackend()
        b.box.state.withLock { $0.delay = .milliseconds(300) }
        let agent = try await ReloadingAgent(yaml: Self.config(phase: "p", a: a, b: b, both: true))
        let port = agent.otlpReceiver.httpAddress!.port!
        var sent: Set<UInt64> = []
        for i in 0..<20 {
            let data = Self.request(i, client: 3)
            sent.formUnion(data.resourceSpans[0].scopeSpans[0].spans.map(\.spanID.value))
            let r = try await postTraces(port: port, data)
            #expect(r.status == 200)
        }
        // Once a (no delay) has everything, the batch processor has handed it all to both queues.
        #expect(try await a.waitUntil { Set($0.keys) == sent })
        #expect(b.spans.count < sent.count, "b's queue holds a backlog when the reload starts")
        let outcome = try await agent.reload(Self.config(phase: "p", a: a, b: b, both: false))
        #expect(outcome.succeeded, "\(outcome.errors)")
        #expect(outcome.change?.stoppedIDs.contains("exporter otlphttp/b (traces)") == true, "\(outcome.change?.stoppedIDs ?? [])")
        #expect(Set(b.spans.keys) == sent, "b's backlog was delivered before b stopped")
        #expect(agent.total("otelsw_exporter_dropped_items_total") == 0)
        await agent.stop()
        await a.stop()
        await b.stop()
    }

    /// With a persistent queue, the backlog of a removed exporter stays on disk and is delivered when
    /// the exporter comes back.
    @Test func aRemovedPersistentExportersBacklogStaysOnDisk() async throws {
        let a = try await RecordingBackend()
        let b = try await RecordingBackend()
        b.box.state.withLock { $0.down = true }
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-reload-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: storage) }
        func yaml(withB: Bool) -> String {
            Self.config(phase: "p", a: a, b: b, both: withB)
                .replacingOccurrences(of: "    compression: none\nservice:", with: """
                        compression: none
                        sending_queue:
                          storage: file_storage
                        retry_on_failure:
                          initial_interval: 50ms
                          max_interval: 100ms
                    extensions:
                      file_storage:
                        directory: \(storage.path)
                    service:
                      extensions: [file_storage]
                    """)
        }
        let agent = try await ReloadingAgent(yaml: yaml(withB: true), drainTimeout: .milliseconds(300))
        let port = agent.otlpReceiver.httpAddress!.port!
        var sent: Set<UInt64> = []
        for i in 0..<5 {
            let data = Self.request(i, client: 4)
            sent.formUnion(data.resourceSpans[0].scopeSpans[0].spans.map(\.spanID.value))
            let r = try await postTraces(port: port, data)
            #expect(r.status == 200)
        }
        #expect(try await agent.reload(yaml(withB: false)).succeeded)
        #expect(b.spans.isEmpty)
        b.box.state.withLock { $0.down = false }
        #expect(try await agent.reload(yaml(withB: true)).succeeded)
        #expect(try await b.waitUntil { Set($0.keys) == sent }, "the backlog kept on disk is delivered once b is back")
        #expect(agent.total("otelsw_exporter_dropped_items_total") == 0)
        await agent.stop()
        await a.stop()
        await b.stop()
    }
}

/// Posts one OTLP/HTTP protobuf traces request.
func postTraces(port: Int, _ data: TracesData) async throws -> HTTPTestClient.Response {
    try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")], body: data.protobufBytes())
}

/// Sends one traces request over an open gRPC client; throws unless it is accepted.
func exportTraces(_ client: GRPCClient<HTTP2ClientTransport.Posix>, _ data: TracesData) async throws {
    var options = CallOptions.defaults
    options.timeout = .seconds(5)
    try await client.unary(
        request: ClientRequest(message: data.protobufBytes()), descriptor: OTLPGRPC.exportMethod(.traces),
        serializer: RawBytesSerializer(), deserializer: OTLPResponseDeserializer(), options: options
    ) { response in _ = try response.message }
}

/// One HTTP/1.1 connection kept alive across requests (a plain socket, so that a reset would show).
/// Its blocking calls run on a thread of their own, never on the tasks' shared pool.
final class KeepAliveConnection: @unchecked Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw PeerError("connect failed: errno \(errno)") }
    }

    /// Sends a POST and returns the response's status; throws when the connection broke.
    func post(_ path: String, _ body: [UInt8]) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try self.postBlocking(path, body) }) }.start()
        }
    }

    private func postBlocking(_ path: String, _ body: [UInt8]) throws -> Int {
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: \(body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + body
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else { throw PeerError("send failed: errno \(errno)") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw PeerError("connection closed or reset (recv \(n), errno \(errno))") }
            received += buffer[0..<n]
            let text = String(decoding: received, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { continue }
            let headers = text[..<end.lowerBound].lowercased()
            let length = headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let headBytes = text[..<end.upperBound].utf8.count
            guard received.count >= headBytes + length else { continue }
            return Int(headers.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
    }

    func close() { _ = Glibc.close(fd) }
}
