import Foundation
import Hummingbird
import Synchronization

/// Faults injected into a service's routes: a share of requests answered 500, and latency added to
/// each. Set from the environment at start (`FAULT_ERROR_RATE`, `FAULT_LATENCY_MS` for every route)
/// and changed at run time through the admin endpoint:
///
/// - `GET /admin/faults`: the current faults as JSON;
/// - `POST /admin/faults` with `{"route": "/charge", "error_rate": 0.5, "latency_ms": 200}` (a route
///   covers the paths under it; `*` is every route);
/// - `POST /admin/faults/reset`: no faults.
public final class FaultBook: Sendable {
    public struct Fault: Codable, Sendable, Equatable {
        public var errorRate: Double
        public var latencyMs: Int

        enum CodingKeys: String, CodingKey {
            case errorRate = "error_rate"
            case latencyMs = "latency_ms"
        }

        public init(errorRate: Double = 0, latencyMs: Int = 0) {
            self.errorRate = errorRate
            self.latencyMs = latencyMs
        }
    }

    private let faults = Mutex<[String: Fault]>([:])

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let everyRoute = Fault(errorRate: Double(environment["FAULT_ERROR_RATE"] ?? "") ?? 0,
                               latencyMs: Int(environment["FAULT_LATENCY_MS"] ?? "") ?? 0)
        if everyRoute != Fault() { faults.withLock { $0["*"] = everyRoute } }
    }

    /// The fault of a request path: the one set for the longest route that is the path or a
    /// prefix of it by whole segments (`/users` covers `/users/42`), else the one for every route.
    public func fault(for path: String) -> Fault {
        faults.withLock { faults in
            let match = faults.keys.filter { $0 != "*" && (path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/")) }
                .max { $0.count < $1.count }
            return match.flatMap { faults[$0] } ?? faults["*"] ?? Fault()
        }
    }

    public func set(_ fault: Fault, for route: String) { faults.withLock { $0[route] = fault } }
    public func reset() { faults.withLock { $0 = [:] } }
    public var all: [String: Fault] { faults.withLock { $0 } }

    struct Update: Decodable {
        var route: String
        var errorRate: Double?
        var latencyMs: Int?

        enum CodingKeys: String, CodingKey {
            case route
            case errorRate = "error_rate"
            case latencyMs = "latency_ms"
        }
    }

    /// Adds the admin routes to `router`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/admin/faults") { _, _ -> Response in
            let data = try JSONEncoder().encode(self.all)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.post("/admin/faults") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            guard let update = try? JSONDecoder().decode(Update.self, from: Data(buffer: body)),
                  (0...1).contains(update.errorRate ?? 0), (update.latencyMs ?? 0) >= 0 else {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "expected {\"route\": \"/path\", \"error_rate\": 0..1, \"latency_ms\": >= 0}\n")))
            }
            self.set(Fault(errorRate: update.errorRate ?? 0, latencyMs: update.latencyMs ?? 0), for: update.route)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.post("/admin/faults/reset") { _, _ -> Response in
            self.reset()
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "faults reset\n")))
        }
    }
}

/// Applies the ``FaultBook`` to every request except the admin and metrics routes.
public struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let book: FaultBook

    public init(book: FaultBook) { self.book = book }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !path.hasPrefix("/admin"), path != "/metrics", path != "/healthz" else { return try await next(request, context) }
        let fault = book.fault(for: path)
        if fault.latencyMs > 0 { try await Task.sleep(for: .milliseconds(fault.latencyMs)) }
        if fault.errorRate > 0, Double.random(in: 0..<1) < fault.errorRate {
            throw HTTPError(.internalServerError, message: "injected fault")
        }
        return try await next(request, context)
    }
}
