import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import NIOPosix

/// A plain TCP connection to 127.0.0.1 for byte-exact HTTP: what a test writes goes out as it is,
/// and reads are bounded by a receive timeout, so no test can hang on a server that stays silent.
/// Reads block, so they run on NIO's blocking-I/O pool, never on the tasks that serve the server.
final class RawConnection {
    let fd: Int32

    init(port: Int, receiveTimeout seconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawError("socket failed") }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw RawError("connect failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw RawError("send failed: errno \(errno)") }
            sent += n
        }
    }

    /// Half-closes the connection: the server sees the end of the request stream.
    func closeWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads until `done` says the text so far is complete, the server closes, or the timeout passes.
    func read(until done: @escaping @Sendable (String) -> Bool = { _ in false }) async -> (text: String, closed: Bool) {
        let fd = fd
        return (try? await NIOThreadPool.singleton.runIfActive { Self.blockingRead(fd, until: done) }) ?? ("", false)
    }

    private static func blockingRead(_ fd: Int32, until done: (String) -> Bool) -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return (String(decoding: received, as: UTF8.self), true) }
            if n < 0 { return (String(decoding: received, as: UTF8.self), false) }
            received += buffer[..<n]
            if done(String(decoding: received, as: UTF8.self)) { return (String(decoding: received, as: UTF8.self), false) }
        }
    }

    /// Reads until `count` whole responses (each with a Content-Length body) have arrived.
    func readResponses(_ count: Int) async -> (responses: [(status: Int, headers: [String: String], body: String)], closed: Bool) {
        let (text, closed) = await read { Self.parse($0).count >= count }
        return (Self.parse(text), closed)
    }

    /// Whole responses in `text`, in order.
    static func parse(_ text: String) -> [(status: Int, headers: [String: String], body: String)] {
        var out: [(status: Int, headers: [String: String], body: String)] = []
        var rest = Substring(text)
        while let end = rest.range(of: "\r\n\r\n") {
            let lines = rest[..<end.lowerBound].split(separator: "\r\n")
            guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { break }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = end.upperBound
            let bytes = rest[bodyStart...].utf8
            guard bytes.count >= length else { break }
            let bodyEnd = rest.utf8.index(bodyStart, offsetBy: length)
            out.append((status, headers, String(rest[bodyStart..<bodyEnd])))
            rest = rest[bodyEnd...]
        }
        return out
    }
}

struct RawError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
