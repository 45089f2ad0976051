import Foundation
import NIOCore
import OTelTestSupport
import PipelineCore
import Prometheus
import Telemetry
import Testing

/// The registry as `/metrics` shows it: series made up front and on first use count alike, a
/// component's counters for a label value are the same series however they are reached, and the
/// generic families carry their labels.
@Suite struct LabeledCountersTests {
    static func value(_ telemetry: SelfTelemetry, _ name: String, _ labels: [String: String]) -> Double? {
        PrometheusText.value(in: String(decoding: telemetry.render(), as: UTF8.self), name: name, labels: labels)
    }

    @Test func valuesNamedUpFrontAndOthersBothCount() {
        let telemetry = SelfTelemetry(version: "test")
        let outcomes = telemetry.counters("otelsw_test_total", labels: [("component", "x")], by: "outcome", values: ["a", "b"], help: "Test.")
        // Resolved up front: the series exists before anything is counted.
        #expect(Self.value(telemetry, "otelsw_test_total", ["component": "x", "outcome": "a"]) == 0)
        #expect(Self.value(telemetry, "otelsw_test_total", ["component": "x", "outcome": "c"]) == nil)
        outcomes.increment("a", by: 3)
        outcomes.increment("c", by: 2)
        outcomes.increment("c")
        outcomes.increment("b", by: 0)
        #expect(Self.value(telemetry, "otelsw_test_total", ["component": "x", "outcome": "a"]) == 3)
        #expect(Self.value(telemetry, "otelsw_test_total", ["component": "x", "outcome": "b"]) == 0)
        #expect(Self.value(telemetry, "otelsw_test_total", ["component": "x", "outcome": "c"]) == 3)
        // The same name and labels reached another way are the same series.
        telemetry.counter("otelsw_test_total", labels: [("component", "x"), ("outcome", "a")], help: "Test.").increment(by: Int64(1))
        #expect(Self.value(telemetry, "otelsw_test_total", ["component": "x", "outcome": "a"]) == 4)
    }

    @Test func receiverAndExporterFamilies() {
        let telemetry = SelfTelemetry(version: "test")
        let receiver = telemetry.receiver(ComponentID(type: "otlp"), transport: "http", signal: .logs)
        receiver.accepted.increment(by: Int64(5))
        receiver.refused(2, reason: "memory_limit")
        receiver.refused.increment(by: Int64(1))
        receiver.rejectedRequest(reason: "too_large")
        #expect(Self.value(telemetry, "otelsw_receiver_accepted_log_records_total", ["receiver": "otlp", "transport": "http"]) == 5)
        #expect(Self.value(telemetry, "otelsw_receiver_refused_log_records_total", ["receiver": "otlp", "reason": "memory_limit"]) == 2)
        #expect(Self.value(telemetry, "otelsw_receiver_refused_log_records_total", ["receiver": "otlp", "reason": "backpressure"]) == 1)
        #expect(Self.value(telemetry, "otelsw_receiver_refused_requests_total", ["receiver": "otlp", "reason": "too_large"]) == 1)

        let exporter = telemetry.exporter(ComponentID(type: "loki", name: "a"), signal: .logs)
        exporter.dropped(4, reason: "queue_full")
        exporter.dropped(1, reason: "rejected_by_backend")
        #expect(Self.value(telemetry, "otelsw_exporter_dropped_items_total", ["exporter": "loki/a", "signal": "logs", "reason": "queue_full"]) == 4)
        #expect(Self.value(telemetry, "otelsw_exporter_dropped_items_total", ["exporter": "loki/a", "reason": "rejected_by_backend"]) == 1)
        #expect(Self.value(telemetry, "otelsw_build_info", ["version": "test"]) == 1)
    }

    @Test func scrapeHooksRunBeforeEachRenderUntilRemoved() {
        let telemetry = SelfTelemetry(version: "test")
        let gauge = telemetry.gauge("otelsw_test_gauge", help: "Test.")
        let hook = telemetry.addScrapeHook { gauge.set(7.0) }
        #expect(Self.value(telemetry, "otelsw_test_gauge", [:]) == 7)
        telemetry.removeScrapeHook(hook)
        gauge.set(1.0)
        #expect(Self.value(telemetry, "otelsw_test_gauge", [:]) == 1)
        #expect(telemetry.scrapeHookCount == 0)
    }
}

/// `POST /-/reload` is answered for clients on this host only, whatever the telemetry server binds.
@Suite struct ReloadAccessTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"])
    func loopbackClientsMayReload(_ ip: String) throws {
        #expect(TelemetryServer.isLoopback(try SocketAddress(ipAddress: ip, port: 40000)))
    }

    @Test(arguments: ["10.0.0.1", "192.168.1.20", "fe80::1", "2001:db8::1", "::ffff:10.0.0.1", "128.0.0.1"])
    func otherClientsMayNot(_ ip: String) throws {
        #expect(!TelemetryServer.isLoopback(try SocketAddress(ipAddress: ip, port: 40000)))
    }

    @Test func noAddressIsNotLoopback() {
        #expect(!TelemetryServer.isLoopback(nil))
    }
}
