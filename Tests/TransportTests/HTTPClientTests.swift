import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing
import Transport

/// The HTTP client against the server over loopback: requests and answers whole, connections
/// reused, the response size limit, and errors (nothing listening, a server that never answers).
@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    @Test func sendsAndReusesItsConnection() async throws {
        let peers = Mutex<Set<String>>([])
        let server = HTTPServer(host: "127.0.0.1", port: 0, group: Self.group, maxBodySize: 1 << 20, logger: Logger(label: "t")) { request in
            peers.withLock { _ = $0.insert("\(request.remoteAddress?.port ?? -1)") }
            var body = request.body
            return .text(.created, "\(request.headers.first(name: "x-test") ?? "") \(body.readString(length: body.readableBytes) ?? "")")
        }
        try await server.start()
        let port = try #require(server.localAddress?.port)
        let client = HTTPClient(host: "127.0.0.1", port: port, group: Self.group, maxConnections: 1)
        for i in 0..<3 {
            var r = try await client.execute(method: .POST, path: "/p", headers: ["x-test": "h\(i)"], body: ByteBuffer(string: "b\(i)"), timeout: .seconds(5))
            #expect(r.status == .created)
            #expect(r.body.readString(length: r.body.readableBytes) == "h\(i) b\(i)")
        }
        #expect(peers.withLock { $0.count } == 1, "three requests over one kept-alive connection")
        client.shutdown()
        await server.shutdown()
    }

    @Test func aResponseOverTheLimitFails() async throws {
        let server = HTTPServer(host: "127.0.0.1", port: 0, group: Self.group, maxBodySize: 1024, logger: Logger(label: "t")) { _ in
            .text(.ok, String(repeating: "x", count: 10_000))
        }
        try await server.start()
        let client = HTTPClient(host: "127.0.0.1", port: try #require(server.localAddress?.port), group: Self.group)
        await #expect(throws: (any Error).self) {
            _ = try await client.execute(method: .GET, path: "/", headers: [:], body: ByteBuffer(), timeout: .seconds(5), maxResponseBytes: 1000)
        }
        client.shutdown()
        await server.shutdown()
    }

    @Test func nothingListeningIsAnError() async throws {
        // Bind a port, then free it: nothing listens there.
        let probe = try await ServerBootstrap(group: Self.group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(probe.localAddress?.port)
        try await probe.close()
        let client = HTTPClient(host: "127.0.0.1", port: port, group: Self.group)
        await #expect(throws: HTTPClientError.self) {
            _ = try await client.execute(method: .GET, path: "/", headers: [:], body: ByteBuffer(), timeout: .seconds(5))
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let gate = AsyncStream<Void>.makeStream()
        let silent = HTTPServer(host: "127.0.0.1", port: 0, group: Self.group, maxBodySize: 1024, logger: Logger(label: "t"),
                                gracePeriod: .milliseconds(100)) { _ in
            var it = gate.stream.makeAsyncIterator()
            _ = await it.next()
            return .text(.ok, "late")
        }
        try await silent.start()
        let client = HTTPClient(host: "127.0.0.1", port: try #require(silent.localAddress?.port), group: Self.group)
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: (any Error).self) {
            _ = try await client.execute(method: .GET, path: "/", headers: [:], body: ByteBuffer(), timeout: .milliseconds(200))
        }
        #expect(clock.now - started < .seconds(20), "the timeout, not the server, ended the request")
        gate.continuation.finish()
        client.shutdown()
        await silent.shutdown()
    }
}
