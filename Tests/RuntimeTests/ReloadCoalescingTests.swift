import Components
import Configuration
import Logging
import NIOCore
import NIOPosix
import OTelTestSupport
import Runtime
import Synchronization
import Telemetry
import Testing

/// A burst of reload requests while one reload runs costs one more reload, not one per request:
/// requests that come while a reload waits join it, so they cannot queue without bound.
@Suite(.timeLimit(.minutes(1)))
struct ReloadCoalescingTests {
    static let yaml = """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 127.0.0.1:0
        exporters:
          nop:
        service:
          telemetry:
            metrics:
              address: ""
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [nop]
        """

    @Test func requestsDuringAReloadJoinTheOneWaiting() async throws {
        let config = try AgentConfig.parse(Self.yaml, file: "r.yaml", registry: Components.registry, environment: [:])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let telemetry = SelfTelemetry(version: "test")
        let logger = Logger(label: "reload-test")
        let builds = Mutex(0)
        let gate = AsyncStream<Void>.makeStream()
        let building = AsyncStream<Void>.makeStream()
        let reloader = ConfigReloader(
            config: config, telemetry: telemetry, logger: logger,
            load: { try AgentConfig.parse(Self.yaml, file: "r.yaml", registry: Components.registry, environment: [:]) },
            build: { config, previous in
                let n = builds.withLock { $0 += 1; return $0 }
                if n == 2 {
                    // The first reload holds here until every other request has come.
                    building.continuation.yield()
                    var it = gate.stream.makeAsyncIterator()
                    _ = await it.next()
                }
                return try await PipelineGraph.build(config: config, telemetry: telemetry, logger: logger, eventLoopGroup: group, previous: previous)
            })
        try await reloader.start()
        #expect(builds.withLock { $0 } == 1)

        let first = Task { await reloader.reload(trigger: "first") }
        var started = building.stream.makeAsyncIterator()
        _ = await started.next()
        let burst = (0..<20).map { i in Task { await reloader.reload(trigger: "burst \(i)") } }
        // The gate opens once every request of the burst waits on the one pending reload.
        #expect(await eventually(timeout: .seconds(10)) { await reloader.waitingRequests == 20 })
        gate.continuation.finish()
        #expect(await first.value.succeeded)
        for t in burst { #expect(await t.value.succeeded) }
        #expect(builds.withLock { $0 } == 3, "the start, the first reload, and the one all twenty requests joined")
        await reloader.shutdown()
        try await group.shutdownGracefully()
    }
}
