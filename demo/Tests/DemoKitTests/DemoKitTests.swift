import DemoKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@Suite struct FaultBookTests {
    @Test func routesCoverThePathsUnderThemAndTheLongestWins() {
        let book = FaultBook(environment: ["FAULT_LATENCY_MS": "5"])
        #expect(book.fault(for: "/anything") == .init(errorRate: 0, latencyMs: 5))
        book.set(.init(errorRate: 0.5), for: "/users")
        book.set(.init(errorRate: 1), for: "/users/7")
        #expect(book.fault(for: "/users/42").errorRate == 0.5)
        #expect(book.fault(for: "/users/7").errorRate == 1)
        #expect(book.fault(for: "/usersx").latencyMs == 5, "a route covers whole segments only")
        book.reset()
        #expect(book.fault(for: "/users/42") == .init())
    }
}

@Suite struct ServiceRouterTests {
    /// A router like a demo service's: RED metrics and faults around one route.
    func app(_ registry: PrometheusCollectorRegistry, _ book: FaultBook) -> some ApplicationProtocol {
        let router = Router()
        router.middlewares.add(REDMiddleware(registry: registry, service: "test"))
        router.middlewares.add(FaultMiddleware(book: book))
        router.get("/things/{id}") { _, _ in "thing\n" }
        book.addRoutes(to: router)
        return Application(router: router)
    }

    @Test func redMetricsCountEveryAnswerAndInjectedFaultsShowInThem() async throws {
        let registry = PrometheusCollectorRegistry()
        let book = FaultBook(environment: [:])
        try await app(registry, book).test(.router) { client in
            try await client.execute(uri: "/things/1", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/admin/faults", method: .post, body: ByteBuffer(string: #"{"route":"/things","error_rate":1,"latency_ms":350}"#)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/things/2", method: .get) { #expect($0.status == .internalServerError) }
            try await client.execute(uri: "/admin/faults", method: .post, body: ByteBuffer(string: #"{"route":"/things","error_rate":2}"#)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/admin/faults/reset", method: .post) { #expect($0.status == .ok) }
            try await client.execute(uri: "/things/3", method: .get) { #expect($0.status == .ok) }
        }
        let text = registry.emitToString()
        #expect(text.contains(#"http_server_requests_total{service="test",route="/things/{id}",method="GET",status_code="200"} 2"#), "\(text)")
        #expect(text.contains(#"http_server_requests_total{service="test",route="/things/{id}",method="GET",status_code="500"} 1"#), "\(text)")
        // The faulty request took over 350 ms: outside the 0.3 s bucket.
        #expect(text.contains(#"http_server_request_duration_seconds_bucket{service="test",route="/things/{id}",method="GET",le="0.3"} 2"#), "\(text)")
        #expect(text.contains(#"http_server_request_duration_seconds_count{service="test",route="/things/{id}",method="GET"} 3"#), "\(text)")
    }
}

@Suite struct JSONLineLogHandlerTests {
    @Test func linesAreJSONWithTheProvidedTraceIDs() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)/order.log").path
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let provider = Logger.MetadataProvider { ["trace_id": "5b8efff798038103d269b633813fc60c", "span_id": "eee19b7ec3c1b174"] }
        let logger = Logger(label: "order") { _ in JSONLineLogHandler(service: "order", path: path, metadataProvider: provider) }
        // A second logger of the same service writes to the same file: lines never overwrite each other.
        let other = Logger(label: "order.payments") { _ in JSONLineLogHandler(service: "order", path: path, metadataProvider: provider) }
        logger.info("order created", metadata: ["order_id": "o-1"])
        other.info("second logger")
        logger.debug("not written at info")
        logger.info("third line")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(object["message"] == "order created" && object["service"] == "order" && object["level"] == "info")
        #expect(object["trace_id"] == "5b8efff798038103d269b633813fc60c" && object["span_id"] == "eee19b7ec3c1b174")
        #expect(object["order_id"] == "o-1")
    }
}
