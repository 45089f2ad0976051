import Foundation
import OTelModel
import OTelTestSupport
import Testing

/// The real `otelsw` binary: `validate` exit codes and messages, and SIGTERM draining what a batch
/// processor still holds into the exporter before the process exits.
@Suite(.timeLimit(.minutes(2)))
struct AgentProcessTests {
    static let binary = PythonPeer.repositoryRoot.appendingPathComponent(".build/debug/otelsw").path
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) || PythonPeer.required }

    static func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-proc-\(UUID().uuidString)-\(name)")
    }

    /// Runs the binary to completion.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let log = temp("log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.standardOutput = handle
        p.standardError = handle
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            p.terminationHandler = { _ in done.resume() }
            do { try p.run() } catch { done.resume() }
        }
        try? handle.close()
        return (p.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    @Test(.enabled(if: available)) func validateReportsErrorsWithExitCode2() async throws {
        let file = Self.temp("bad.yaml")
        try "receivers:\n  otlp:\n    protocols:\n      http:\n        endpont: x\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let bad = try await Self.run(["validate", "--pipeline", file.path])
        #expect(bad.status == 2)
        #expect(bad.output.contains("\(file.path):5:9: unknown key 'endpont'"), "\(bad.output)")
        #expect(bad.output.contains("\(file.path):1:1: missing 'service' section"), "\(bad.output)")

        let good = try await Self.run(["validate", "--pipeline", PythonPeer.repositoryRoot.appendingPathComponent("pipelines/default.yaml").path])
        #expect(good.status == 0, "\(good.output)")
        let embedded = try await Self.run(["validate"])
        #expect(embedded.status == 0 && embedded.output.contains("<embedded>: valid"))
        let version = try await Self.run(["--version"])
        #expect(version.status == 0 && !version.output.isEmpty)
    }

    @Test(.enabled(if: available)) func sigtermDrainsTheBatchIntoTheExporter() async throws {
        let config = Self.temp("agent.yaml")
        let output = Self.temp("out.jsonl")
        let log = Self.temp("agent.log")
        defer { for f in [config, output, log] { try? FileManager.default.removeItem(at: f) } }
        // The batch would hold data for a minute; only a graceful shutdown sends it on before then.
        try """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 127.0.0.1:0
        processors:
          batch:
            send_batch_size: 100000
            timeout: 60s
        exporters:
          file:
            path: \(output.path)
        service:
          telemetry:
            metrics:
              address: 127.0.0.1:0
          pipelines:
            traces:
              receivers: [otlp]
              processors: [batch]
              exporters: [file]
        """.write(to: config, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["--pipeline", config.path]
        p.standardOutput = handle
        p.standardError = handle
        let exited = AsyncStream<Int32>.makeStream()
        p.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try p.run()

        // The receiver logs its bound address; wait for it (bounded).
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        var port: Int?
        while port == nil && clock.now < deadline && p.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("otlp receiver listening") }),
               let range = line.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(line[range].split(separator: ":").last ?? "")
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let httpPort = try #require(port, "no listening line in:\n\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")

        var sent = 0
        for i in 0..<3 {
            let data = OTLPHTTPReceiverTests.spans(5 + i, service: "proc")
            let r = try await HTTPTestClient.request(port: httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")], body: data.protobufBytes())
            #expect(r.status == 200)
            sent += data.spanCount
        }
        #expect((try? String(contentsOf: output, encoding: .utf8)) ?? "" == "", "nothing is written before the batch is due")

        p.terminate()  // SIGTERM
        var it = exited.stream.makeAsyncIterator()
        let status = await it.next()
        try? handle.close()
        #expect(status == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")

        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        let spans = try lines.reduce(0) { $0 + (try TracesData(json: Array($1.utf8))).spanCount }
        #expect(spans == sent)
        let logText = try String(contentsOf: log, encoding: .utf8)
        #expect(logText.contains("shutting down"))
        #expect(logText.contains("stopped"))
    }
}
