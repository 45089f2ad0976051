import Components
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import OTelModel
import OTelTestSupport
import Runtime
import Synchronization
import Telemetry
import Transport

/// An agent run in-process from a pipeline file that tests rewrite and reload, as `otelsw` does on
/// a trigger (the same ``ConfigReloader``).
final class ReloadingAgent: Sendable {
    let file: URL
    let reloader: ConfigReloader
    let telemetry: SelfTelemetry
    let group: MultiThreadedEventLoopGroup

    init(yaml: String, drainTimeout: Duration = .seconds(5)) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        file = dir.appendingPathComponent("pipeline.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let path = file.path
        let config = try AgentConfig.load(path: path, registry: Components.registry, environment: [:])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let telemetry = SelfTelemetry(version: "test")
        let logger = { var l = Logger(label: "reload-test"); l.logLevel = .warning; return l }()
        self.group = group
        self.telemetry = telemetry
        reloader = ConfigReloader(
            config: config, telemetry: telemetry, logger: logger,
            load: { try AgentConfig.load(path: path, registry: Components.registry, environment: [:]) },
            build: { config, previous in
                try await PipelineGraph.build(config: config, telemetry: telemetry, logger: logger,
                                              eventLoopGroup: group, drainTimeout: drainTimeout, previous: previous)
            })
        try await reloader.start()
    }

    /// Writes `yaml` as the pipeline file and reloads it.
    @discardableResult
    func reload(_ yaml: String) async throws -> ConfigReloader.Outcome {
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return await reloader.reload(trigger: "test")
    }

    var otlpReceiver: OTLPReceiver { reloader.current!.receivers.compactMap { $0.component as? OTLPReceiver }.first! }

    func metric(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        PrometheusText.value(in: String(decoding: telemetry.render(), as: UTF8.self), name: name, labels: labels)
    }

    /// The sum of every sample of `name` whose labels include `labels`; 0 when there is none.
    func total(_ name: String, _ labels: [String: String] = [:]) -> Double {
        PrometheusText.total(in: String(decoding: telemetry.render(), as: UTF8.self), name: name, labels: labels)
    }

    func stop() async {
        await reloader.shutdown()
        try? await group.shutdownGracefully()
        try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
    }
}

/// An OTLP/HTTP backend that records every span it receives by span id, with the value of one
/// attribute, and can be told to answer 503 or to wait before answering.
final class RecordingBackend: Sendable {
    struct State {
        var spans: [UInt64: String] = [:]
        var duplicates = 0
        var down = false
        var delay: Duration = .zero
    }

    final class Box: Sendable { let state = Mutex(State()) }
    let box = Box()
    let server: HTTPServer
    let attribute: String

    init(attribute: String = "phase") async throws {
        self.attribute = attribute
        let box = box
        server = HTTPServer(host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, maxBodySize: 16 << 20,
                            logger: Logger(label: "backend")) { [attribute] request in
            let (down, delay) = box.state.withLock { ($0.down, $0.delay) }
            if delay > .zero { try? await Task.sleep(for: delay) }
            if down { return .text(.serviceUnavailable, "down\n") }
            guard let data = try? TracesData(protobuf: ByteStorage(copying: request.body.readableBytesView)) else {
                return .text(.badRequest, "not OTLP\n")
            }
            box.state.withLock { s in
                for rs in data.resourceSpans {
                    for ss in rs.scopeSpans {
                        for span in ss.spans {
                            let value = span.attributes[key: ByteString(attribute)].flatMap { v -> String? in
                                if case .string(let text) = v { return text.string }
                                return nil
                            } ?? ""
                            if s.spans.updateValue(value, forKey: span.spanID.value) != nil { s.duplicates += 1 }
                        }
                    }
                }
            }
            return HTTPServerResponse(status: .ok, headers: ["content-type": "application/x-protobuf"])
        }
        try await server.start()
    }

    var port: Int { server.localAddress!.port! }
    var spans: [UInt64: String] { box.state.withLock { $0.spans } }
    var duplicates: Int { box.state.withLock { $0.duplicates } }

    /// Waits (bounded) until `accept` holds for what was received.
    func waitUntil(timeout: Duration = .seconds(20), _ accept: ([UInt64: String]) -> Bool) async throws -> Bool {
        await eventually(timeout: timeout) { accept(spans) }
    }

    func stop() async { await server.shutdown() }
}
