import AgentTestSupport
import Components
import Factories
import Foundation
import OTelModel
import OTelTestSupport
import Runtime
import Testing

/// The real `otelsw` binary: `validate` exit codes and messages, and SIGTERM draining what a batch
/// processor still holds into the exporter before the process exits.
@Suite(.timeLimit(.minutes(2)))
struct AgentProcessTests {
    static var binary: String { AgentProcess.binary }
    static var available: Bool { AgentProcess.available }

    static func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-proc-\(UUID().uuidString)-\(name)")
    }

    /// Runs the binary to completion.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let log = temp("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
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

    /// `otelsw components` prints one row per type the registry knows, aliases beside their type.
    @Test(.enabled(if: available)) func componentsListsTheRegistry() async throws {
        let table = try await Self.run(["components"])
        #expect(table.status == 0, "\(table.output)")
        let rows = table.output.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let expected = Components.registry.components + AgentConfig.extensions
        #expect(rows.count == expected.count, "\(table.output)")
        for info in expected {
            let row = rows.first { $0.count > 1 && $0[0] == info.kind.rawValue && $0[1].trimmingCharacters(in: [","]) == info.type }
            #expect(row?.last.map(String.init) == info.stability.rawValue, "no row for \(info.kind.rawValue) \(info.type): \(table.output)")
        }
        #expect(table.output.contains("otlp, otlp_grpc"))
        let json = try await Self.run(["components", "--json"])
        #expect(json.status == 0 && json.output.split(separator: "\n").count == expected.count, "\(json.output)")
        #expect(json.output.contains(#"{"kind":"processor","type":"tail_sampling","aliases":[],"signals":["traces","logs"],"stability":"beta"}"#))
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
        let agent = try AgentProcess(pipeline: config, log: log)
        let httpPort = try await agent.httpPort()

        var sent = 0
        for i in 0..<3 {
            let data = OTLPHTTPReceiverTests.spans(5 + i, service: "proc")
            let r = try await HTTPTestClient.request(port: httpPort, path: "/v1/traces", headers: [("content-type", "application/x-protobuf")], body: data.protobufBytes())
            #expect(r.status == 200)
            sent += data.spanCount
        }
        #expect((try? String(contentsOf: output, encoding: .utf8)) ?? "" == "", "nothing is written before the batch is due")

        let status = await agent.stop(signal: SIGTERM)
        #expect(status == 0, "\(agent.logText)")

        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        let spans = try lines.reduce(0) { $0 + (try TracesData(json: Array($1.utf8))).spanCount }
        #expect(spans == sent)
        #expect(agent.logText.contains("shutting down"))
        #expect(agent.logText.contains("stopped"))
    }
}
