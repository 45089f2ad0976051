import Foundation
import NIOCore
import NIOHTTP1
import PipelineCore
import Transport

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

/// The one path by which HTTP exporters push a request and turn the answer into the exporter's
/// outcome: 2xx is delivered (its body returned); a status the backend's protocol calls retryable
/// is refused, honouring `Retry-After`; anything else is permanent, with the backend's message and
/// a drop reason for the loss ledger. A connection that fails or times out is refused (retried).
struct HTTPPush: Sendable {
    /// Which statuses are worth retrying.
    enum Retryable: Sendable {
        /// OTLP/HTTP (otlp.md, "Failures"): 429, 502, 503 and 504.
        case otlp
        /// Prometheus remote-write and Loki: 429 and every 5xx.
        case tooManyOrServerError

        func contains(_ code: Int) -> Bool {
            switch self {
            case .otlp: [429, 502, 503, 504].contains(code)
            case .tooManyOrServerError: code == 429 || code >= 500
            }
        }
    }

    let client: HTTPClient
    let target: HTTPTarget
    let timeout: Duration
    let retryable: Retryable

    /// Posts `body`; returns the body of a 2xx answer. `message` reads the backend's explanation
    /// out of an error body (default: its first line); `dropReason` names a permanent failure for
    /// the loss ledger from the status and the body's first 512 bytes (default: `permanent_error`).
    func post(_ body: ByteBuffer, headers: HTTPHeaders,
              message: ([UInt8]) -> String = HTTPPush.firstLine,
              dropReason: (_ status: Int, _ body: String) -> String? = { _, _ in nil }) async throws -> [UInt8] {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(method: .POST, path: target.path, headers: headers, body: body, timeout: timeout)
        } catch {
            throw ConsumerError.refused("\(target.host):\(target.port): \(error)", retryAfter: nil)
        }
        let code = Int(response.status.code)
        var responseBody = response.body
        let bytes = responseBody.readBytes(length: responseBody.readableBytes) ?? []
        if (200..<300).contains(code) { return bytes }
        let description = "HTTP \(code) from \(target.host):\(target.port)\(target.path): \(message(bytes))"
        if retryable.contains(code) {
            throw ConsumerError.refused(description, retryAfter: HTTPRetryAfter.parse(response.headers))
        }
        let text = String(decoding: bytes.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        throw ConsumerError.permanent(description, dropReason: dropReason(code, text))
    }

    /// The first line of a text body, at most 512 bytes of it.
    static func firstLine(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.split(separator: "\n").first.map(String.init) ?? ""
    }
}
