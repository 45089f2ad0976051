import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PipelineCore
import Synchronization

/// A response from ``HTTPClient``.
public struct HTTPClientResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer
}

/// Why an HTTP request got no response.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// An HTTP/1.1 client for one `http://host:port`, with a pool of keep-alive connections.
///
/// Each connection carries one request at a time; at most `maxConnections` are opened. Every request
/// is bounded by its timeout; a connection that timed out is closed, never reused.
public final class HTTPClient: Sendable {
    let host: String
    let port: Int
    let group: any EventLoopGroup
    let maxConnections: Int
    private let idle = Mutex<[HTTPConnection]>([])

    public init(host: String, port: Int, group: any EventLoopGroup, maxConnections: Int = 16) {
        self.host = host
        self.port = port
        self.group = group
        self.maxConnections = maxConnections
    }

    /// Sends one request and waits for the whole response, at most `timeout`. A response body over
    /// `maxResponseBytes` fails the request (and closes its connection) as soon as it passes the limit.
    public func execute(method: HTTPMethod, path: String, headers: HTTPHeaders, body: ByteBuffer, timeout: Duration,
                        maxResponseBytes: Int = .max) async throws -> HTTPClientResponse {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        head.headers.replaceOrAdd(name: "host", value: port == 80 ? host : "\(host):\(port)")
        head.headers.replaceOrAdd(name: "content-length", value: "\(body.readableBytes)")
        let connection = try await acquire(timeout: timeout)
        do {
            let response = try await connection.send(head: head, body: body, timeout: timeout, maxResponseBytes: maxResponseBytes)
            if response.keepAlive { release(connection) } else { connection.close() }
            return response.response
        } catch {
            connection.close()
            throw error
        }
    }

    private func acquire(timeout: Duration) async throws -> HTTPConnection {
        while let c = idle.withLock({ $0.popLast() }) {
            if c.isActive { return c }
        }
        return try await HTTPConnection.connect(host: host, port: port, group: group, timeout: timeout)
    }

    private func release(_ c: HTTPConnection) {
        let keep = idle.withLock { pool -> Bool in
            guard pool.count < maxConnections else { return false }
            pool.append(c)
            return true
        }
        if !keep { c.close() }
    }

    /// Closes idle connections.
    public func shutdown() {
        let all = idle.withLock { pool in
            defer { pool = [] }
            return pool
        }
        for c in all { c.close() }
    }
}

/// One client connection; requests go one at a time through a task that owns the channel.
final class HTTPConnection: Sendable {
    typealias Reply = (response: HTTPClientResponse, keepAlive: Bool)
    typealias Pending = (head: HTTPRequestHead, body: ByteBuffer, reply: OnceReply<Reply>, limit: Int)

    let channel: any Channel
    private let requests: AsyncStream<Pending>.Continuation

    private init(channel: any Channel, requests: AsyncStream<Pending>.Continuation) {
        self.channel = channel
        self.requests = requests
    }

    var isActive: Bool { channel.isActive }

    static func connect(host: String, port: Int, group: any EventLoopGroup, timeout: Duration) async throws -> HTTPConnection {
        let millis = max(1, Int64(timeout.seconds * 1000))
        let async: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            async = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.milliseconds(millis))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw HTTPClientError(message: "cannot connect to \(host):\(port): \(error)")
        }
        let (stream, continuation) = AsyncStream<Pending>.makeStream()
        let connection = HTTPConnection(channel: async.channel, requests: continuation)
        Task {
            var current: Pending?
            do {
                try await async.executeThenClose { inbound, outbound in
                    var responses = inbound.makeAsyncIterator()
                    for await pending in stream {
                        current = pending
                        try await outbound.write(.head(pending.head))
                        if pending.body.readableBytes > 0 { try await outbound.write(.body(.byteBuffer(pending.body))) }
                        try await outbound.write(.end(nil))
                        var head: HTTPResponseHead?
                        var body = ByteBuffer()
                        reading: while let part = try await responses.next() {
                            switch part {
                            case .head(let h):
                                // 1xx informational responses are followed by the real one.
                                if h.status.code >= 100 && h.status.code < 200 { continue }
                                head = h
                            case .body(var b):
                                guard body.readableBytes + b.readableBytes <= pending.limit else {
                                    throw HTTPClientError(message: "response body larger than \(pending.limit) bytes")
                                }
                                body.writeBuffer(&b)
                            case .end:
                                if head != nil { break reading }
                            }
                        }
                        guard let head else { throw HTTPClientError(message: "connection closed before a response") }
                        current = nil
                        pending.reply.resume(returning: (HTTPClientResponse(status: head.status, headers: head.headers, body: body), head.isKeepAlive))
                    }
                }
            } catch let error as HTTPClientError {
                current?.reply.resume(throwing: error)
                current = nil
            } catch {
                current?.reply.resume(throwing: HTTPClientError(message: "request failed: \(error)"))
                current = nil
            }
            current?.reply.resume(throwing: HTTPClientError(message: "connection closed"))
            // Fail whatever is still waiting.
            continuation.finish()
        }
        return connection
    }

    func send(head: HTTPRequestHead, body: ByteBuffer, timeout: Duration, maxResponseBytes: Int) async throws -> (response: HTTPClientResponse, keepAlive: Bool) {
        let channel = self.channel
        return try await withCheckedThrowingContinuation { c in
            let reply = OnceReply<Reply>(c)
            let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                reply.resume(throwing: HTTPClientError(message: "no response within \(timeout)"))
                channel.close(promise: nil)
            }
            reply.onResume { timer.cancel() }
            if case .terminated = requests.yield((head, body, reply, maxResponseBytes)) {
                reply.resume(throwing: HTTPClientError(message: "connection closed"))
            }
        }
    }

    func close() {
        requests.finish()
        channel.close(promise: nil)
    }
}

/// A continuation that is resumed at most once, whoever gets there first (response, error or timer).
final class OnceReply<T: Sendable>: Sendable {
    private let state: Mutex<(continuation: CheckedContinuation<T, any Error>?, onResume: (@Sendable () -> Void)?)>

    init(_ c: CheckedContinuation<T, any Error>) { state = Mutex((c, nil)) }

    func onResume(_ body: @escaping @Sendable () -> Void) { state.withLock { $0.onResume = body } }

    func resume(returning value: T) {
        let (c, hook) = state.withLock { s in
            defer { s = (nil, nil) }
            return (s.continuation, s.onResume)
        }
        hook?()
        c?.resume(returning: value)
    }

    func resume(throwing error: any Error) {
        let (c, hook) = state.withLock { s in
            defer { s = (nil, nil) }
            return (s.continuation, s.onResume)
        }
        hook?()
        c?.resume(throwing: error)
    }
}
