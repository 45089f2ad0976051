import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PipelineCore
import Synchronization

/// One HTTP request with its whole body.
public struct HTTPServerRequest: Sendable {
    public var method: HTTPMethod
    /// The path without the query string.
    public var path: String
    public var headers: HTTPHeaders
    public var body: ByteBuffer
    /// The body was larger than the server's limit and was discarded; the handler should answer 413.
    public var bodyTooLarge: Bool
    /// The client's address, when the connection has one.
    public var remoteAddress: SocketAddress? = nil
}

/// The answer to an ``HTTPServerRequest``.
public struct HTTPServerResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func text(_ status: HTTPResponseStatus, _ text: String) -> HTTPServerResponse {
        HTTPServerResponse(status: status, headers: ["content-type": "text/plain; charset=utf-8"], body: ByteBuffer(string: text))
    }
}

/// A small HTTP/1.1 server: keep-alive, bodies aggregated up to a limit (413 beyond it), one async handler.
///
/// `start` binds and returns; `shutdown` stops accepting, lets in-flight requests finish (bounded by
/// `gracePeriod`), then closes every connection.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPServerRequest) async -> HTTPServerResponse

    let host: String
    let port: Int
    let group: any EventLoopGroup
    let maxBodySize: Int
    let handler: Handler
    let logger: Logger
    let gracePeriod: Duration

    private struct State {
        var server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>?
        var serverChannel: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var inFlight = 0
        var stopping = false
        var runTask: Task<Void, Never>?
    }

    private let state = Mutex(State())
    /// Wakes shutdown when the last request in flight has been answered.
    private let drained = DrainWait()

    public init(host: String, port: Int, group: any EventLoopGroup, maxBodySize: Int, logger: Logger,
                gracePeriod: Duration = .seconds(5), handler: @escaping Handler) {
        self.host = host
        self.port = port
        self.group = group
        self.maxBodySize = maxBodySize
        self.logger = logger
        self.gracePeriod = gracePeriod
        self.handler = handler
    }

    /// The bound address (useful with port 0).
    public var localAddress: SocketAddress? { state.withLock { $0.serverChannel?.localAddress } }

    public func start() async throws {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: child)
                }
            }
        let task = Task<Void, Never> { [self] in
            _ = try? await server.executeThenClose { inbound in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await connection in inbound {
                            group.addTask { await self.serve(connection) }
                        }
                    } catch {
                        logger.debug("accept loop ended", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
        state.withLock {
            $0.server = server
            $0.serverChannel = server.channel
            $0.runTask = task
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let channel = connection.channel
        let key = ObjectIdentifier(channel)
        let admitted = state.withLock { s -> Bool in
            if s.stopping { return false }
            s.connections[key] = channel
            return true
        }
        guard admitted else {
            try? await channel.close()
            return
        }
        defer { _ = state.withLock { $0.connections.removeValue(forKey: key) } }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                // A connection that drops mid-request must not leave the request counted as in flight.
                defer {
                    if head != nil { drained.signal(isEmpty: state.withLock { $0.inFlight -= 1; return $0.inFlight == 0 }) }
                }
                var body = ByteBuffer()
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        // Size the buffer once from Content-Length instead of growing it chunk by chunk.
                        let declared = h.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
                        body = channel.allocator.buffer(capacity: min(max(declared, 0), maxBodySize))
                        tooLarge = false
                        state.withLock { $0.inFlight += 1 }
                    case .body(var chunk):
                        if tooLarge { continue }
                        if body.readableBytes + chunk.readableBytes > maxBodySize {
                            tooLarge = true
                            body = ByteBuffer()
                        } else {
                            body.writeBuffer(&chunk)
                        }
                    case .end:
                        guard let h = head else { continue }
                        let path = String(h.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                        var response = await handler(HTTPServerRequest(method: h.method, path: path, headers: h.headers, body: body, bodyTooLarge: tooLarge,
                                                                             remoteAddress: channel.remoteAddress))
                        if tooLarge && response.status != .payloadTooLarge {
                            response = .text(.payloadTooLarge, "request body exceeds \(maxBodySize) bytes\n")
                        }
                        head = nil
                        let (stopping, idle) = state.withLock { s -> (Bool, Bool) in
                            s.inFlight -= 1
                            return (s.stopping, s.inFlight == 0)
                        }
                        drained.signal(isEmpty: idle)
                        let keepAlive = h.isKeepAlive && !tooLarge && !stopping
                        var headers = response.headers
                        headers.replaceOrAdd(name: "content-length", value: "\(response.body.readableBytes)")
                        if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
                        try await outbound.write(.head(HTTPResponseHead(version: h.version, status: response.status, headers: headers)))
                        if response.body.readableBytes > 0 { try await outbound.write(.body(.byteBuffer(response.body))) }
                        try await outbound.write(.end(nil))
                        body = ByteBuffer()
                        if !keepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("connection ended with an error", metadata: ["error": "\(error)"])
        }
    }

    public func shutdown() async {
        let (server, task) = state.withLock { s in
            s.stopping = true
            return (s.serverChannel, s.runTask)
        }
        try? await server?.close()
        await drained.wait(timeout: gracePeriod) { [self] in state.withLock { $0.inFlight == 0 } }
        let connections = state.withLock { Array($0.connections.values) }
        for c in connections { try? await c.close() }
        await task?.value
    }
}
