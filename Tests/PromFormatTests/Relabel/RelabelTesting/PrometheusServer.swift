import Foundation
import FoundationNetworking
import Glibc

/// A Prometheus server run for one test: loopback port, config and TSDB in a temporary directory, stopped
/// (and the directory removed) by `stop()`.
final class PrometheusServer {
    let port: UInt16
    let directory: URL
    private let process: Process

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `binary` with `config` (YAML text).
    init(binary: String, config: String) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("relabel-prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configURL = directory.appendingPathComponent("prometheus.yml")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        let logURL = directory.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(configURL.path)",
            "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
            "--log.level=warn",
        ]
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The server's log so far (for failure messages).
    var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? ""
    }

    /// GET `path` on the server; nil when it does not answer (yet).
    func get(_ path: String) async -> Data? {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            (response as? HTTPURLResponse)?.statusCode == 200
        else { return nil }
        return data
    }

    /// Stops the server (TERM, then KILL after 10 s) and removes its directory.
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline {
                usleep(50_000)
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A port the kernel just handed out on 127.0.0.1.
    private static func freePort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw StartError(description: "socket() failed") }
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
        guard bound == 0 else { throw StartError(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw StartError(description: "getsockname() failed") }
        return UInt16(bigEndian: address.sin_port)
    }
}

/// The parts of `GET /api/v1/targets` the cross-check reads.
struct TargetsResponse: Decodable {
    struct Active: Decodable {
        var discoveredLabels: [String: String]
        var labels: [String: String]
    }

    struct Dropped: Decodable {
        var discoveredLabels: [String: String]
    }

    struct Payload: Decodable {
        var activeTargets: [Active]
        var droppedTargets: [Dropped]
    }

    var status: String
    var data: Payload
}
