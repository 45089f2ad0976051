import AgentTestSupport
import Foundation
import OTelModel
import OTelTestSupport
import Testing

/// The OpenTelemetry Python SDK sends traces of three services span by span (each span its own
/// request, children before parents) and log records inside and outside those traces. One
/// `tail_sampling` listed in the traces and the logs pipeline keeps the traces with an error span:
/// they come out whole, the others not at all, and the logs follow their trace. Spans and logs sent
/// after the decision follow it too.
@Suite(.enabled(if: PythonPeer.available, "needs the test venv (scripts/test-env.sh)"), .timeLimit(.minutes(3)))
struct TailSamplingEndToEndTests {
    struct Manifest: Decodable {
        struct Trace: Decodable {
            var trace_id: String
            var root_span_id: String
            var error: Bool
        }
        var traces: [Trace]
        var untraced_logs: Int
    }

    @Test func tracesAreDecidedWholeAndLogsFollowThem() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-ts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.jsonl").path
        let manifestPath = dir.appendingPathComponent("manifest.json").path

        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            processors:
              tail_sampling:
                # Long enough that the three requests of one trace arrive inside it on a
                # loaded machine; the late spans below are sent only after every decision.
                decision_wait: 5s
                policies:
                  - name: errors
                    type: status_code
                    status_code: {status_codes: [ERROR]}
            exporters:
              file:
                path: \(output)
            service:
              pipelines:
                traces: {receivers: [otlp], processors: [tail_sampling], exporters: [file]}
                logs: {receivers: [otlp], processors: [tail_sampling], exporters: [file]}
            """)
        let endpoint = "http://127.0.0.1:\(agent.httpPort)"
        let sent = try await PythonPeer.run("sampled_traces.py", ["traces", "--endpoint", endpoint, "--out", manifestPath])
        #expect(sent.status == 0, "\(sent.output)")
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        #expect(manifest.traces.count == 24)

        // Every trace is decided about five seconds after its first span.
        try await waitFor(agent, decidedTraces: 24)
        let late = try await PythonPeer.run("sampled_traces.py", ["late", "--endpoint", endpoint, "--manifest", manifestPath])
        #expect(late.status == 0, "\(late.output)")
        try await waitFor(agent, "otelsw_processor_tail_sampling_late_spans_total", ["sampled": "false"], 1)
        try await waitFor(agent, "otelsw_processor_tail_sampling_log_records_total", ["outcome": "dropped"], 9)
        await agent.stop()

        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        var spans: [String: [Span]] = [:]
        var logs: [String: [String]] = [:]
        for line in lines {
            if let t = try? TracesData(json: Array(line.utf8)) {
                for rs in t.resourceSpans { for ss in rs.scopeSpans { for s in ss.spans { spans[s.traceID.hex, default: []].append(s) } } }
            }
            if let l = try? LogsData(json: Array(line.utf8)) {
                for rl in l.resourceLogs { for sl in rl.scopeLogs { for r in sl.logRecords {
                    logs[r.traceID.isZero ? "" : r.traceID.hex, default: []].append(r.body.stringValue?.string ?? "")
                } } }
            }
        }
        let kept = manifest.traces.filter(\.error).map(\.trace_id)
        let dropped = manifest.traces.filter { !$0.error }.map(\.trace_id)
        let lateKept = kept[0]
        for id in kept {
            let names = spans[id, default: []].map(\.name.string).sorted()
            let expected = id == lateKept ? ["GET", "charge", "late refund", "place order"] : ["GET", "charge", "place order"]
            #expect(names.map { $0.hasPrefix("GET") ? "GET" : $0 } == expected, "trace \(id)")
            #expect(logs[id, default: []].count == (id == lateKept ? 2 : 1), "logs of \(id)")
        }
        for id in dropped {
            #expect(spans[id] == nil, "spans of dropped trace \(id)")
            #expect(logs[id] == nil, "logs of dropped trace \(id)")
        }
        #expect(logs["", default: []].sorted() == (0..<5).map { "no trace \($0)" })
        #expect(agent.renderedMetric("otelsw_processor_tail_sampling_traces_total", ["sampled": "true"]) == 8)
        #expect(agent.renderedMetric("otelsw_processor_tail_sampling_spans_total", ["sampled": "true"]) == 24)
        #expect(agent.renderedMetric("otelsw_processor_tail_sampling_late_spans_total", ["sampled": "true"]) == 1)
        #expect(agent.renderedMetric("otelsw_processor_tail_sampling_log_records_total", ["outcome": "kept"]) == 9)
        #expect(agent.renderedMetric("otelsw_processor_tail_sampling_log_records_total", ["outcome": "no_trace_id"]) == 5)
        #expect(agent.renderedMetric("otelsw_processor_tail_sampling_policy_traces_total", ["policy": "errors", "sampled": "false"]) == 16)
    }

    /// Stopping with traces still waiting, with `batch` after `tail_sampling` in both pipelines: the
    /// traces side decides them while its batch still runs, and the records follow.
    @Test func stoppingDecidesWaitingTracesAndHandsThemOn() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-ts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.jsonl").path
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            processors:
              batch:
                timeout: 10s
              tail_sampling:
                decision_wait: 60s
                policies:
                  - {name: all, type: always_sample}
            exporters:
              file:
                path: \(output)
            service:
              pipelines:
                traces: {receivers: [otlp], processors: [tail_sampling, batch], exporters: [file]}
                logs: {receivers: [otlp], processors: [tail_sampling, batch], exporters: [file]}
            """)
        let trace = TraceID(high: 7, low: 7)
        var span = Span()
        span.traceID = trace
        span.spanID = SpanID(1)
        span.name = "waiting"
        var record = LogRecord()
        record.traceID = trace
        record.body = .string("with its trace")
        let traces = TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: [span])])])
        let logs = LogsData(resourceLogs: [ResourceLogs(scopeLogs: [ScopeLogs(logRecords: [record])])])
        for (path, body) in [("/v1/traces", traces.protobufBytes()), ("/v1/logs", logs.protobufBytes())] {
            let r = try await HTTPTestClient.request(port: agent.httpPort, path: path, headers: [("content-type", "application/x-protobuf")], body: body)
            #expect(r.status == 200)
        }
        #expect(try await agent.metric("otelsw_processor_tail_sampling_traces_in_memory") == 1)
        await agent.stop()
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("\"name\":\"waiting\""), "the waiting trace was handed on at shutdown")
        #expect(text.contains("with its trace"), "its record followed")
        #expect(agent.renderedMetric("otelsw_processor_dropped_spans_total", ["reason": "shutdown"]) ?? 0 == 0)
    }

    func waitFor(_ agent: TestAgent, decidedTraces: Double) async throws {
        let decided = try await eventually(timeout: .seconds(30), every: .milliseconds(50)) {
            let yes = try await agent.metric("otelsw_processor_tail_sampling_traces_total", ["sampled": "true"]) ?? 0
            let no = try await agent.metric("otelsw_processor_tail_sampling_traces_total", ["sampled": "false"]) ?? 0
            return yes + no >= decidedTraces
        }
        if !decided { Issue.record("traces were not decided in time") }
    }

    func waitFor(_ agent: TestAgent, _ name: String, _ labels: [String: String], _ value: Double) async throws {
        let reached = try await eventually(timeout: .seconds(30), every: .milliseconds(50)) {
            (try await agent.metric(name, labels) ?? 0) >= value
        }
        if !reached { Issue.record("\(name)\(labels) did not reach \(value)") }
    }
}
