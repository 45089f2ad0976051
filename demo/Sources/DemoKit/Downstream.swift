import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Tracing

/// Calls another demo service over HTTP inside a span named for the callee. AsyncHTTPClient opens the
/// request's own client span under it and sends its W3C `traceparent`, so the callee's server span
/// joins the same trace.
public struct Downstream: Sendable {
    /// The callee's service name, for span names (`POST payment`).
    public let name: String
    public let baseURL: String
    let client: HTTPClient

    public init(name: String, baseURL: String, client: HTTPClient = .shared) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.client = client
    }

    public struct Failure: Error, CustomStringConvertible {
        public var status: Int
        public var description: String
    }

    /// Sends `method path` with an optional JSON body; returns the body of a 2xx answer, throws
    /// ``Failure`` otherwise.
    public func call(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil) async throws -> [String: Any] {
        try await withSpan("\(method.rawValue) \(name)", ofKind: .client) { span in
            var request = HTTPClientRequest(url: baseURL + path)
            request.method = method
            if let json {
                request.headers.add(name: "content-type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
            }
            span.attributes["http.request.method"] = method.rawValue
            span.attributes["url.full"] = baseURL + path
            let response = try await client.execute(request, timeout: .seconds(10))
            span.attributes["http.response.status_code"] = Int(response.status.code)
            let body = try await response.body.collect(upTo: 1 << 20)
            guard (200..<300).contains(response.status.code) else {
                span.setStatus(SpanStatus(code: .error))
                throw Failure(status: Int(response.status.code), description: "\(method.rawValue) \(baseURL + path) answered \(response.status.code)")
            }
            return (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
        }
    }
}
