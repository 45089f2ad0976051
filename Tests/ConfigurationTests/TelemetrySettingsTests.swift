import Configuration
import Testing

/// `service.telemetry`: the metrics address (host:port, or empty to disable), the log level and the
/// exporter stall timeout are read; Collector settings otelsw ignores load with a warning at the value.
@Suite struct TelemetrySettingsTests {
    @Test func defaults() throws {
        let t = TelemetrySettings()
        #expect(t.metricsAddress == "127.0.0.1:8888" && t.logLevel == "info" && t.exporterStallTimeout == .seconds(120))
        let doc = YAMLDocument("{}")
        let reader = try #require(doc.reader(context: "service.telemetry"))
        #expect(TelemetrySettings(reading: reader) == t)
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func everyField() throws {
        let doc = YAMLDocument("""
            metrics:
              address: 0.0.0.0:9999
              level: detailed
            health:
              exporter_stall_timeout: 30s
            logs:
              level: debug
              encoding: json
            """)
        let reader = try #require(doc.reader(context: "service.telemetry"))
        let t = TelemetrySettings(reading: reader)
        #expect(t.metricsAddress == "0.0.0.0:9999" && t.logLevel == "debug" && t.exporterStallTimeout == .seconds(30))
        #expect(doc.diagnostics == [
            "3:10: warning: 'level' in service.telemetry.metrics has no effect: otelsw always reports every family",
            "8:13: warning: 'encoding: json' in service.telemetry.logs has no effect: the agent logs text lines",
        ])
    }

    @Test func anEmptyAddressDisablesTheServer() throws {
        let doc = YAMLDocument("metrics:\n  address: \"\"\n  level: normal\n")
        let reader = try #require(doc.reader(context: "service.telemetry"))
        let t = TelemetrySettings(reading: reader)
        #expect(t.metricsAddress == "")
        #expect(doc.diagnostics.isEmpty)
    }

    @Test func invalidValuesAreErrors() throws {
        let doc = YAMLDocument("""
            metrics:
              address: nowhere
              level: everything
            logs:
              level: verbose
            traces: {}
            """)
        let reader = try #require(doc.reader(context: "service.telemetry"))
        let t = TelemetrySettings(reading: reader)
        #expect(t.logLevel == "info")
        #expect(doc.diagnostics == [
            "3:10: 'level' must be one of none, basic, normal, detailed, got 'everything'",
            "2:12: 'address' must be host:port, got 'nowhere'",
            "5:10: 'level' must be one of debug, info, warn, error, got 'verbose'",
            "6:1: unknown key 'traces' in service.telemetry (valid keys: health, logs, metrics)",
        ])
    }
}
