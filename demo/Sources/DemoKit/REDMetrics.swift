import Dispatch
import Hummingbird
import Prometheus

/// Rate, errors and duration of every request, in the Prometheus registry the service's `/metrics`
/// serves: `http_server_requests_total{service,route,method,status_code}` and the histogram
/// `http_server_request_duration_seconds{service,route,method}` (its 0.3 s bucket is the latency SLO's).
public struct REDMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry
    let service: String

    public static var buckets: [Double] { [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5] }

    public init(registry: PrometheusCollectorRegistry, service: String) {
        self.registry = registry
        self.service = service
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let status: Int
        let response: Response
        do {
            response = try await next(request, context)
            status = response.status.code
        } catch {
            record(route: context.endpointPath ?? "unknown", method: request.method.rawValue,
                   status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
        record(route: context.endpointPath ?? "unknown", method: request.method.rawValue, status: status, since: start)
        return response
    }

    func record(route: String, method: String, status: Int, since start: UInt64) {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        registry.makeCounter(name: "http_server_requests_total",
                             labels: [("service", service), ("route", route), ("method", method), ("status_code", String(status))]).increment()
        registry.makeValueHistogram(name: "http_server_request_duration_seconds",
                                    labels: [("service", service), ("route", route), ("method", method)], buckets: Self.buckets).record(seconds)
    }
}
