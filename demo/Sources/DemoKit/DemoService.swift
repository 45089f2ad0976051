import Foundation
import Hummingbird
import Logging
import Metrics
import OTel
import Prometheus
import ServiceLifecycle
import Tracing

/// What every demo service shares: OTLP traces and metrics to otelsw (swift-otel), JSON log lines
/// with trace ids to a file otelsw tails, RED and business metrics on `/metrics` for Prometheus,
/// fault injection, and the HTTP server (Hummingbird).
///
/// Environment: `PORT`, `HOST` (the address to listen on, default `0.0.0.0`); `OTEL_EXPORTER_OTLP_ENDPOINT` (default `http://127.0.0.1:4318`) and the
/// other `OTEL_*` variables swift-otel reads; `LOG_DIR` (the log file is `LOG_DIR/<service>.log`,
/// standard output without it); `FAULT_ERROR_RATE`, `FAULT_LATENCY_MS`.
public final class DemoService: Sendable {
    public let name: String
    public let port: Int
    public let host: String
    public let registry = PrometheusCollectorRegistry()
    public let faults: FaultBook
    public let logger: Logger
    let observability: [any Service]

    /// Bootstraps logging, metrics and tracing for the process; call once, first.
    public init(name: String, defaultPort: Int, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.name = name
        port = Int(environment["PORT"] ?? "") ?? defaultPort
        host = environment["HOST"] ?? "0.0.0.0"
        faults = FaultBook(environment: environment)
        var config = OTel.Configuration.default
        config.serviceName = name
        config.logs.enabled = false
        config.diagnosticLogLevel = .warning
        config.traces.batchSpanProcessor.scheduleDelay = .milliseconds(500)
        config.metrics.exportInterval = .seconds(5)
        if environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == nil {
            config.traces.otlpExporter.endpoint = "http://127.0.0.1:4318"
            config.metrics.otlpExporter.endpoint = "http://127.0.0.1:4318"
        }
        config.traces.otlpExporter.protocol = .httpProtobuf
        config.metrics.otlpExporter.protocol = .httpProtobuf
        let tracing = try OTel.makeTracingBackend(configuration: config)
        let metrics = try OTel.makeMetricsBackend(configuration: config)
        InstrumentationSystem.bootstrap(tracing.factory)
        MetricsSystem.bootstrap(metrics.factory)
        let logPath = environment["LOG_DIR"].map { "\($0)/\(name).log" }
        LoggingSystem.bootstrap({ _, provider in JSONLineLogHandler(service: name, path: logPath, metadataProvider: provider) },
                                metadataProvider: OTel.makeLoggingMetadataProvider())
        logger = Logger(label: name)
        observability = [tracing.service, metrics.service]
    }

    /// A router with tracing (W3C context from the caller), RED metrics, faults, `/metrics`,
    /// `/healthz` and the admin routes.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(TracingMiddleware())
        router.middlewares.add(REDMiddleware(registry: registry, service: name))
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(FaultMiddleware(book: faults))
        let registry = registry
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/healthz") { _, _ in "ok\n" }
        faults.addRoutes(to: router)
        return router
    }

    /// A counter on `/metrics` and over OTLP alike.
    public func counter(_ name: String, _ labels: [(String, String)] = [], help: String) -> BusinessCounter {
        BusinessCounter(prometheus: registry.makeCounter(name: name, labels: labels, help: help), otel: Counter(label: name, dimensions: labels))
    }

    /// A gauge on `/metrics` and over OTLP alike.
    public func gauge(_ name: String, _ labels: [(String, String)] = [], help: String) -> BusinessGauge {
        BusinessGauge(prometheus: registry.makeGauge(name: name, labels: labels, help: help), otel: Gauge(label: name, dimensions: labels))
    }

    /// Serves `router` until SIGTERM or SIGINT, with the OTLP exporters running beside it.
    public func run(_ router: Router<BasicRequestContext>) async throws {
        var app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: name), logger: logger)
        app.addServices(observability)
        logger.info("\(name) listening on \(host):\(port)")
        try await app.runService()
    }
}

public struct BusinessCounter: Sendable {
    let prometheus: Prometheus.Counter
    let otel: Metrics.Counter
    public func increment(by n: Int = 1) {
        prometheus.increment(by: Int64(n))
        otel.increment(by: n)
    }
}

public struct BusinessGauge: Sendable {
    let prometheus: Prometheus.Gauge
    let otel: Metrics.Gauge
    public func set(_ value: Double) {
        prometheus.set(value)
        otel.record(value)
    }
}

/// Reads a JSON object from a request body.
public func jsonBody(_ request: Request) async throws -> [String: Any] {
    let body = try await request.body.collect(upTo: 1 << 20)
    guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
        throw HTTPError(.badRequest, message: "expected a JSON object")
    }
    return object
}

/// A JSON response.
public func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
