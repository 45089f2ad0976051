import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc

/// A real Prometheus (Debian's `prometheus` package, 2.42) started for one test on 127.0.0.1, with its
/// own configuration and a temporary directory for storage and its log, and read over its HTTP API.
///
/// Tests that need it are enabled when the binary is installed; with `OTELSW_REQUIRE_PEERS=1` (as the
/// test command sets) a missing binary is a failure instead of a skip: ``available`` is then true and
/// the initializer throws.
public final class PrometheusServer {
    /// The `prometheus` binary: /usr/bin/prometheus, else the first on PATH; nil when not installed.
    public static let binary = locate("prometheus")
    /// `promtool`, from the same package, found the same way.
    public static let promtool = locate("promtool")

    /// `OTELSW_REQUIRE_PEERS=1`: a missing binary fails the tests that need it instead of skipping them.
    public static var required: Bool { PythonPeer.required }
    /// Whether tests that need Prometheus run: it is installed, or it is required.
    public static var available: Bool { binary != nil || required }

    public static let missingMessage = "prometheus is not installed: run scripts/test-env.sh (apt package 'prometheus')"

    public private(set) var port: Int
    public private(set) var directory: URL
    private var process = Process()
    /// Signalled when the current process exits.
    private var exited = DispatchSemaphore(value: 0)
    private var logHandle: FileHandle?

    /// Starts Prometheus with `config` (prometheus.yml text; JSON is YAML too) and waits until it is ready.
    ///
    /// Without `agent` it keeps a TSDB and has the remote-write receiver on; `agent: true` runs it in agent
    /// mode (scrape and remote-write only). `port` fixes the listen port, else a free one is chosen;
    /// `extraFlags` go last on the command line. A start that fails before Prometheus is ready (a port
    /// taken by someone else between choosing and binding it) is retried with a fresh port and directory,
    /// up to three times.
    public init(config: String, agent: Bool = false, port fixedPort: Int? = nil, extraFlags: [String] = []) async throws {
        guard let binary = Self.binary else { throw PeerError(Self.missingMessage) }
        port = 0
        directory = Self.freshDirectory()
        var failures: [String] = []
        for _ in 0..<3 {
            directory = Self.freshDirectory()
            port = try fixedPort ?? Self.freePort()
            if let failure = try await attempt(binary: binary, config: config, agent: agent, extraFlags: extraFlags) {
                failures.append(failure)
                continue
            }
            return
        }
        throw PeerError("prometheus did not start:\n" + failures.joined(separator: "\n"))
    }

    /// A new path under the temporary directory, for one start.
    private static func freshDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-prom-\(UUID().uuidString)")
    }

    /// One start; nil when Prometheus is ready, else why not (the process is then stopped).
    private func attempt(binary: String, config: String, agent: Bool, extraFlags: [String]) async throws -> String? {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configFile = directory.appendingPathComponent("prometheus.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let logFile = directory.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        logHandle = handle
        process = Process()
        let exited = DispatchSemaphore(value: 0)
        self.exited = exited
        process.executableURL = URL(fileURLWithPath: binary)
        var arguments = [
            "--config.file=\(configFile.path)",
            "--web.listen-address=127.0.0.1:\(port)",
            "--log.level=warn",
        ]
        if agent {
            arguments += ["--enable-feature=agent", "--storage.agent.path=\(directory.appendingPathComponent("data-agent").path)"]
        } else {
            arguments += ["--storage.tsdb.path=\(directory.appendingPathComponent("data").path)", "--web.enable-remote-write-receiver"]
        }
        process.arguments = arguments + extraFlags
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { _ in _ = exited.signal() }
        try process.run()
        // Ends early when the process exits: a port taken by someone else, say.
        var ready = false
        await eventually(timeout: .seconds(30), every: .milliseconds(50)) {
            guard process.isRunning else { return true }
            ready = (try? await get("/-/ready", timeout: 2))?.status == 200 && process.isRunning
            return ready
        }
        if ready { return nil }
        let text = log
        let status = process.isRunning ? "still running" : "exited with status \(process.terminationStatus)"
        stop()
        return "port \(port): \(status); log: \(text)"
    }

    /// The server's log so far (for failure messages).
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? "" }

    /// The remote-write URL.
    public var writeURL: String { "http://127.0.0.1:\(port)/api/v1/write" }

    /// An answer to ``get(_:timeout:)``.
    public struct Response: Sendable {
        public var status: Int
        public var body: Data
        public var bodyString: String { String(decoding: body, as: UTF8.self) }
    }

    /// GET `path` (with its query, percent-encoded) on the server, whatever the status; throws when it
    /// does not answer within `timeout` seconds.
    public func get(_ path: String, timeout: TimeInterval = 10) async throws -> Response {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw PeerError("not a URL path: \(path)") }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        // Polls ask the same question until the answer changes.
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw PeerError("GET \(path): not an HTTP response") }
        return Response(status: http.statusCode, body: data)
    }

    /// One element of an instant vector.
    public struct Series: Equatable, Sendable, CustomStringConvertible {
        public var labels: [String: String]
        public var value: Double
        public var description: String { "\(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")) \(value)" }

        public init(labels: [String: String], value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    /// Evaluates an instant query (at `time`, seconds since the epoch, else now); each element of the
    /// resulting vector with its labels and value. Throws unless Prometheus answers 200 with a vector.
    public func query(_ promql: String, at time: Double? = nil) async throws -> [Series] {
        var components = URLComponents()
        components.path = "/api/v1/query"
        components.queryItems = [URLQueryItem(name: "query", value: promql)] + (time.map { [URLQueryItem(name: "time", value: String($0))] } ?? [])
        // A '+' left as is would be read as a space.
        let path = components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        let r = try await get(path)
        guard r.status == 200,
              let json = try JSONSerialization.jsonObject(with: r.body) as? [String: Any],
              let data = json["data"] as? [String: Any],
              let result = data["result"] as? [[String: Any]] else {
            throw PeerError("query \(promql) failed: HTTP \(r.status) \(r.bodyString)")
        }
        return result.compactMap { item in
            guard let metric = item["metric"] as? [String: String], let value = item["value"] as? [Any], value.count == 2,
                  let text = value[1] as? String else { return nil }
            return Series(labels: metric, value: Double(text) ?? .nan)
        }
    }

    /// Polls `promql` until `accept` holds for its result (bounded by `timeout`), and returns the last result.
    public func waitFor(_ promql: String, timeout: Duration = .seconds(30), _ accept: ([Series]) -> Bool) async throws -> [Series] {
        var last: [Series] = []
        try await eventually(timeout: timeout, every: .milliseconds(100)) {
            last = try await query(promql)
            return accept(last)
        }
        return last
    }

    /// Stops the server (TERM, then KILL when it has not exited within 10 s) and removes its directory.
    /// Called again (or from `deinit`), it does nothing more.
    public func stop() {
        if process.isRunning {
            process.terminate()
            if exited.wait(timeout: .now() + .seconds(10)) == .timedOut, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
        }
        try? logHandle?.close()
        logHandle = nil
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    /// A port the kernel just handed out on 127.0.0.1 (bound, read and released), so likely free.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw PeerError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw PeerError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw PeerError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The executable `name` in /usr/bin or, failing that, the first directory of PATH that has it.
    private static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = ["/usr/bin"] + path.split(separator: ":").map(String.init)
        for directory in directories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
