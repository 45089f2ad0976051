import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Transport

/// An OTLP/HTTP backend for benchmarks: answers 200 to every POST without decoding it, optionally
/// after a delay (to play a slow backend), and counts requests and bytes.
enum Sink {
    static func run(port: Int, delay: Duration) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let stats = Mutex((requests: 0, bytes: 0))
        let server = HTTPServer(host: "127.0.0.1", port: port, group: group, maxBodySize: 256 << 20, logger: Logger(label: "sink")) { request in
            stats.withLock {
                $0.requests += 1
                $0.bytes += request.body.readableBytes
            }
            if delay > .zero { try? await Task.sleep(for: delay) }
            return HTTPServerResponse(status: .ok, headers: ["content-type": "application/x-protobuf"])
        }
        try await server.start()
        print("sink listening on 127.0.0.1:\(server.localAddress?.port ?? port)")
        while true {
            try await Task.sleep(for: .seconds(5))
            let s = stats.withLock { $0 }
            FileHandle.standardError.write(Data("sink: \(s.requests) requests, \(s.bytes) bytes\n".utf8))
        }
    }
}
