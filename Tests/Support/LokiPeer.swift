import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// What `GET /pushes` returns for one accepted push.
public struct RecordedPush: Decodable, Sendable {
    public var tenant: String?
    public var contentType: String?
    public var contentEncoding: String?
    public var userAgent: String?
    public var streams: [RecordedStream]

    enum CodingKeys: String, CodingKey {
        case tenant, streams
        case contentType = "content_type"
        case contentEncoding = "content_encoding"
        case userAgent = "user_agent"
    }
}

public struct RecordedStream: Decodable, Equatable, Sendable {
    public var labels: [String: String]
    public var entries: [RecordedEntry]

    public init(labels: [String: String], entries: [RecordedEntry]) {
        self.labels = labels
        self.entries = entries
    }
}

public struct RecordedEntry: Decodable, Equatable, Sendable {
    public var ts: String
    public var line: String
    public var metadata: [String: String]

    public init(ts: String, line: String, metadata: [String: String]) {
        self.ts = ts
        self.line = line
        self.metadata = metadata
    }
}

/// A running `python/loki_peer.py`, one per test. Stopped by ``stop()`` or when stdin closes.
public final class LokiPeer {
    public let port: Int
    private let process: Process
    private let stdin: Pipe

    private init(port: Int, process: Process, stdin: Pipe) {
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    /// Starts a peer, runs `body` with it and stops it.
    public static func with<R>(_ body: (LokiPeer) async throws -> R) async throws -> R {
        let peer = try await start()
        defer { peer.stop() }
        return try await body(peer)
    }

    public static func start() async throws -> LokiPeer {
        guard let python = PythonPeer.python else { throw PeerError("the test venv is missing: run scripts/test-env.sh") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PythonPeer.script("loki_peer.py"), "--port", "0"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        let portLine = PortLine()
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            portLine.feed(data)
        }
        process.terminationHandler = { p in
            portLine.finish(.failure(PeerError("loki_peer.py exited with status \(p.terminationStatus)")))
        }
        try process.run()
        let timeout = Task {
            try await Task.sleep(for: .seconds(30))
            portLine.finish(.failure(PeerError("loki_peer.py did not print its port within 30 s")))
        }
        defer { timeout.cancel() }
        do {
            let port = try await portLine.wait()
            stdout.fileHandleForReading.readabilityHandler = nil
            return LokiPeer(port: port, process: process, stdin: stdin)
        } catch {
            process.terminate()
            throw error
        }
    }

    public func stop() {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    public struct Response {
        public var status: Int
        public var body: String
        public var headers: [String: String]
    }

    public func request(_ method: String, _ path: String, body: [UInt8] = [], headers: [String: String] = [:]) async throws -> Response {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if method == "POST" { request.httpBody = Data(body) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw PeerError("not an HTTP response") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Response(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: fields)
    }

    /// Posts a push body as-is (already compressed when needed).
    public func push(_ body: [UInt8], contentType: String, contentEncoding: String? = nil, tenant: String? = nil) async throws -> Response {
        var headers = ["Content-Type": contentType, "User-Agent": "otelsw-test/0"]
        if let contentEncoding { headers["Content-Encoding"] = contentEncoding }
        if let tenant { headers["X-Scope-OrgID"] = tenant }
        return try await request("POST", "/loki/api/v1/push", body: body, headers: headers)
    }

    public func pushes() async throws -> [RecordedPush] {
        let response = try await request("GET", "/pushes")
        guard response.status == 200 else { throw PeerError("GET /pushes: \(response.status) \(response.body)") }
        return try JSONDecoder().decode([RecordedPush].self, from: Data(response.body.utf8))
    }

    public func control(status: Int, times: Int, retryAfter: String? = nil, body: String = "") async throws {
        var object: [String: Any] = ["status": status, "times": times, "body": body]
        if let retryAfter { object["retry_after"] = retryAfter }
        let json = try JSONSerialization.data(withJSONObject: object)
        let response = try await request("POST", "/control", body: Array(json))
        guard response.status == 204 else { throw PeerError("POST /control: \(response.status) \(response.body)") }
    }
}

/// Collects the peer's stdout until the `PORT <n>` line; resumes the waiter once.
private final class PortLine: Sendable {
    private struct State {
        var text = ""
        var result: Result<Int, PeerError>?
        var waiter: CheckedContinuation<Int, any Error>?
    }

    private let state = Mutex(State())

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Int, any Error>) in
            let ready = state.withLock { s -> Result<Int, PeerError>? in
                if let result = s.result { return result }
                s.waiter = waiter
                return nil
            }
            if let ready { waiter.resume(with: ready) }
        }
    }

    func feed(_ data: Data) {
        let port = state.withLock { s -> Int? in
            s.text += String(decoding: data, as: UTF8.self)
            for line in s.text.split(separator: "\n") where line.hasPrefix("PORT ") {
                return Int(line.dropFirst(5))
            }
            return nil
        }
        if let port { finish(.success(port)) }
    }

    func finish(_ result: Result<Int, PeerError>) {
        let waiter = state.withLock { s -> CheckedContinuation<Int, any Error>? in
            guard s.result == nil else { return nil }
            s.result = result
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(with: result)
    }
}
