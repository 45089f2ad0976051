import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing
import Transport

/// The HTTP/1.1 server against byte-exact requests over real loopback sockets: keep-alive,
/// pipelining, chunked bodies, the body limit, `Connection: close`, a client that goes away in the
/// middle of a request, and shutdown.
@Suite(.timeLimit(.minutes(1)))
struct HTTPServerTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// A server whose handler answers `<method> <path> <body bytes>:<body>`.
    static func echo(maxBodySize: Int = 1024, gracePeriod: Duration = .seconds(5),
                     handler: HTTPServer.Handler? = nil) async throws -> (HTTPServer, Int) {
        let server = HTTPServer(host: "127.0.0.1", port: 0, group: group, maxBodySize: maxBodySize, logger: Logger(label: "test"),
                                gracePeriod: gracePeriod, handler: handler ?? { request in
            if request.bodyTooLarge { return .text(.payloadTooLarge, "too large\n") }
            var body = request.body
            let text = body.readString(length: body.readableBytes) ?? ""
            return .text(.ok, "\(request.method) \(request.path) \(text.utf8.count):\(text)")
        })
        try await server.start()
        return (server, try #require(server.localAddress?.port))
    }

    @Test func keepAliveServesRequestsInTurnOnOneConnection() async throws {
        let (server, port) = try await Self.echo()
        let c = try RawConnection(port: port)
        try c.write("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        let first = await c.readResponses(1)
        try c.write("GET /b?q=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        let second = await c.readResponses(1)
        #expect(first.responses.map(\.body) == ["POST /a 5:hello"])
        #expect(second.responses.map(\.body) == ["GET /b 0:"], "the query string is not part of the path")
        #expect(!first.closed && !second.closed)
        await server.shutdown()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let (server, port) = try await Self.echo()
        let c = try RawConnection(port: port)
        try c.write("POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\naPOST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nbbGET /3 HTTP/1.1\r\nHost: x\r\n\r\n")
        let (responses, _) = await c.readResponses(3)
        #expect(responses.map(\.body) == ["POST /1 1:a", "POST /2 2:bb", "GET /3 0:"])
        await server.shutdown()
    }

    @Test func chunkedBodiesAreAssembled() async throws {
        let (server, port) = try await Self.echo()
        let c = try RawConnection(port: port)
        try c.write("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        let (responses, _) = await c.readResponses(1)
        #expect(responses.map(\.body) == ["POST /c 11:hello world"])
        await server.shutdown()
    }

    @Test func aBodyOverTheLimitIs413AndTheConnectionCloses() async throws {
        let (server, port) = try await Self.echo(maxBodySize: 8)
        let c = try RawConnection(port: port)
        try c.write("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n123456789")
        let (responses, closed) = await c.readResponses(1)
        #expect(responses.map(\.status) == [413])
        #expect(responses.first?.headers["connection"] == "close")
        let closedAfter = closed ? true : await c.read().closed
        #expect(closedAfter, "the server closes after a 413")
        // A body at the limit still goes through, on a new connection.
        let d = try RawConnection(port: port)
        try d.write("POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\n12345678")
        #expect(await d.readResponses(1).responses.map(\.body) == ["POST /ok 8:12345678"])
        await server.shutdown()
    }

    @Test func connectionCloseIsHonoured() async throws {
        let (server, port) = try await Self.echo()
        let c = try RawConnection(port: port)
        try c.write("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let (responses, closed) = await c.readResponses(1)
        #expect(responses.map(\.status) == [200])
        let closedAfter = closed ? true : await c.read().closed
        #expect(closedAfter)
        await server.shutdown()
    }

    /// A client that sends half a request and goes away leaves nothing in flight: shutdown does not
    /// wait out its (here, ten-minute) grace period, and other clients are served meanwhile.
    @Test func aClientGoneMidRequestHoldsNothingUp() async throws {
        let (server, port) = try await Self.echo(gracePeriod: .seconds(600))
        do {
            let c = try RawConnection(port: port)
            try c.write("POST /half HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part")
            c.closeWrite()
            _ = await c.read()
        }
        let d = try RawConnection(port: port)
        try d.write("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await d.readResponses(1).responses.map(\.body) == ["GET /next 0:"])
        await server.shutdown()
    }

    /// Shutdown lets a request in flight finish and answers it, then returns as soon as it is done.
    @Test func shutdownWaitsForTheRequestInFlight() async throws {
        let gate = AsyncStream<Void>.makeStream()
        let entered = AsyncStream<Void>.makeStream()
        let (server, port) = try await Self.echo(gracePeriod: .seconds(600)) { _ in
            entered.continuation.yield()
            var it = gate.stream.makeAsyncIterator()
            _ = await it.next()
            return .text(.ok, "done")
        }
        let c = try RawConnection(port: port)
        try c.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        var inHandler = entered.stream.makeAsyncIterator()
        _ = await inHandler.next()
        async let stopped: Void = server.shutdown()
        gate.continuation.yield()
        let (responses, _) = await c.readResponses(1)
        await stopped
        #expect(responses.map(\.body) == ["done"])
        #expect(responses.first?.headers["connection"] == "close", "a response during shutdown closes its connection")
    }
}
