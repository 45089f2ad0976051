import AgentTestSupport
import Foundation
import NIOHTTP1
import OTelModel
import OTelTestSupport
import Telemetry
import Testing

/// The OTLP/HTTP receiver over real sockets: good requests, every kind of bad one, and backpressure.
@Suite struct OTLPHTTPReceiverTests {
    static func spans(_ n: Int, service: String = "checkout") -> TracesData {
        var scope = ScopeSpans(scope: InstrumentationScope(name: "test"))
        for i in 0..<n {
            var s = Span()
            s.traceID = TraceID(high: 0x0102_0304_0506_0708, low: UInt64(i + 1))
            s.spanID = SpanID(UInt64(i + 1))
            s.name = ByteString("op-\(i)")
            s.startTimeUnixNano = 1_700_000_000_000_000_000
            s.endTimeUnixNano = 1_700_000_000_100_000_000
            s.attributes = [KeyValue("http.route", "/items/\(i)")]
            scope.spans.append(s)
        }
        return TracesData(resourceSpans: [ResourceSpans(resource: Resource(attributes: [KeyValue("service.name", service)]), scopeSpans: [scope])])
    }

    static func agentYAML(output: String, limit: Int = 65536) -> String {
        """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 127.0.0.1:0
                max_request_body_size: \(limit)
        exporters:
          file:
            path: \(output)
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [file]
            logs:
              receivers: [otlp]
              exporters: [file]
        """
    }

    static func tempFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-\(UUID().uuidString).jsonl").path
    }

    let protobuf = [("content-type", "application/x-protobuf")]
    let json = [("content-type", "application/json")]

    @Test func badInputGetsTheRightStatusAndIsCounted() async throws {
        let output = Self.tempFile()
        let agent = try await TestAgent(yaml: Self.agentYAML(output: output))
        let port = agent.httpPort
        let good = Self.spans(3).protobufBytes()

        var r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: protobuf, body: good)
        #expect(r.status == 200)
        #expect(r.headers.first(name: "content-type") == "application/x-protobuf")

        r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: protobuf, body: [0x0A, 0x05, 0x01])
        #expect(r.status == 400)
        #expect(RPCStatus(protobuf: r.body)?.message.contains("malformed protobuf") == true)

        r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: json, body: Array(#"{"resourceSpans":[{"#.utf8))
        #expect(r.status == 400)
        #expect(r.headers.first(name: "content-type") == "application/json")
        #expect(r.bodyString.contains("malformed OTLP/JSON"))

        let gz = Gzip.compress(good)
        r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: protobuf + [("content-encoding", "gzip")], body: Array(gz.prefix(gz.count / 2)))
        #expect(r.status == 400)

        let bomb = Gzip.compress([UInt8](repeating: 0, count: 8 << 20))
        #expect(bomb.count < 65536)
        r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: protobuf + [("content-encoding", "gzip")], body: bomb)
        #expect(r.status == 413)

        r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: [("content-type", "text/plain")], body: good)
        #expect(r.status == 415)

        r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: protobuf + [("content-encoding", "br")], body: good)
        #expect(r.status == 415)

        r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: protobuf, body: [UInt8](repeating: 0x41, count: 70_000))
        #expect(r.status == 413)

        r = try await HTTPTestClient.request(port: port, path: "/v1/nothing", headers: protobuf, body: good)
        #expect(r.status == 404)
        r = try await HTTPTestClient.request(port: port, path: "/v1/metrics", headers: protobuf, body: good)
        #expect(r.status == 404, "no metrics pipeline takes data from this receiver")

        r = try await HTTPTestClient.request(port: port, method: .GET, path: "/v1/traces")
        #expect(r.status == 405)

        // Still serving, and the JSON form with hex ids is accepted too.
        let jsonBody = Array(#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"by-hand"}}]},"scopeSpans":[{"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","name":"hand","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000}]}]}]}"#.utf8)
        r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: json, body: jsonBody)
        #expect(r.status == 200)
        #expect(r.bodyString == "{}")

        #expect(try await agent.metric("otelsw_receiver_accepted_spans_total", ["transport": "http"]) == 4)
        #expect(try await agent.metric("otelsw_receiver_refused_requests_total", ["reason": "malformed"]) == 3)
        #expect(try await agent.metric("otelsw_receiver_refused_requests_total", ["reason": "too_large"]) == 2)
        #expect(try await agent.metric("otelsw_receiver_refused_requests_total", ["reason": "unsupported_media_type"]) == 1)
        #expect(try await agent.metric("otelsw_receiver_refused_requests_total", ["reason": "unsupported_encoding"]) == 1)
        #expect(try await agent.metric("otelsw_receiver_refused_requests_total", ["reason": "not_found"]) == 2)
        #expect(try await agent.metric("otelsw_receiver_refused_requests_total", ["reason": "method_not_allowed"]) == 1)
        await agent.stop()

        // The file holds exactly the two accepted requests, ids intact.
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let written = try lines.map { try TracesData(json: Array($0.utf8)) }
        #expect(written[0] == Self.spans(3))
        #expect(written[1].resourceSpans[0].scopeSpans[0].spans[0].traceID.hex == "5b8efff798038103d269b633813fc60c")
        #expect(written[1].resourceSpans[0].scopeSpans[0].spans[0].kind == .server)
        try? FileManager.default.removeItem(atPath: output)
    }

    @Test func fullQueueAnswers429WithRetryAfter() async throws {
        // The exporter's backend is unreachable, so its one-item-deep queue stays full.
        let agent = try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            exporters:
              otlphttp:
                endpoint: http://127.0.0.1:1
                timeout: 1s
                sending_queue:
                  num_consumers: 1
                  queue_size: 2
                retry_on_failure:
                  initial_interval: 1h
                  max_interval: 1h
                  max_elapsed_time: 0
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [otlphttp]
            """)
        let port = agent.httpPort
        #expect(try await HTTPTestClient.get(port: agent.metricsPort, path: "/healthz").status == 200)
        var r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: protobuf, body: Self.spans(2).protobufBytes())
        #expect(r.status == 200)
        let health = try await HTTPTestClient.get(port: agent.metricsPort, path: "/healthz")
        #expect(health.status == 503)
        #expect(health.bodyString.contains("exporter otlphttp (traces): sending queue full (2/2 items)"), "\(health.bodyString)")
        r = try await HTTPTestClient.request(port: port, path: "/v1/traces", headers: protobuf, body: Self.spans(1).protobufBytes())
        #expect(r.status == 429)
        #expect(Int(r.headers.first(name: "retry-after") ?? "") ?? 0 >= 1)
        #expect(RPCStatus(protobuf: r.body)?.message.contains("queue") == true)
        #expect(try await agent.metric("otelsw_receiver_refused_spans_total", ["reason": "backpressure"]) == 1)
        #expect(try await agent.metric("otelsw_exporter_enqueue_failed_spans_total", ["exporter": "otlphttp"]) == 1)
        #expect(try await agent.metric("otelsw_exporter_queue_size", ["exporter": "otlphttp"]) == 2)
        await agent.stop()
        // What could not be delivered by the shutdown deadline is counted, not silently lost.
        let text = String(decoding: agent.telemetry.render(), as: UTF8.self)
        #expect(PrometheusText.value(in: text, name: "otelsw_exporter_send_failed_spans_total", labels: [:]) == 2)
    }
}
