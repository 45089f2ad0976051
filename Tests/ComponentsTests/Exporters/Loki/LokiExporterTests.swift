import AgentTestSupport
@testable import Components
import Foundation
import OTelModel
import OTelTestSupport
import Testing

/// The `loki` exporter against `Tests/python/loki_peer.py`. There is no Loki binary here, so the peer
/// decodes what otelsw sends with its own decoder built from Loki's push schema (protobuf message
/// classes made at runtime from the field numbers, snappy from cramjam, its own selector parser).
@Suite(.timeLimit(.minutes(2)), .enabled(if: PythonPeer.available), .serialized)
struct LokiExporterTests {
    static let t0: UInt64 = 1_790_000_000_000_000_000
    static let trace = TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!
    static let span = SpanID(hex: "00f067aa0ba902b7")!

    static func record(_ body: String, at offset: UInt64, severity: (Int32, String)? = nil, traced: Bool = false, _ attributes: [KeyValue] = []) -> LogRecord {
        var r = LogRecord()
        r.timeUnixNano = t0 + offset
        r.body = .string(ByteString(body))
        if let (n, text) = severity {
            r.severityNumber = SeverityNumber(rawValue: n)
            r.severityText = ByteString(text)
        }
        if traced {
            r.traceID = trace
            r.spanID = span
        }
        r.attributes = Attributes(attributes)
        return r
    }

    static func logs(_ resource: [KeyValue], _ records: [LogRecord]) -> LogsData {
        LogsData(resourceLogs: [ResourceLogs(resource: Resource(attributes: Attributes(resource)),
                                             scopeLogs: [ScopeLogs(scope: InstrumentationScope(name: "shop.payments", version: "1.2"), logRecords: records)])])
    }

    static func agent(peer: LokiPeer, _ exporter: String) async throws -> TestAgent {
        try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            exporters:
              loki:
                endpoint: http://127.0.0.1:\(peer.port)/loki/api/v1/push
            \(exporter.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            service:
              pipelines:
                logs:
                  receivers: [otlp]
                  exporters: [loki]
            """)
    }

    static func send(_ data: LogsData, to agent: TestAgent) async throws {
        let r = try await HTTPTestClient.request(port: agent.httpPort, path: "/v1/logs", headers: [("content-type", "application/x-protobuf")], body: data.protobufBytes())
        #expect(r.status == 200)
    }

    static func waitForPushes(_ peer: LokiPeer, entries: Int) async throws -> [RecordedPush] {
        var pushes: [RecordedPush] = []
        try await eventually(timeout: .seconds(20)) {
            pushes = try await peer.pushes()
            return pushes.flatMap { $0.streams.flatMap(\.entries) }.count >= entries
        }
        return pushes
    }

    @Test func protobufStreamsLabelsLinesTimestampsMetadataAndTenant() async throws {
        let peer = try await LokiPeer.start()
        defer { peer.stop() }
        let agent = try await Self.agent(peer: peer, """
            tenant_id: team-a
            labels:
              resource:
                deployment.environment: env
              attributes:
                http.route: route
            structured_metadata: [user.id]
            """)
        let resource = [KeyValue("service.name", "checkout"), KeyValue("service.namespace", "shop"), KeyValue("service.instance.id", "host-1"),
                        KeyValue("deployment.environment", "prod")]
        try await Self.send(Self.logs(resource, [
            Self.record("payment failed", at: 2_000, severity: (17, "ERROR"), traced: true, [KeyValue("http.route", "/pay"), KeyValue("user.id", "42")]),
            Self.record("cart viewed", at: 1_000, severity: (9, "INFO"), [KeyValue("http.route", "/cart")]),
            Self.record("payment retried", at: 1_500, severity: (17, "ERROR"), [KeyValue("http.route", "/pay")]),
        ]), to: agent)
        let pushes = try await Self.waitForPushes(peer, entries: 3)
        await agent.stop()

        #expect(pushes.count == 1)
        let push = try #require(pushes.first)
        #expect(push.tenant == "team-a" && push.contentType == "application/x-protobuf")
        #expect(push.userAgent?.hasPrefix("otelsw/") == true)
        let common = ["env": "prod", "exporter": "OTLP", "instance": "host-1", "job": "shop/checkout"]
        let byLevel = Dictionary(uniqueKeysWithValues: push.streams.map { ($0.labels["level"] ?? "", $0) })
        let errors = try #require(byLevel["error"])
        #expect(errors.labels == common.merging(["level": "error", "route": "/pay"]) { $1 })
        #expect(errors.entries.map(\.ts) == [String(Self.t0 + 1_500), String(Self.t0 + 2_000)], "entries in time order")
        let failed = errors.entries[1]
        #expect(failed.metadata == ["trace_id": Self.trace.hex, "span_id": Self.span.hex, "severity_text": "ERROR", "severity_number": "17", "user_id": "42"])
        let line = try JSONSerialization.jsonObject(with: Data(failed.line.utf8)) as? [String: Any]
        #expect(line?["body"] as? String == "payment failed")
        #expect(line?["trace_id"] as? String == failed.metadata["trace_id"], "the line and the metadata carry the same trace id")
        #expect((line?["resources"] as? [String: Any])?["service.name"] as? String == "checkout")
        #expect((line?["instrumentation_scope"] as? [String: Any])?["name"] as? String == "shop.payments")
        let info = try #require(byLevel["info"])
        #expect(info.labels == common.merging(["level": "info", "route": "/cart"]) { $1 })
        #expect(info.entries.map(\.metadata) == [["severity_text": "INFO", "severity_number": "9"]])
    }

    @Test func jsonBodyWithGzipAndTheCollectorsHints() async throws {
        let peer = try await LokiPeer.start()
        defer { peer.stop() }
        let agent = try await Self.agent(peer: peer, """
            encoding: json
            default_labels_enabled:
              exporter: false
              instance: false
            """)
        let resource = [KeyValue("service.name", "user"), KeyValue("tenant.id", "team-b"), KeyValue("k8s.namespace.name", "shop"),
                        KeyValue("loki.tenant", "tenant.id"), KeyValue("loki.format", "logfmt"), KeyValue("loki.resource.labels", "k8s.namespace.name")]
        try await Self.send(Self.logs(resource, [
            Self.record("login ok", at: 1, severity: (9, "INFO"), traced: true, [KeyValue("user", "ann"), KeyValue("loki.attribute.labels", "user")]),
        ]), to: agent)
        let pushes = try await Self.waitForPushes(peer, entries: 1)
        await agent.stop()
        let push = try #require(pushes.first)
        #expect(push.tenant == "team-b" && push.contentType == "application/json" && push.contentEncoding == "gzip")
        let stream = try #require(push.streams.first)
        #expect(stream.labels == ["job": "user", "k8s_namespace_name": "shop", "level": "info", "user": "ann"])
        #expect(stream.entries.first?.line == "msg=\"login ok\" level=INFO trace_id=\(Self.trace.hex) span_id=\(Self.span.hex) user=ann")
        #expect(stream.entries.first?.metadata["trace_id"] == Self.trace.hex)
    }

    @Test func retriesOn429AndDropsWhatLokiRejectsCountedByReason() async throws {
        let peer = try await LokiPeer.start()
        defer { peer.stop() }
        let agent = try await Self.agent(peer: peer, """
            max_label_names_per_stream: 4
            retry_on_failure:
              initial_interval: 20ms
              max_interval: 50ms
            """)
        let resource = [KeyValue("service.name", "order")]
        try await peer.control(status: 429, times: 2)
        try await Self.send(Self.logs(resource, [Self.record("first", at: 1)]), to: agent)
        var pushes = try await Self.waitForPushes(peer, entries: 1)
        #expect(pushes.flatMap { $0.streams.flatMap(\.entries) }.map(\.line).count == 1, "delivered once after two 429s")
        #expect(agent.renderedMetric("otelsw_exporter_retries_total", ["exporter": "loki"]) == 2)

        try await peer.control(status: 400, times: 1, body: "entry for stream '{job=\"order\"}' has timestamp too old: 2020-01-01T00:00:00Z")
        try await Self.send(Self.logs(resource, [Self.record("stale", at: 2), Self.record("stale too", at: 3)]), to: agent)
        // Labels past the limit: this record never leaves the agent.
        let many = (0..<5).map { KeyValue("k\($0)", "v") } + [KeyValue("loki.attribute.labels", "k0,k1,k2,k3,k4")]
        try await Self.send(Self.logs(resource, [Self.record("too many labels", at: 4, many)]), to: agent)
        try await Self.send(Self.logs(resource, [Self.record("last", at: 5)]), to: agent)
        pushes = try await Self.waitForPushes(peer, entries: 2)
        await agent.stop()
        #expect(pushes.flatMap { $0.streams.flatMap(\.entries) }.map(\.line).compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.map { $0["body"] as? String } == ["first", "last"])
        #expect(agent.renderedMetric("otelsw_exporter_dropped_items_total", ["exporter": "loki", "reason": "too_old"]) == 2)
        #expect(agent.renderedMetric("otelsw_exporter_dropped_items_total", ["exporter": "loki", "reason": "too_many_labels"]) == 1)
    }
}
