import Foundation
import OTelModel

/// Deterministic, realistic OTLP requests for benchmarks: five services, HTTP/DB/RPC spans with about
/// ten attributes each, error spans with an exception event, logs with JSON bodies and trace ids.
enum SampleRequests {
    struct Generator {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    static let services = ["frontend", "checkout", "payment", "catalog", "accounts"]
    static let routes = ["/api/products", "/api/products/{id}", "/api/cart", "/api/checkout", "/orders/{orderId}", "/healthz"]

    static func resource(_ service: String) -> Resource {
        Resource(attributes: [
            KeyValue("service.name", service),
            KeyValue("service.version", "1.4.2"),
            KeyValue("service.namespace", "shop"),
            KeyValue("deployment.environment.name", "production"),
            KeyValue("host.name", "node-\(service)-7f9c"),
            KeyValue("telemetry.sdk.name", "opentelemetry"),
            KeyValue("telemetry.sdk.language", "go"),
            KeyValue("telemetry.sdk.version", "1.32.0"),
        ])
    }

    /// `count` spans; with `perTrace` > 1, span `i` of every service belongs to trace `i % (count / perTrace)`,
    /// so each trace has `perTrace` spans spread over the services.
    static func traces(spans count: Int, perTrace: Int = 1) -> TracesData {
        var g = Generator()
        let traceCount = max(1, count / perTrace)
        let traceIDs = (0..<traceCount).map { _ in TraceID(high: g.next(), low: g.next()) }
        var data = TracesData()
        let perService = count / services.count
        for (index, service) in services.enumerated() {
            var scope = ScopeSpans(scope: InstrumentationScope(name: ByteString("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"), version: "0.57.0"))
            let n = index == services.count - 1 ? count - perService * (services.count - 1) : perService
            scope.spans.reserveCapacity(n)
            for i in 0..<n {
                var s = Span()
                s.traceID = perTrace > 1 ? traceIDs[i % traceCount] : TraceID(high: g.next(), low: g.next())
                s.spanID = SpanID(g.next())
                if i % 4 != 0 { s.parentSpanID = SpanID(g.next()) }
                let route = g.pick(routes)
                s.name = ByteString("GET \(route)")
                s.kind = i % 3 == 0 ? .server : .client
                s.startTimeUnixNano = 1_700_000_000_000_000_000 + g.next() % 1_000_000_000_000
                s.endTimeUnixNano = s.startTimeUnixNano + 1_000 + g.next() % 50_000_000
                s.flags = 0x101
                s.attributes = [
                    KeyValue("http.request.method", "GET"),
                    KeyValue("http.route", route),
                    KeyValue("url.path", route.replacingOccurrences(of: "{id}", with: "\(g.next() % 10000)")),
                    KeyValue(key: "http.response.status_code", value: .int(Int64(i % 17 == 0 ? 500 : 200))),
                    KeyValue("server.address", "\(service).shop.svc.cluster.local"),
                    KeyValue(key: "server.port", value: .int(8080)),
                    KeyValue("network.protocol.version", "1.1"),
                    KeyValue("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) shop-client/2.1"),
                    KeyValue("client.address", "10.42.\(g.next() % 255).\(g.next() % 255)"),
                    KeyValue(key: "http.request.body.size", value: .int(Int64(g.next() % 4096))),
                ]
                if i % 17 == 0 {
                    s.status = SpanStatus(code: .error, message: "internal error")
                    var e = SpanEvent()
                    e.name = "exception"
                    e.timeUnixNano = s.endTimeUnixNano
                    e.attributes = [
                        KeyValue("exception.type", "io.grpc.StatusRuntimeException"),
                        KeyValue("exception.message", "UNAVAILABLE: upstream connect error or disconnect/reset before headers"),
                    ]
                    s.events = [e]
                }
                scope.spans.append(s)
            }
            data.resourceSpans.append(ResourceSpans(resource: resource(service), scopeSpans: [scope]))
        }
        return data
    }

    static func logs(records count: Int) -> LogsData {
        var g = Generator()
        var scope = ScopeLogs(scope: InstrumentationScope(name: "shop.logging"))
        for i in 0..<count {
            var l = LogRecord()
            l.timeUnixNano = 1_700_000_000_000_000_000 + UInt64(i) * 1_000_000
            l.observedTimeUnixNano = l.timeUnixNano + 5_000
            l.severityNumber = i % 10 == 0 ? .error : .info
            l.severityText = i % 10 == 0 ? "ERROR" : "INFO"
            l.traceID = TraceID(high: g.next(), low: g.next())
            l.spanID = SpanID(g.next())
            l.flags = 1
            l.body = .string(ByteString("{\"msg\":\"order placed\",\"order_id\":\"\(g.next() % 1_000_000)\",\"amount\":\(g.next() % 1000).25}"))
            l.attributes = [KeyValue("log.file.name", "checkout.log"), KeyValue(key: "thread.id", value: .int(Int64(i % 16)))]
            scope.logRecords.append(l)
        }
        return LogsData(resourceLogs: [ResourceLogs(resource: resource("checkout"), scopeLogs: [scope])])
    }
}
