import Foundation
import NIOCore
import NIOHTTP1
import PipelineCore
import Transport

/// How an HTTP backend's answer to a push becomes the exporter's outcome: 2xx is delivered; 429 and
/// 5xx are refused (retried, honouring `Retry-After`); anything else is permanent, with the first line
/// of the body in the message and a drop reason for the loss ledger.
enum HTTPExportResponse {
    static func check(_ response: HTTPClientResponse, target: HTTPTarget, dropReason: (Int, String) -> String? = { _, _ in nil }) throws {
        let code = Int(response.status.code)
        if (200..<300).contains(code) { return }
        var body = response.body
        let text = String(decoding: body.readBytes(length: min(body.readableBytes, 512)) ?? [], as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
        let description = "HTTP \(code) from \(target.host):\(target.port)\(target.path): \(firstLine)"
        if code == 429 || code >= 500 {
            throw ConsumerError.refused(description, retryAfter: HTTPRetryAfter.parse(response.headers))
        }
        throw ConsumerError.permanent(description, dropReason: dropReason(code, text))
    }
}
