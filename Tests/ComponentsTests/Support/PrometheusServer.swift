import AgentTestSupport
import Foundation
import OTelTestSupport

/// A real Prometheus (Debian's `prometheus` package, 2.42) started for one test on 127.0.0.1, with its
/// own configuration and a temporary storage directory, and queried over its HTTP API.
final class PrometheusServer {
    static let binary = "/usr/bin/prometheus"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) || PythonPeer.required }

    private(set) var port: Int
    private(set) var directory: URL
    private var process = Process()
    private var logHandle: FileHandle?

    /// Starts Prometheus with `config` (prometheus.yml text) and the remote-write receiver on.
    /// `agent: true` runs it in agent mode (scrape and remote-write only). A start that fails before
    /// Prometheus is ready (a port taken by someone else between choosing and binding it) is retried
    /// with a fresh port and directory, up to three times.
    init(config: String, agent: Bool = false, port fixedPort: Int? = nil, extraFlags: [String] = []) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw PeerError("prometheus is not installed: run scripts/test-env.sh (apt package 'prometheus')")
        }
        port = 0
        directory = FileManager.default.temporaryDirectory
        var failures: [String] = []
        for _ in 0..<3 {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-prom-\(UUID().uuidString)")
            if let fixedPort { port = fixedPort } else { port = try await PersistentQueueProcessTests.freePort() }
            if let failure = try await attempt(config: config, agent: agent, extraFlags: extraFlags) {
                failures.append(failure)
                continue
            }
            return
        }
        throw PeerError("prometheus did not start:\n" + failures.joined(separator: "\n"))
    }

    /// One start; nil when Prometheus is ready, else why not.
    private func attempt(config: String, agent: Bool, extraFlags: [String]) async throws -> String? {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configFile = directory.appendingPathComponent("prometheus.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        logHandle = handle
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
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
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while clock.now < deadline {
            guard process.isRunning else { break }
            if let r = try? await HTTPTestClient.get(port: port, path: "/-/ready"), r.status == 200, process.isRunning { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = logText
        let status = process.isRunning ? "still running" : "exited with status \(process.terminationStatus)"
        stop()
        return "port \(port): \(status); log: \(text)"
    }

    var logText: String { (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? "" }

    /// The remote-write URL.
    var writeURL: String { "http://127.0.0.1:\(port)/api/v1/write" }

    struct Series: Equatable, CustomStringConvertible {
        var labels: [String: String]
        var value: Double
        var description: String { "\(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")) \(value)" }
    }

    /// Evaluates an instant query; each element of the resulting vector with its labels and value.
    func query(_ promql: String, at time: Double? = nil) async throws -> [Series] {
        var components = URLComponents()
        components.path = "/api/v1/query"
        components.queryItems = [URLQueryItem(name: "query", value: promql)] + (time.map { [URLQueryItem(name: "time", value: String($0))] } ?? [])
        let path = components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        let r = try await HTTPTestClient.get(port: port, path: path)
        guard r.status == 200,
              let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
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

    /// Polls `promql` until `accept` holds for its result (bounded), and returns the last result.
    func waitFor(_ promql: String, timeout: Duration = .seconds(30), _ accept: ([Series]) -> Bool) async throws -> [Series] {
        var last: [Series] = []
        try await eventually(timeout: timeout, every: .milliseconds(100)) {
            last = try await query(promql)
            return accept(last)
        }
        return last
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? logHandle?.close()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
