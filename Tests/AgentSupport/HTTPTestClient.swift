import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Transport

/// A plain HTTP/1.1 client for tests, built on the agent's own ``HTTPClient`` (one connection per call).
public enum HTTPTestClient {
    public struct Response {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
        public var bodyString: String { String(decoding: body, as: UTF8.self) }
    }

    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    public static func request(port: Int, method: HTTPMethod = .POST, path: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> Response {
        let client = HTTPClient(host: "127.0.0.1", port: port, group: group, maxConnections: 1)
        defer { client.shutdown() }
        var h = HTTPHeaders()
        for (k, v) in headers { h.add(name: k, value: v) }
        var buffer = ByteBuffer()
        buffer.writeBytes(body)
        let r = try await client.execute(method: method, path: path, headers: h, body: buffer, timeout: .seconds(10))
        var b = r.body
        return Response(status: Int(r.status.code), headers: r.headers, body: b.readBytes(length: b.readableBytes) ?? [])
    }

    public static func get(port: Int, path: String) async throws -> Response {
        try await request(port: port, method: .GET, path: path)
    }
}
