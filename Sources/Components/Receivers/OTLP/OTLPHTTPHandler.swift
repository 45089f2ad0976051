import Factories
import Foundation
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import Telemetry
import Transport

/// Serves `POST /v1/{traces,metrics,logs}` as the OTLP/HTTP spec says (otlp.md §3): protobuf or JSON
/// bodies, optional gzip, 200 with an `Export*ServiceResponse`, 400 for malformed data, 413 too large,
/// 415 unsupported media type or encoding, 429 with `Retry-After` when the pipeline refuses, 404 and 405.
struct OTLPHTTPHandler: Sendable {
    let settings: OTLPReceiverConfig.HTTP
    let context: ComponentContext
    let traces: Ingest<TracesData>?
    let metrics: Ingest<MetricsData>?
    let logs: Ingest<LogsData>?

    init(settings: OTLPReceiverConfig.HTTP, context: ComponentContext, consumers: ReceiverConsumers) {
        self.settings = settings
        self.context = context
        let t = context.telemetry
        traces = consumers.traces.map { Ingest(consumer: $0, counters: t.receiver(context.id, transport: "http", signal: .traces)) }
        metrics = consumers.metrics.map { Ingest(consumer: $0, counters: t.receiver(context.id, transport: "http", signal: .metrics)) }
        logs = consumers.logs.map { Ingest(consumer: $0, counters: t.receiver(context.id, transport: "http", signal: .logs)) }
    }

    func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        switch request.path {
        case settings.tracesPath: return await handle(request, traces)
        case settings.metricsPath: return await handle(request, metrics)
        case settings.logsPath: return await handle(request, logs)
        default:
            context.telemetry.receiverRejectedRequest(context.id, transport: "http", reason: "not_found")
            return .text(.notFound, "unknown path \(request.path); OTLP/HTTP paths are \(settings.tracesPath), \(settings.metricsPath), \(settings.logsPath)\n")
        }
    }

    enum Encoding { case protobuf, json }

    private func handle<D: SignalData>(_ request: HTTPServerRequest, _ ingest: Ingest<D>?) async -> HTTPServerResponse {
        guard let ingest, ingest.isConnected else {
            context.telemetry.receiverRejectedRequest(context.id, transport: "http", reason: "not_found")
            return .text(.notFound, "no pipeline takes \(D.signal.rawValue) from this receiver\n")
        }
        guard request.method == .POST else {
            ingest.counters.rejectedRequest(reason: "method_not_allowed")
            var r = HTTPServerResponse.text(.methodNotAllowed, "use POST\n")
            r.headers.add(name: "allow", value: "POST")
            return r
        }
        let contentType = request.headers.first(name: "content-type")?
            .split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let encoding: Encoding
        switch contentType {
        case "application/x-protobuf", "application/protobuf": encoding = .protobuf
        case "application/json": encoding = .json
        case _ where request.bodyTooLarge: encoding = .protobuf
        default:
            ingest.counters.rejectedRequest(reason: "unsupported_media_type")
            return .text(.unsupportedMediaType, "unsupported content type '\(contentType)'; use application/x-protobuf or application/json\n")
        }

        if request.bodyTooLarge {
            ingest.counters.rejectedRequest(reason: "too_large")
            return status(.payloadTooLarge, "request body exceeds \(settings.maxRequestBodySize) bytes", encoding)
        }
        let body = request.body
        let contentEncoding = request.headers.first(name: "content-encoding")?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let storage: ByteStorage
        switch contentEncoding {
        case "", "identity":
            storage = body.withUnsafeReadableBytes { ByteStorage(copying: $0) }
        case "gzip":
            do {
                let inflated = try body.withUnsafeReadableBytes { raw throws(Gzip.Error) in try Gzip.decompress(raw, limit: settings.maxRequestBodySize) }
                storage = ByteStorage(copying: inflated)
            } catch .tooLarge(let limit) {
                ingest.counters.rejectedRequest(reason: "too_large")
                return status(.payloadTooLarge, "decompressed body exceeds \(limit) bytes", encoding)
            } catch {
                ingest.counters.rejectedRequest(reason: "malformed")
                return status(.badRequest, "\(error)", encoding)
            }
        default:
            ingest.counters.rejectedRequest(reason: "unsupported_encoding")
            return .text(.unsupportedMediaType, "unsupported content encoding '\(contentEncoding)'; use gzip or none\n")
        }

        let data: D
        do {
            data = try encoding == .protobuf ? D(protobuf: storage) : D(json: storage)
        } catch {
            ingest.counters.rejectedRequest(reason: "malformed")
            return status(.badRequest, "\(error)", encoding)
        }

        // The client's address always travels with the data (`from_context: client.address`); its
        // headers only with `include_metadata`, as in the Collector.
        let client = RequestContext(
            pairs: settings.includeMetadata ? request.headers.map { ($0.name, $0.value) } : [], clientAddress: request.remoteAddress?.ipAddress)
        let outcome = await RequestContext.$current.withValue(client) { await ingest.push(data) }
        switch outcome {
        case .accepted:
            var buffer = ByteBuffer()
            if encoding == .json { buffer.writeString("{}") }
            return HTTPServerResponse(status: .ok, headers: ["content-type": contentType], body: buffer)
        case .refused(let message, let retryAfter, _):
            var r = status(.tooManyRequests, message, encoding)
            r.headers.add(name: "retry-after", value: "\(max(1, Int(retryAfter.seconds.rounded(.up))))")
            return r
        case .permanent(let message):
            return status(.badRequest, message, encoding)
        }
    }

    /// An error response whose body is a `google.rpc.Status` in the request's encoding.
    private func status(_ code: HTTPResponseStatus, _ message: String, _ encoding: Encoding) -> HTTPServerResponse {
        var buffer = ByteBuffer()
        switch encoding {
        case .protobuf:
            buffer.writeBytes(RPCStatus(code: code.grpcCode, message: message).protobufBytes())
            return HTTPServerResponse(status: code, headers: ["content-type": "application/x-protobuf"], body: buffer)
        case .json:
            buffer.writeBytes(RPCStatus(code: code.grpcCode, message: message).jsonBytes())
            return HTTPServerResponse(status: code, headers: ["content-type": "application/json"], body: buffer)
        }
    }
}

extension HTTPResponseStatus {
    /// The gRPC code that means the same, for `google.rpc.Status.code`.
    var grpcCode: Int32 {
        switch self {
        case .badRequest: 3
        case .payloadTooLarge, .tooManyRequests: 8
        case .serviceUnavailable: 14
        default: 2
        }
    }
}
