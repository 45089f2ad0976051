import AgentTestSupport
@testable import Components
import Foundation
import OTelModel
import Testing

/// Request metadata through a running agent: OTLP over HTTP (a header) and gRPC (metadata) into a
/// receiver with `include_metadata: true`, the `attributes` and `resource` processors copying it with
/// `from_context`, and the `file` exporter (without a queue, so the file is written before the
/// request is answered).
@Suite(.timeLimit(.minutes(1))) struct FromContextEndToEndTests {
    func agent(output: String, includeMetadata: Bool) async throws -> TestAgent {
        try await TestAgent(yaml: """
            receivers:
              otlp:
                protocols:
                  http: {endpoint: 127.0.0.1:0, include_metadata: \(includeMetadata)}
                  grpc: {endpoint: 127.0.0.1:0, include_metadata: \(includeMetadata)}
            processors:
              attributes:
                actions:
                  - {key: tenant, from_context: metadata.x-tenant, action: upsert}
                  - {key: client, from_context: client.address, action: insert}
              resource:
                attributes:
                  - {key: tenant, from_context: X-Tenant, action: insert}
            exporters:
              file:
                path: \(output)
                sending_queue: {enabled: false}
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [attributes, resource]
                  exporters: [file]
            """)
    }

    /// The spans written to `path`, one payload per line, with their resource attributes.
    func written(_ path: String) throws -> [(resource: [KeyValue], spans: [[KeyValue]])] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").flatMap { line in
            let data = try TracesData(json: ByteStorage(copying: Array(line.utf8)))
            return data.resourceSpans.map { rs in
                (Array(rs.resource?.attributes ?? []), rs.scopeSpans.flatMap { $0.spans.map { Array($0.attributes) } })
            }
        }
    }

    @Test func headerAndGRPCMetadataBecomeAttributes() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        let agent = try await agent(output: output, includeMetadata: true)

        let response = try await HTTPTestClient.request(
            port: agent.httpPort, path: "/v1/traces", headers: [("Content-Type", "application/x-protobuf"), ("X-Tenant", "acme")],
            body: sampleTraces(spans: 2).protobufBytes())
        #expect(response.status == 200, "\(response.bodyString)")
        try await withExporter(TracesData.self, port: agent.grpcPort, configure: { $0.headers = [("x-tenant", "beta")] }) { exporter in
            try await exporter.export(sampleTraces(spans: 1))
        }
        await agent.stop()

        let payloads = try written(output)
        try #require(payloads.count == 2)
        #expect(payloads[0].resource == [KeyValue("service.name", "svc"), KeyValue("tenant", "acme")])
        #expect(payloads[0].spans == [
            [KeyValue("i", int: 0), KeyValue("tenant", "acme"), KeyValue("client", "127.0.0.1")],
            [KeyValue("i", int: 1), KeyValue("tenant", "acme"), KeyValue("client", "127.0.0.1")],
        ])
        #expect(payloads[1].resource == [KeyValue("service.name", "svc"), KeyValue("tenant", "beta")])
        #expect(payloads[1].spans == [[KeyValue("i", int: 0), KeyValue("tenant", "beta"), KeyValue("client", "127.0.0.1")]])
    }

    @Test func withoutIncludeMetadataOnlyTheClientAddressIsAdded() async throws {
        let dir = try FileLogRotationTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/out.jsonl"
        let agent = try await agent(output: output, includeMetadata: false)
        let response = try await HTTPTestClient.request(
            port: agent.httpPort, path: "/v1/traces", headers: [("Content-Type", "application/x-protobuf"), ("X-Tenant", "acme")],
            body: sampleTraces(spans: 1).protobufBytes())
        #expect(response.status == 200)
        await agent.stop()
        let payloads = try written(output)
        try #require(payloads.count == 1)
        #expect(payloads[0].resource == [KeyValue("service.name", "svc")])
        #expect(payloads[0].spans == [[KeyValue("i", int: 0), KeyValue("client", "127.0.0.1")]])
    }
}
