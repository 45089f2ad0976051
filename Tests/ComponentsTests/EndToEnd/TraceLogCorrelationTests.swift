import AgentTestSupport
@testable import Components
import Foundation
import OTelModel
import OTelTestSupport
import Testing

/// A process writes log lines with trace context (ids of spans made by the OpenTelemetry Python SDK)
/// in three shapes — JSON, logfmt, and a W3C traceparent in plain text — plus one with a bad id.
/// `filelog` tails the file and parses the JSON lines, `trace_context` fills the records' ids, and the
/// `loki` exporter pushes them to the Loki peer: each entry carries its line's trace id as structured
/// metadata; the bad one carries none and is counted.
@Suite(.timeLimit(.minutes(2)), .enabled(if: PythonPeer.available))
struct TraceLogCorrelationTests {
    struct Expected: Decodable {
        var msg: String
        var trace_id: String?
        var span_id: String?
    }

    @Test func traceIDsFromJSONLogfmtAndTraceparentLinesReachLoki() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/service.log"
        let written = try await PythonPeer.run("log_writer.py", [log])
        #expect(written.status == 0, "\(written.output)")
        let expected = try JSONDecoder().decode([Expected].self, from: Data(written.output.split(separator: "\n").last.map(String.init)?.utf8 ?? "".utf8))
        #expect(expected.count == 4)

        let peer = try await LokiPeer.start()
        defer { peer.stop() }
        let agent = try await TestAgent(yaml: """
            receivers:
              filelog:
                include: [\(log)]
                start_at: beginning
                poll_interval: 20ms
                resource:
                  service.name: checkout
                operators:
                  - type: json_parser
                    on_error: send_quiet
                    timestamp:
                      parse_from: attributes.time
                      layout: '%Y-%m-%dT%H:%M:%S.%LZ'
                    severity:
                      parse_from: attributes.level
                  - type: move
                    from: attributes.msg
                    to: body
                    on_error: send_quiet
            processors:
              trace_context:
            exporters:
              loki:
                endpoint: http://127.0.0.1:\(peer.port)/loki/api/v1/push
                format: raw
                trace_id_in_line: true
                default_labels_enabled:
                  level: false
            service:
              pipelines:
                logs:
                  receivers: [filelog]
                  processors: [trace_context]
                  exporters: [loki]
            """)
        let pushes = try await LokiExporterTests.waitForPushes(peer, entries: 4)
        await agent.stop()
        let entries = pushes.flatMap { $0.streams.flatMap(\.entries) }
        #expect(entries.count == 4)
        for e in expected {
            let entry = entries.first { $0.line.hasPrefix(e.msg) || $0.line.contains("msg=\"\(e.msg)\"") }
            #expect(entry != nil, "no entry for \(e.msg): \(entries.map(\.line))")
            #expect(entry?.metadata["trace_id"] == e.trace_id, "\(e.msg)")
            #expect(entry?.metadata["span_id"] == e.span_id, "\(e.msg)")
            if let id = e.trace_id { #expect(entry?.line.hasSuffix("trace_id=\(id)") == true, "\(entry?.line ?? "")") }
        }
        let json = try #require(entries.first { $0.line.hasPrefix("payment failed") })
        #expect(json.ts == "1795687200123000000", "the time the JSON line gave, 2026-11-26T10:00:00.123Z")
        #expect(json.metadata["severity_text"] == "error" && json.metadata["severity_number"] == "17")
        #expect(agent.renderedMetric("otelsw_processor_trace_context_records_total", ["outcome": "invalid_trace_id"]) == 1)
        #expect(agent.renderedMetric("otelsw_processor_trace_context_records_total", ["outcome": "extracted"]) == 3)
    }
}
