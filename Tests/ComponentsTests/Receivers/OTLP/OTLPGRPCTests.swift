@testable import Components
import Configuration
import Factories
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NIOCore
import NIOPosix
import OTelModel
import OTelTestSupport
import PipelineCore
import Synchronization
import Telemetry
import Testing
import Transport

// MARK: - Helpers

final class Recorder<D: SignalData>: Sendable {
    private let items = Mutex<[D]>([])
    var received: [D] { items.withLock { $0 } }
    var consumer: ClosureConsumer<D> { ClosureConsumer { data in self.items.withLock { $0.append(data) } } }
}

func testContext(_ type: String) -> ComponentContext {
    ComponentContext(id: ComponentID(type: type), logger: Logger(label: "test"), telemetry: SelfTelemetry(version: "test"),
                     eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
}

/// Runs `body` with a receiver listening on 127.0.0.1 on an ephemeral port.
func withReceiver(maxRecvMsgSizeMiB: Int = 4, consumers: ReceiverConsumers, _ body: (Int) async throws -> Void) async throws {
    var settings = OTLPReceiverConfig.GRPC()
    settings.endpoint = HostPort(host: "127.0.0.1", port: 0)
    settings.maxRecvMsgSizeMiB = maxRecvMsgSizeMiB
    let server = OTLPGRPCServer(settings: settings, context: testContext("otlp"), consumers: consumers)
    try await server.start()
    do {
        let port = try #require(server.localAddress?.port)
        #expect(port > 0)
        try await body(port)
    } catch {
        await server.shutdown()
        throw error
    }
    let clock = ContinuousClock()
    let took = await clock.measure { await server.shutdown() }
    #expect(took < .seconds(3), "graceful shutdown took \(took)")
    #expect(server.localAddress == nil)
}

func withExporter<D: SignalData>(_: D.Type, port: Int, configure: (inout OTLPGRPCExporterConfig) -> Void = { _ in },
                                 _ body: (OTLPGRPCExporter<D>) async throws -> Void) async throws {
    var config = OTLPGRPCExporterConfig()
    config.endpoint = "http://127.0.0.1:\(port)"
    configure(&config)
    let target = try config.target.get()
    let exporter = try OTLPGRPCExporter<D>(config: config, target: target, context: testContext("otlp_grpc"))
    try await exporter.start()
    do {
        try await body(exporter)
    } catch {
        await exporter.shutdown()
        throw error
    }
    await exporter.shutdown()
}

/// Sends bytes as they are, to check what the server does with a bad payload.
struct RawBytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
}

func rawExport(port: Int, signal: Signal, bytes: [UInt8], gzip: Bool = false) async throws -> Result<OTLPExportResponse, RPCError> {
    let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext,
        config: .defaults { $0.compression = .init(algorithm: .none, enabledAlgorithms: [.gzip]) })
    return try await withGRPCClient(transport: transport) { client in
        var options = CallOptions.defaults
        options.timeout = .seconds(5)
        if gzip { options.compression = .gzip }
        options.maxRequestMessageBytes = 64 << 20
        return try await client.unary(
            request: ClientRequest(message: bytes), descriptor: OTLPGRPC.exportMethod(signal),
            serializer: RawBytesSerializer(), deserializer: OTLPResponseDeserializer(), options: options
        ) { response in response.accepted.flatMap { $0.message } }
    }
}

func sampleTraces(spans: Int, service: String = "svc") -> TracesData {
    var scope = ScopeSpans(scope: InstrumentationScope(name: "lib", version: "1.0"))
    for i in 0..<spans {
        var span = Span()
        span.traceID = TraceID(high: 1, low: UInt64(i + 1))
        span.spanID = SpanID(UInt64(i + 1))
        span.name = ByteString("span-\(i)")
        span.startTimeUnixNano = 1_700_000_000_000_000_000
        span.endTimeUnixNano = 1_700_000_000_100_000_000
        span.attributes = [KeyValue(key: "i", value: .int(Int64(i)))]
        scope.spans.append(span)
    }
    let resource = Resource(attributes: [KeyValue(key: "service.name", value: .string(ByteString(service)))])
    return TracesData(resourceSpans: [ResourceSpans(resource: resource, scopeSpans: [scope])])
}

func exportError<D: SignalData>(_ exporter: OTLPGRPCExporter<D>, _ data: D) async -> ConsumerError? {
    do {
        try await exporter.export(data)
        return nil
    } catch let error as ConsumerError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

// MARK: - Tests

@Suite(.timeLimit(.minutes(1)))
struct OTLPGRPCTests {
    @Test func exportsAllSignalsWithAndWithoutGzip() async throws {
        let traces = Recorder<TracesData>()
        let metrics = Recorder<MetricsData>()
        let logs = Recorder<LogsData>()
        try await withReceiver(consumers: ReceiverConsumers(traces: traces.consumer, metrics: metrics.consumer, logs: logs.consumer)) { port in
            let sent = sampleTraces(spans: 200)
            try await withExporter(TracesData.self, port: port) { exporter in  // gzip is the default
                try await exporter.export(sent)
                try await exporter.export(TracesData())
            }
            try await withExporter(TracesData.self, port: port, configure: { $0.compression = "none"; $0.headers = [("X-Tenant", "a")] }) { exporter in
                try await exporter.export(sampleTraces(spans: 3, service: "plain"))
            }
            try await withExporter(MetricsData.self, port: port) { try await $0.export(MetricsData()) }
            var log = LogRecord()
            log.body = .string("hello")
            let logsData = LogsData(resourceLogs: [ResourceLogs(scopeLogs: [ScopeLogs(logRecords: [log])])])
            try await withExporter(LogsData.self, port: port) { try await $0.export(logsData) }

            #expect(traces.received.count == 3)
            #expect(traces.received.first == sent)
            #expect(traces.received.map(\.spanCount) == [200, 0, 3])
            #expect(metrics.received.count == 1)
            #expect(logs.received == [logsData])
        }
    }

    @Test func refusedIsRetryableWithRetryInfoDelay() async throws {
        let refusing = ClosureConsumer<TracesData> { _ in throw ConsumerError.refused("queue is full", retryAfter: .milliseconds(2500)) }
        try await withReceiver(consumers: ReceiverConsumers(traces: refusing)) { port in
            try await withExporter(TracesData.self, port: port) { exporter in
                let error = try #require(await exportError(exporter, sampleTraces(spans: 2)))
                #expect(error.kind == .refused)
                #expect(error.retryAfter == .milliseconds(2500))
                #expect(error.message.contains("queue is full"))
            }
            // The trailer itself: UNAVAILABLE with a google.rpc.Status carrying RetryInfo.
            let result = try await rawExport(port: port, signal: .traces, bytes: [])
            guard case .failure(let rpc) = result else { Issue.record("expected failure"); return }
            #expect(rpc.code == .unavailable)
            let status = try #require(OTLPGRPC.statusDetails(of: rpc))
            #expect(status.code == 14)
            #expect(status.retryDelay == .milliseconds(2500))
        }
    }

    @Test func permanentIsInvalidArgument() async throws {
        let rejecting = ClosureConsumer<TracesData> { _ in throw ConsumerError.permanent("backend said no") }
        try await withReceiver(consumers: ReceiverConsumers(traces: rejecting)) { port in
            try await withExporter(TracesData.self, port: port) { exporter in
                let error = try #require(await exportError(exporter, sampleTraces(spans: 1)))
                #expect(error.kind == .permanent)
                #expect(error.message.contains("invalidArgument") || error.message.contains("invalid"))
                #expect(error.message.contains("backend said no"))
            }
        }
    }

    @Test func garbageIsInvalidArgumentAndServerKeepsServing() async throws {
        let traces = Recorder<TracesData>()
        try await withReceiver(consumers: ReceiverConsumers(traces: traces.consumer)) { port in
            // Field 1, wire type 2, length 100 with 2 bytes behind it.
            for junk in [[0x0A, 0x64, 0x01, 0x02], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]] as [[UInt8]] {
                let result = try await rawExport(port: port, signal: .traces, bytes: junk)
                guard case .failure(let rpc) = result else { Issue.record("junk accepted"); return }
                #expect(rpc.code == .invalidArgument)
                #expect(rpc.message.contains("malformed traces export request"), "\(rpc.message)")
            }
            let ok = try await rawExport(port: port, signal: .traces, bytes: sampleTraces(spans: 4).protobufBytes(), gzip: true)
            #expect((try? ok.get()) != nil)
            #expect(traces.received.map(\.spanCount) == [4])
        }
    }

    @Test func oversizedMessageIsResourceExhaustedAndPermanent() async throws {
        let traces = Recorder<TracesData>()
        try await withReceiver(maxRecvMsgSizeMiB: 1, consumers: ReceiverConsumers(traces: traces.consumer)) { port in
            let big = sampleTraces(spans: 20_000)  // ~1.4 MiB encoded
            #expect(big.protobufBytes().count > 1 << 20)
            try await withExporter(TracesData.self, port: port, configure: { $0.compression = "none" }) { exporter in
                let error = try #require(await exportError(exporter, big))
                #expect(error.kind == .permanent)  // RESOURCE_EXHAUSTED without RetryInfo
                #expect(error.message.contains("resourceExhausted"), "\(error.message)")
            }
            // Gzipped it is much smaller on the wire, but the limit applies after decompression.
            let gz = try await rawExport(port: port, signal: .traces, bytes: big.protobufBytes(), gzip: true)
            guard case .failure(let rpc) = gz else { Issue.record("oversized gzip accepted"); return }
            #expect(rpc.code == .resourceExhausted)
            // Beyond the transport's hard cap (16 MiB here) the stream is reset: a failure, though not a clean one.
            let huge = try await rawExport(port: port, signal: .traces, bytes: [UInt8](repeating: 0, count: 17 << 20))
            guard case .failure(let reset) = huge else { Issue.record("huge message accepted"); return }
            print("beyond hard cap: \(reset.code) \(reset.message)")
            try await withExporter(TracesData.self, port: port) { try await $0.export(sampleTraces(spans: 5)) }
            #expect(traces.received.map(\.spanCount) == [5])
        }
    }

    @Test func signalWithoutPipelineIsUnimplemented() async throws {
        let traces = Recorder<TracesData>()
        try await withReceiver(consumers: ReceiverConsumers(traces: traces.consumer)) { port in
            try await withExporter(LogsData.self, port: port) { exporter in
                let error = try #require(await exportError(exporter, LogsData()))
                #expect(error.kind == .permanent)
                #expect(error.message.contains("no pipeline takes logs"))
            }
        }
    }

    @Test func unreachableIsRetryable() async throws {
        // Bind and release a port so nothing listens on it.
        let port: Int
        do {
            var settings = OTLPReceiverConfig.GRPC()
            settings.endpoint = HostPort(host: "127.0.0.1", port: 0)
            let server = OTLPGRPCServer(settings: settings, context: testContext("otlp"), consumers: ReceiverConsumers())
            try await server.start()
            port = try #require(server.localAddress?.port)
            await server.shutdown()
        }
        try await withExporter(TracesData.self, port: port, configure: { $0.timeout = .seconds(2) }) { exporter in
            let error = try #require(await exportError(exporter, sampleTraces(spans: 1)))
            #expect(error.kind == .refused, "\(error)")
        }
    }

    @Test func deadlineIsRetryable() async throws {
        let slow = ClosureConsumer<TracesData> { _ in try await Task.sleep(for: .seconds(2)) }
        try await withReceiver(consumers: ReceiverConsumers(traces: slow)) { port in
            try await withExporter(TracesData.self, port: port, configure: { $0.timeout = .milliseconds(200) }) { exporter in
                let error = try #require(await exportError(exporter, sampleTraces(spans: 1)))
                #expect(error.kind == .refused)
                #expect(error.message.contains("deadlineExceeded"), "\(error.message)")
            }
        }
    }

    @Test func shutdownLetsInFlightCallsFinish() async throws {
        let traces = Recorder<TracesData>()
        let record = traces.consumer
        let arrived = AsyncStream<Int>.makeStream()
        let slow = ClosureConsumer<TracesData> { data in
            arrived.continuation.yield(data.spanCount)
            try await Task.sleep(for: .milliseconds(500))
            try await record.consume(data)
        }
        var settings = OTLPReceiverConfig.GRPC()
        settings.endpoint = HostPort(host: "127.0.0.1", port: 0)
        let server = OTLPGRPCServer(settings: settings, context: testContext("otlp"), consumers: ReceiverConsumers(traces: slow))
        try await server.start()
        let port = try #require(server.localAddress?.port)
        try await withExporter(TracesData.self, port: port) { exporter in
            try await exporter.export(sampleTraces(spans: 1, service: "warm-up"))
            async let inFlight: Void = exporter.export(sampleTraces(spans: 2))
            // Shut down once the call is being handled.
            var arrivals = arrived.stream.makeAsyncIterator()
            while let n = await arrivals.next(), n != 2 {}
            let clock = ContinuousClock()
            let took = await clock.measure { await server.shutdown() }
            try await inFlight
            #expect(took >= .milliseconds(100) && took < .seconds(3), "\(took)")
            #expect(traces.received.map(\.spanCount) == [1, 2])
            let after = try #require(await exportError(exporter, sampleTraces(spans: 1)))
            #expect(after.kind == .refused, "\(after)")
        }
    }

    @Test func concurrentCallsOnOneConnection() async throws {
        let traces = Recorder<TracesData>()
        try await withReceiver(consumers: ReceiverConsumers(traces: traces.consumer)) { port in
            try await withExporter(TracesData.self, port: port) { exporter in
                let payload = sampleTraces(spans: 100)
                let clock = ContinuousClock()
                let took = try await clock.measure {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<8 {
                            group.addTask { for _ in 0..<125 { try await exporter.export(payload) } }
                        }
                        try await group.waitForAll()
                    }
                }
                print("1000 calls x 100 spans, 8 concurrent, gzip, debug build: \(took)")
            }
            #expect(traces.received.count == 1000)
            #expect(traces.received.allSatisfy { $0.spanCount == 100 })
        }
    }

    @Test func startFailsWhenPortIsTaken() async throws {
        try await withReceiver(consumers: ReceiverConsumers()) { port in
            var settings = OTLPReceiverConfig.GRPC()
            settings.endpoint = HostPort(host: "127.0.0.1", port: port)
            let second = OTLPGRPCServer(settings: settings, context: testContext("otlp"), consumers: ReceiverConsumers())
            do {
                try await second.start()
                Issue.record("second server bound a taken port")
                await second.shutdown()
            } catch {
                print("port taken: \(error)")
                #expect(second.localAddress == nil)
            }
        }
    }

    @Test func classification() {
        let retryable: [RPCError.Code] = [.cancelled, .deadlineExceeded, .aborted, .outOfRange, .unavailable, .dataLoss]
        for code in retryable {
            #expect(OTLPGRPCExporter<TracesData>.classify(RPCError(code: code, message: "x"), target: "t").kind == .refused)
        }
        let permanent: [RPCError.Code] = [.unknown, .invalidArgument, .notFound, .alreadyExists, .permissionDenied, .resourceExhausted,
                                          .failedPrecondition, .unimplemented, .internalError, .unauthenticated]
        for code in permanent {
            #expect(OTLPGRPCExporter<TracesData>.classify(RPCError(code: code, message: "x"), target: "t").kind == .permanent)
        }
        let throttled = OTLPGRPCExporter<TracesData>.classify(OTLPGRPC.error(.resourceExhausted, "slow down", retryAfter: .seconds(7)), target: "t")
        #expect(throttled.kind == .refused)
        #expect(throttled.retryAfter == .seconds(7))
    }

    @Test func endpointParsing() {
        func target(_ endpoint: String, insecure: Bool = false) -> HostPort? {
            var c = OTLPGRPCExporterConfig()
            c.endpoint = endpoint
            c.insecure = insecure
            return try? c.target.get()
        }
        #expect(target("http://collector:4317") == HostPort(host: "collector", port: 4317))
        #expect(target("collector:4317", insecure: true) == HostPort(host: "collector", port: 4317))
        #expect(target("[::1]:4317", insecure: true) == HostPort(host: "::1", port: 4317))
        #expect(target("collector:4317") == nil)  // would need TLS
        #expect(target("https://collector:4317", insecure: true) == nil)
        #expect(target("http://collector") == nil)
    }

    static let packageRoot = PythonPeer.repositoryRoot
    static let python = packageRoot.appendingPathComponent(".venv/bin/python").path

    /// The official grpcio client against the receiver (needs `.venv` with grpcio and opentelemetry-proto).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: python) || ProcessInfo.processInfo.environment["OTELSW_REQUIRE_PEERS"] == "1"))
    func officialPythonClient() async throws {
        let traces = Recorder<TracesData>()
        let logs = ClosureConsumer<LogsData> { _ in throw ConsumerError.refused("memory limit", retryAfter: .milliseconds(2500)) }
        let metrics = ClosureConsumer<MetricsData> { _ in throw ConsumerError.permanent("nope") }
        try await withReceiver(consumers: ReceiverConsumers(traces: traces.consumer, metrics: metrics, logs: logs)) { port in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.python)
            process.arguments = [Self.packageRoot.appendingPathComponent("Tests/python/grpc_client_check.py").path, "\(port)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                process.terminationHandler = { _ in done.resume() }
                do { try process.run() } catch {
                    Issue.record("cannot run python: \(error)")
                    done.resume()
                }
            }
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            print(output)
            #expect(process.terminationStatus == 0, "\(output)")
            #expect(traces.received.map(\.spanCount) == [7, 7, 1])
        }
    }
}
