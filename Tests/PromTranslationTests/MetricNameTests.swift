import Testing

@testable import PromTranslation

struct MetricNameCase: Sendable, CustomTestStringConvertible {
    var name: String
    var unit: String
    var kind: PromMetricKind
    var expected: String

    init(_ name: String, _ unit: String, _ kind: PromMetricKind, _ expected: String) {
        self.name = name
        self.unit = unit
        self.kind = kind
        self.expected = expected
    }

    var testDescription: String { "\(name) [\(unit)] \(kind) → \(expected)" }
}

let metricNameCases: [MetricNameCase] = [
    // spec / reference sheet examples
    .init("http.server.duration", "s", .histogram, "http_server_duration_seconds"),
    .init("process.cpu.time", "s", .counter, "process_cpu_time_seconds_total"),
    .init("requests", "1", .counter, "requests_total"),
    .init("system.filesystem.usage", "By", .gauge, "system_filesystem_usage_bytes"),
    .init("system.network.dropped", "{packets}", .counter, "system_network_dropped_total"),
    .init("system.network.dropped", "packets", .counter, "system_network_dropped_packets_total"),
    .init("system.memory.utilization", "1", .gauge, "system_memory_utilization_ratio"),
    .init("(lambda).function.executions(#)", "", .gauge, "lambda_function_executions"),
    // _total
    .init("requests", "", .counter, "requests_total"),
    .init("total_requests", "", .counter, "requests_total"),
    .init("requests_total", "", .counter, "requests_total"),
    .init("requests.total", "", .counter, "requests_total"),
    .init("requests.total.count", "", .counter, "requests_count_total"),
    .init("total.requests.total", "", .counter, "requests_total"),
    .init("total_requests_total", "", .counter, "requests_total"),
    .init("requests_total_total", "", .counter, "requests_total"),
    .init("a_total_b_total", "", .counter, "a_b_total"),
    .init("total", "", .counter, "total"),
    .init("total", "s", .counter, "seconds_total"),
    .init("subtotal.amount", "", .counter, "subtotal_amount_total"),
    .init("Total.requests", "", .counter, "Total_requests_total"),
    .init("total.requests", "", .gauge, "total_requests"),
    .init("requests_total", "", .gauge, "requests_total"),
    .init("total.time", "s", .counter, "time_seconds_total"),
    .init("time.total", "s", .counter, "time_seconds_total"),
    // unit already present (as whole tokens, anywhere)
    .init("duration_seconds", "s", .histogram, "duration_seconds"),
    .init("http_server_duration", "s", .histogram, "http_server_duration_seconds"),
    .init("duration_seconds_x", "s", .histogram, "duration_seconds_x"),
    .init("rate_bytes_per", "By/s", .gauge, "rate_bytes_per_bytes_per_second"),
    .init("build_info_x", "", .info, "build_info_x_info"),
    .init("http.server.duration.seconds", "s", .histogram, "http_server_duration_seconds"),
    .init("process_cpu_time_seconds_total", "s", .counter, "process_cpu_time_seconds_total"),
    .init("process.cpu.seconds.total", "s", .counter, "process_cpu_seconds_total"),
    .init("seconds.since.start", "s", .gauge, "seconds_since_start"),
    .init("queue.bytes.limit", "By", .gauge, "queue_bytes_limit"),
    .init("durationseconds", "s", .gauge, "durationseconds_seconds"),
    .init("Seconds", "s", .gauge, "Seconds_seconds"),
    .init("network.bytes_per_second", "By/s", .gauge, "network_bytes_per_second"),
    .init("bytes.received.rate", "By/s", .gauge, "bytes_received_rate_bytes_per_second"),
    .init("cpu_ratio", "1", .gauge, "cpu_ratio"),
    // units and rates
    .init("system.network.io", "By", .counter, "system_network_io_bytes_total"),
    .init("system.network.io", "By/s", .gauge, "system_network_io_bytes_per_second"),
    .init("net.packets", "{packet}/s", .gauge, "net_packets_per_second"),
    .init("errors", "1/s", .gauge, "errors_per_second"),
    .init("errors", "1/s", .counter, "errors_per_second_total"),
    .init("speed", "m/s", .gauge, "speed_meters_per_second"),
    .init("throughput", "By/ms", .gauge, "throughput_bytes_per_ms"),
    .init("queue.rate", "items/min", .gauge, "queue_rate_items_per_min"),
    .init("rpc.duration", "ms", .summary, "rpc_duration_milliseconds"),
    .init("temp", " Cel ", .gauge, "temp_celsius"),
    .init("disk.io", "By{read}", .counter, "disk_io_bytes_total"),
    .init("load", "%", .gauge, "load_percent"),
    .init("odd", "req.s", .gauge, "odd_req_s"),
    // braces-only and unknown-only units
    .init("http.server.active_requests", "{request}", .gauge, "http_server_active_requests"),
    .init("memory", "{unclosed", .gauge, "memory"),
    .init("memory", "°", .gauge, "memory"),
    // unit "1"
    .init("system.cpu.utilization", "1", .histogram, "system_cpu_utilization"),
    .init("system.cpu.utilization", "1", .counter, "system_cpu_utilization_total"),
    .init("system.cpu.utilization", "1", .unknown, "system_cpu_utilization"),
    .init("system.cpu.utilization", "1", .summary, "system_cpu_utilization"),
    // info and stateset
    .init("build", "", .info, "build_info"),
    .init("build_info", "", .info, "build_info"),
    .init("build.info", "s", .info, "build_seconds_info"),
    .init("info.source", "", .info, "info_source_info"),
    .init("states", "", .stateset, "states"),
    // characters, runs, ends
    .init("a..b__c--d", "", .gauge, "a_b_c_d"),
    .init("_internal.metric", "", .gauge, "internal_metric"),
    .init("metric.", "", .gauge, "metric"),
    .init("metric._", "s", .gauge, "metric_seconds"),
    .init("ns:sub.metric", "", .gauge, "ns:sub_metric"),
    .init(":colon", "", .gauge, ":colon"),
    .init("a b\tc\nd", "", .gauge, "a_b_c_d"),
    .init("café.ölçüm", "", .gauge, "caf_l_m"),
    .init("métrique", "s", .gauge, "m_trique_seconds"),
    .init("指标.count", "", .counter, "count_total"),
    .init("e\u{301}.x", "", .gauge, "e_x"),
    .init("é.x", "", .gauge, "x"),
    .init("emoji😀name", "", .gauge, "emoji_name"),
    // leading digits
    .init("2xx.responses", "", .counter, "_2xx_responses_total"),
    .init("_2xx", "", .gauge, "_2xx"),
    .init("__2xx", "", .gauge, "_2xx"),
    .init("9", "", .gauge, "_9"),
    .init("total.2xx", "", .counter, "_2xx_total"),
    .init("1", "s", .gauge, "_1_seconds"),
    // empty
    .init("", "", .gauge, ""),
    .init("", "s", .counter, ""),
    .init("...", "s", .counter, ""),
    .init("___", "", .gauge, ""),
    .init("ü", "", .gauge, ""),
]

@Suite struct MetricNameTests {
    @Test(arguments: metricNameCases)
    func translates(_ testCase: MetricNameCase) {
        #expect(PromNaming.metricName(testCase.name, unit: testCase.unit, kind: testCase.kind) == testCase.expected)
    }

    @Test(arguments: metricNameCases.filter { !$0.expected.isEmpty })
    func translatedNamesAreFinalAndValid(_ testCase: MetricNameCase) {
        let once = PromNaming.metricName(testCase.name, unit: testCase.unit, kind: testCase.kind)
        #expect(PromNaming.isValidMetricName(once))
        #expect(PromNaming.metricName(once, unit: testCase.unit, kind: testCase.kind) == once)
        // The second pass is answered by the no-allocation path.
        let plan = SuffixPlan(unit: testCase.unit, kind: testCase.kind, addSuffixes: true)
        #expect(PromNaming.unchangedMetricName(once, plan: plan, namespace: nil) != nil)
    }

    @Test(arguments: [
        .init("http.server.duration", "s", .histogram, "http_server_duration"),
        .init("requests", "1", .counter, "requests"),
        .init("total_requests", "", .counter, "total_requests"),
        .init("requests_total", "", .counter, "requests_total"),
        .init("cpu.utilization", "1", .gauge, "cpu_utilization"),
        .init("build", "", .info, "build"),
        .init("2xx", "", .counter, "_2xx"),
        .init("valid_name", "s", .counter, "valid_name"),
        .init("a..b__c", "By/s", .gauge, "a_b_c"),
        .init("métrique", "", .gauge, "m_trique"),
        .init("", "s", .gauge, ""),
    ] as [MetricNameCase])
    func withoutSuffixes(_ testCase: MetricNameCase) {
        #expect(
            PromNaming.metricName(testCase.name, unit: testCase.unit, kind: testCase.kind, addSuffixes: false)
                == testCase.expected)
    }

    @Test(arguments: [
        ("http.server.duration", "s", PromMetricKind.histogram, "otelsw", "otelsw_http_server_duration_seconds"),
        ("requests", "", .counter, "my.app", "my_app_requests_total"),
        ("total.requests", "", .counter, "ns", "ns_requests_total"),
        ("total", "", .counter, "ns", "ns_total"),
        ("2xx", "", .gauge, "ns", "ns_2xx"),
        ("x", "", .gauge, "9ns", "_9ns_x"),
        ("seconds", "s", .gauge, "seconds", "seconds_seconds"),
        ("x", "s", .gauge, "", "x_seconds"),
        ("x", "s", .gauge, "...", "x_seconds"),
        ("", "s", .gauge, "ns", ""),
        ("already_valid_seconds", "s", .gauge, "ns", "ns_already_valid_seconds"),
    ] as [(String, String, PromMetricKind, String, String)])
    func withNamespace(_ name: String, _ unit: String, _ kind: PromMetricKind, _ namespace: String, _ expected: String) {
        #expect(PromNaming.metricName(name, unit: unit, kind: kind, namespace: namespace) == expected)
    }

    @Test func namespaceWithoutSuffixes() {
        #expect(
            PromNaming.metricName("http.server.duration", unit: "s", kind: .histogram, addSuffixes: false, namespace: "ns")
                == "ns_http_server_duration")
    }

    @Test func longNamesAreRebuiltCompletely() {
        let name = String(repeating: "segment.", count: 200) + "end"
        let expected = String(repeating: "segment_", count: 200) + "end_bytes_per_second_total"
        #expect(PromNaming.metricName(name, unit: "By/s", kind: .counter) == expected)
    }
}
