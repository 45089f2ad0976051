import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs actions on this machine: HTTP requests, commands, and restarts of named processes.
public struct SystemActionRunner: ActionRunner {
    /// How long an HTTP call or a command may take.
    public var timeout: Duration

    public init(timeout: Duration = .seconds(10)) {
        self.timeout = timeout
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func run(_ action: ResponderConfig.Action) async throws -> String {
        switch action {
        case .http(let method, let url, let body):
            return try await http(method: method, url: url, body: body)
        case .command(let argv):
            return try await command(argv)
        case .restart(let process, let start):
            let stopped = try await stop(process)
            guard let start else { return "sent SIGTERM to \(stopped) process(es) named \(process)" }
            let started = try await command(start)
            return "stopped \(stopped) process(es) named \(process); \(started)"
        }
    }

    func http(method: String, url: String, body: String?) async throws -> String {
        guard let u = URL(string: url) else { throw Failure(description: "bad URL \(url)") }
        var request = URLRequest(url: u, timeoutInterval: Double(timeout.components.seconds))
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "content-type")
        }
        let (_, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw Failure(description: "\(method) \(url) answered \(status)") }
        return "\(method) \(url) answered \(status)"
    }

    /// Runs argv; succeeds on exit status 0 within the timeout.
    func command(_ argv: [String]) async throws -> String {
        guard let first = argv.first else { throw Failure(description: "empty command") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: first.hasPrefix("/") ? first : "/usr/bin/env")
        p.arguments = first.hasPrefix("/") ? Array(argv.dropFirst()) : argv
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            p.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try p.run() } catch { continuation.resume(throwing: error) }
            let deadline = DispatchTime.now() + .milliseconds(Int(timeout.components.seconds * 1000))
            DispatchQueue.global().asyncAfter(deadline: deadline) { if p.isRunning { p.terminate() } }
        }
        guard status == 0 else { throw Failure(description: "\(argv.joined(separator: " ")) exited with \(status)") }
        return "\(argv.joined(separator: " ")) exited with 0"
    }

    /// Sends SIGTERM to every process whose name (`/proc/PID/comm`) is `name`, and SIGKILL to those
    /// still running after the timeout; returns how many there were.
    func stop(_ name: String) async throws -> Int {
        let pids = Self.pids(named: name)
        for pid in pids { kill(pid, SIGTERM) }
        let clock = ContinuousClock()
        for (signal, wait) in [(SIGKILL, timeout), (0, timeout)] {
            let deadline = clock.now + wait
            while clock.now < deadline, pids.contains(where: { Self.isRunning($0) }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            guard signal != 0 else { break }
            for pid in pids where Self.isRunning(pid) { kill(pid, signal) }
        }
        if let left = pids.first(where: { Self.isRunning($0) }) { throw Failure(description: "process \(left) (\(name)) did not stop") }
        return pids.count
    }

    /// Alive and not a zombie waiting to be reaped.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != nil && state != "Z" && state != "X"
    }

    static func pids(named name: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                  let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8) else { return nil }
            return comm.trimmingCharacters(in: .whitespacesAndNewlines) == String(name.prefix(15)) ? pid : nil
        }
    }
}
