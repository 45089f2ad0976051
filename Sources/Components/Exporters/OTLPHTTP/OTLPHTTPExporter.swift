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

/// `otlphttp` / `otlp_http` exporter settings (collector names and defaults).
public struct OTLPHTTPExporterConfig: ExporterConfig {
    public var endpoint = ""
    public var tracesEndpoint = ""
    public var metricsEndpoint = ""
    public var logsEndpoint = ""
    public var headers: [(String, String)] = []
    public var compression = "gzip"
    public var encoding = "proto"
    public var timeout: Duration = .seconds(30)
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    init(reading r: ConfigReader) {
        endpoint = r.string("endpoint")
        tracesEndpoint = r.string("traces_endpoint")
        metricsEndpoint = r.string("metrics_endpoint")
        logsEndpoint = r.string("logs_endpoint")
        headers = r.stringMap("headers")
        compression = r.choice("compression", ["gzip", "none"], default: compression)
        encoding = r.choice("encoding", ["proto", "json"], default: encoding)
        timeout = r.duration("timeout", default: timeout)
        queue = QueueSettings(reading: r.section("sending_queue"))
        retry = RetrySettings(reading: r.section("retry_on_failure"))
        if let tls = r.section("tls") {
            let insecure = tls.bool("insecure", default: false)
            _ = tls.bool("insecure_skip_verify", default: false)
            for key in ["ca_file", "cert_file", "key_file", "server_name_override"] where tls.has(key) {
                tls.error("'tls.\(key)' is not supported yet", key: key)
                _ = tls.raw(key)
            }
            _ = insecure
            tls.finish()
        }
        if endpoint.isEmpty && tracesEndpoint.isEmpty && metricsEndpoint.isEmpty && logsEndpoint.isEmpty {
            r.error("'endpoint' is required (for example http://127.0.0.1:4318)")
        }
        for (key, value) in [("endpoint", endpoint), ("traces_endpoint", tracesEndpoint), ("metrics_endpoint", metricsEndpoint), ("logs_endpoint", logsEndpoint)] where !value.isEmpty {
            if let problem = HTTPTarget.problem(value) { r.error("'\(key)': \(problem)", key: key) }
        }
    }

    /// The full URL for one signal: the per-signal endpoint verbatim, else `endpoint` + `/v1/<signal>`.
    func url(for signal: Signal) -> String {
        let specific = [Signal.traces: tracesEndpoint, .metrics: metricsEndpoint, .logs: logsEndpoint][signal] ?? ""
        if !specific.isEmpty { return specific }
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        return base + "/v1/" + signal.rawValue
    }
}

/// Where an http:// URL points.
struct HTTPTarget: Sendable {
    var host: String
    var port: Int
    var path: String

    static func problem(_ url: String) -> String? {
        if url.hasPrefix("https://") { return "https endpoints are not supported yet; use http:// (tls.insecure)" }
        return parse(url) == nil ? "must be an http://host:port URL, got '\(url)'" : nil
    }

    static func parse(_ url: String) -> HTTPTarget? {
        guard let u = URLComponents(string: url), u.scheme == "http", let host = u.host, !host.isEmpty else { return nil }
        return HTTPTarget(host: host, port: u.port ?? 80, path: u.path.isEmpty ? "/" : u.path + (u.query.map { "?" + $0 } ?? ""))
    }
}

public struct OTLPHTTPExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "otlphttp" }
    public var aliases: [String] { ["otlp_http"] }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ExporterConfig { OTLPHTTPExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: any ExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        let c = config as! OTLPHTTPExporterConfig
        guard let target = HTTPTarget.parse(c.url(for: D.signal)) else {
            throw ConsumerError.permanent("invalid endpoint \(c.url(for: D.signal))")
        }
        return OTLPHTTPExporter<D>(config: c, target: target, context: context)
    }
}

/// Sends OTLP/HTTP requests and classifies responses as the spec says (otlp.md §3): 2xx success
/// (partial success counted), 429/502/503/504 retryable with `Retry-After`, other statuses permanent.
final class OTLPHTTPExporter<D: SignalData>: Exporter {
    typealias Data = D
    let config: OTLPHTTPExporterConfig
    let target: HTTPTarget
    let client: HTTPClient
    let context: ComponentContext
    let headers: HTTPHeaders

    init(config: OTLPHTTPExporterConfig, target: HTTPTarget, context: ComponentContext) {
        self.config = config
        self.target = target
        self.context = context
        client = HTTPClient(host: target.host, port: target.port, group: context.eventLoopGroup, maxConnections: max(config.queue.numConsumers, 1))
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
        let response: HTTPClientResponse
        do {
            response = try await client.execute(method: .POST, path: target.path, headers: headers, body: body, timeout: config.timeout)
        } catch {
            throw ConsumerError.refused("\(target.host):\(target.port): \(error)", retryAfter: nil)
        }
        let code = response.status.code
        var responseBody = response.body
        let bytes = responseBody.readBytes(length: responseBody.readableBytes) ?? []
        if (200..<300).contains(code) {
            if config.encoding == "proto", let partial = ExportPartialSuccess(responseProtobuf: bytes), partial.rejected > 0 {
                context.logger.warning("backend rejected part of a request", metadata: ["rejected": "\(partial.rejected)", "message": "\(partial.errorMessage)"])
            }
            return
        }
        let message = RPCStatus(protobuf: bytes)?.message ?? String(decoding: bytes.prefix(512), as: UTF8.self)
        let description = "HTTP \(code) from \(target.host):\(target.port)\(target.path): \(message)"
        switch code {
        case 429, 502, 503, 504:
            throw ConsumerError.refused(description, retryAfter: HTTPRetryAfter.parse(response.headers))
        default:
            throw ConsumerError.permanent(description)
        }
    }
}
