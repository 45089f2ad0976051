import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import Telemetry
import Transport

/// Sends OTLP/HTTP requests and classifies responses as the spec says (otlp.md §3): 2xx success
/// (partial success counted), 429/502/503/504 retryable with `Retry-After`, other statuses permanent.
final class OTLPHTTPExporter<D: SignalData>: Exporter {
    typealias Data = D
    let config: OTLPHTTPExporterConfig
    let target: HTTPTarget
    let client: HTTPClient
    let push: HTTPPush
    let context: ComponentContext
    let headers: HTTPHeaders

    init(config: OTLPHTTPExporterConfig, target: HTTPTarget, context: ComponentContext) {
        self.config = config
        self.target = target
        self.context = context
        client = HTTPClient(host: target.host, port: target.port, group: context.eventLoopGroup, maxConnections: max(config.queue.numConsumers, 1))
        push = HTTPPush(client: client, target: target, timeout: config.timeout, retryable: .otlp)
        var h = HTTPHeaders()
        for (k, v) in config.headers { h.add(name: k, value: v) }
        h.replaceOrAdd(name: "content-type", value: config.encoding == "json" ? "application/json" : "application/x-protobuf")
        h.replaceOrAdd(name: "user-agent", value: "otelsw/\(context.telemetry.version)")
        if config.compression == "gzip" { h.replaceOrAdd(name: "content-encoding", value: "gzip") }
        headers = h
    }

    func start() async throws {}
    func shutdown() async { client.shutdown() }

    func export(_ data: D) async throws {
        var body = ByteBuffer()
        if config.encoding == "json" {
            data.jsonBytes().withUnsafeBytes { write($0, into: &body) }
        } else {
            data.withProtobufBytes { write($0, into: &body) }
        }
        try await post(body)
    }

    func export(encoded request: ByteStorage) async throws {
        guard config.encoding == "proto" else {
            try await export(try D(protobuf: request))
            return
        }
        var body = ByteBuffer()
        write(request.buffer, into: &body)
        try await post(body)
    }

    /// The request body: the encoded request, gzipped when configured.
    private func write(_ raw: UnsafeRawBufferPointer, into body: inout ByteBuffer) {
        if config.compression == "gzip" {
            body.writeBytes(Gzip.compress(raw, level: 1))
        } else {
            body.writeBytes(raw)
        }
    }

    private func post(_ body: ByteBuffer) async throws {
        let bytes = try await push.post(body, headers: headers, message: { RPCStatus(protobuf: $0)?.message ?? String(decoding: $0.prefix(512), as: UTF8.self) })
        if config.encoding == "proto", let partial = ExportPartialSuccess(responseProtobuf: bytes), partial.rejected > 0 {
            context.logger.warning("backend rejected part of a request", metadata: ["rejected": "\(partial.rejected)", "message": "\(partial.errorMessage)"])
        }
    }
}
