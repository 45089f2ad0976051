import AgentTestSupport
import Foundation
import OTelModel
import OTelTestSupport
import Testing

/// The official OpenTelemetry Python SDK sends traces, metrics and logs over gRPC and HTTP to agent A;
/// A batches and forwards over OTLP/gRPC to agent B, whose `file` exporter writes OTLP/JSON. Every span,
/// data point and log record must arrive intact, and the counters of both agents must agree.
@Suite(.enabled(if: PythonPeer.available, "needs the test venv (scripts/test-env.sh)"), .timeLimit(.minutes(3)))
struct SDKEndToEndTests {
    @Test func sdkThroughTwoAgentsArrivesIntact() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("b.jsonl").path

        let b = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:0
            exporters:
              file:
                path: \(output)
            service:
              pipelines:
                traces: {receivers: [otlp], exporters: [file]}
                metrics: {receivers: [otlp], exporters: [file]}
                logs: {receivers: [otlp], exporters: [file]}
            """)
        let a = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:0
                  http:
                    endpoint: 127.0.0.1:0
            processors:
              batch:
                timeout: 100ms
            exporters:
              otlp:
                endpoint: 127.0.0.1:\(b.grpcPort)
                tls:
                  insecure: true
            service:
              pipelines:
                traces: {receivers: [otlp], processors: [batch], exporters: [otlp]}
                metrics: {receivers: [otlp], processors: [batch], exporters: [otlp]}
                logs: {receivers: [otlp], processors: [batch], exporters: [otlp]}
            """)

        let grpcManifest = dir.appendingPathComponent("grpc.json").path
        let httpManifest = dir.appendingPathComponent("http.json").path
        let sentGRPC = try await PythonPeer.run("sdk_send.py", ["--protocol", "grpc", "--endpoint", "http://127.0.0.1:\(a.grpcPort)", "--out", grpcManifest, "--run-id", "e2e-grpc"])
        #expect(sentGRPC.status == 0, "\(sentGRPC.output)")
        let sentHTTP = try await PythonPeer.run("sdk_send.py", ["--protocol", "http", "--endpoint", "http://127.0.0.1:\(a.httpPort)", "--out", httpManifest, "--run-id", "e2e-http", "--compression", "gzip"])
        #expect(sentHTTP.status == 0, "\(sentHTTP.output)")

        // One OTLP/JSON request written by hand, with upper-case hex ids and int64 as both string and number.
        let hand = #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"by-hand"}}]},"scopeSpans":[{"scope":{"name":"hand"},"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"eee19b7ec3c1b173","name":"checkout","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,"attributes":[{"key":"http.status_code","value":{"intValue":"200"}}],"status":{"code":1}}]}]}]}"#
        let r = try await HTTPTestClient.request(port: a.httpPort, path: "/v1/traces", headers: [("content-type", "application/json")], body: Array(hand.utf8))
        #expect(r.status == 200)

        // Graceful shutdown of A delivers everything it accepted to B; B's shutdown drains to the file.
        await a.stop()
        await b.stop()

        let check = try await PythonPeer.run("check_export.py", ["--manifest", grpcManifest, "--manifest", httpManifest, "--file", output])
        #expect(check.status == 0, "\(check.output)")

        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        let traces = lines.compactMap { try? TracesData(json: Array($0.utf8)) }.filter { !$0.resourceSpans.isEmpty }
        let handSpan = traces.flatMap { $0.resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) } }.first { $0.name == "checkout" }
        let span = try #require(handSpan)
        #expect(span.traceID.hex == "5b8efff798038103d269b633813fc60c")
        #expect(span.spanID.hex == "eee19b7ec3c1b174")
        #expect(span.parentSpanID.hex == "eee19b7ec3c1b173")
        #expect(span.startTimeUnixNano == 1_544_712_660_000_000_000 && span.endTimeUnixNano == 1_544_712_661_000_000_000)
        #expect(span.attributes[key: "http.status_code"] == .int(200))
        #expect(span.status == SpanStatus(code: .ok))

        // The counters agree along the whole path.
        for signal in ["spans", "log_records", "metric_points"] {
            let acceptedGRPC = a.renderedMetric("otelsw_receiver_accepted_\(signal)_total", ["transport": "grpc"]) ?? -1
            let acceptedHTTP = a.renderedMetric("otelsw_receiver_accepted_\(signal)_total", ["transport": "http"]) ?? -1
            let sent = a.renderedMetric("otelsw_exporter_sent_\(signal)_total", ["exporter": "otlp"]) ?? -1
            let arrived = b.renderedMetric("otelsw_receiver_accepted_\(signal)_total", ["transport": "grpc"]) ?? -1
            let written = b.renderedMetric("otelsw_exporter_sent_\(signal)_total", ["exporter": "file"]) ?? -1
            #expect(acceptedGRPC > 0 && acceptedHTTP > 0, "\(signal): nothing accepted")
            #expect(acceptedGRPC + acceptedHTTP == sent, "\(signal): A accepted \(acceptedGRPC)+\(acceptedHTTP), sent \(sent)")
            #expect(sent == arrived && arrived == written, "\(signal): A sent \(sent), B accepted \(arrived), B wrote \(written)")
        }
        #expect(a.renderedMetric("otelsw_receiver_accepted_spans_total", ["transport": "grpc"]) == 50)
        #expect(a.renderedMetric("otelsw_receiver_accepted_spans_total", ["transport": "http"]) == 51)
        #expect(a.renderedMetric("otelsw_receiver_accepted_log_records_total", ["transport": "grpc"]) == 20)
    }
}
