import AgentTestSupport
@testable import Components
import Factories
import Foundation
import OTelModel
import Runtime
import TailSampling
import Testing

@Suite struct TailSamplingConfigTests {
    @Test func everyPolicyTypeReadsAsTheCollectorWritesIt() throws {
        let yaml = """
            receivers:
              otlp:
                protocols:
                  http:
            processors:
              tail_sampling:
                decision_wait: 10s
                num_traces: 100000
                expected_new_traces_per_sec: 1000
                memory_limit_mib: 128
                decision_cache: {sampled_cache_size: 500000, non_sampled_cache_size: 400000}
                logs: {memory_limit_mib: 32, unknown_trace: drop}
                policies:
                  - {name: all, type: always_sample}
                  - {name: slow, type: latency, latency: {threshold_ms: 2000, upper_threshold_ms: 9000}}
                  - {name: big, type: numeric_attribute, numeric_attribute: {key: items, min_value: 10, max_value: 20, invert_match: true}}
                  - {name: base, type: probabilistic, probabilistic: {sampling_percentage: 5.5, hash_salt: layer2}}
                  - {name: errors, type: status_code, status_code: {status_codes: [ERROR, unset]}}
                  - {name: health, type: string_attribute, string_attribute: {key: url.path, values: [/health, /metrics]}}
                  - {name: debug, type: boolean_attribute, boolean_attribute: {key: debug, value: false}}
                  - {name: rate, type: rate_limiting, rate_limiting: {spans_per_second: 500}}
                  - {name: count, type: span_count, span_count: {min_spans: 2}}
                  - {name: state, type: trace_state, trace_state: {key: tenant, values: [acme]}}
                  - {name: flags, type: trace_flags}
                  - name: both
                    type: and
                    and: {and_sub_policy: [{name: a, type: always_sample}, {name: b, type: trace_flags}]}
                  - name: no-health
                    type: drop
                    drop:
                      drop_sub_policy:
                        - {name: h, type: string_attribute, string_attribute: {key: url.path, values: ["/health.*"], enabled_regex_matching: true}}
                  - name: budget
                    type: composite
                    composite:
                      max_total_spans_per_second: 1000
                      policy_order: [e, rest]
                      composite_sub_policy:
                        - {name: e, type: status_code, status_code: {status_codes: [ERROR]}}
                        - {name: rest, type: always_sample}
                      rate_allocation:
                        - {policy: e, percent: 40}
            exporters:
              debug:
            service:
              pipelines:
                traces: {receivers: [otlp], processors: [tail_sampling], exporters: [debug]}
                logs: {receivers: [otlp], processors: [tail_sampling], exporters: [debug]}
            """
        let config = try AgentConfig.parse(yaml, file: "ts.yaml", registry: Components.registry)
        let ts = try #require(config.processors.first?.config as? TailSamplingConfig)
        #expect(ts.sampler.decisionWait == 10_000_000_000 && ts.sampler.numTraces == 100_000 && ts.sampler.maxBytes == 128 << 20)
        #expect(ts.sampler.sampledCacheSize == 500_000 && ts.sampler.nonSampledCacheSize == 400_000)
        #expect(ts.logs == LogHold.Settings(wait: 10_000_000_000, maxBytes: 32 << 20, keepUnknown: false))
        let kinds = ts.sampler.policies.map(\.kind)
        #expect(kinds == [
            .alwaysSample,
            .latency(thresholdMs: 2000, upperThresholdMs: 9000),
            .numericAttribute(key: "items", min: 10, max: 20, invert: true),
            .probabilistic(percentage: 5.5, salt: "layer2"),
            .statusCode([.error, .unset]),
            .stringAttribute(key: "url.path", values: ["/health", "/metrics"], regex: false, invert: false),
            .booleanAttribute(key: "debug", value: false, invert: false),
            .rateLimiting(spansPerSecond: 500),
            .spanCount(min: 2, max: nil),
            .traceState(key: "tenant", values: ["acme"]),
            .traceFlags,
            .and([PolicyConfig(name: "a", .alwaysSample), PolicyConfig(name: "b", .traceFlags)]),
            .drop([PolicyConfig(name: "h", .stringAttribute(key: "url.path", values: ["/health.*"], regex: true, invert: false))]),
            .composite(maxTotalSpansPerSecond: 1000, order: ["e", "rest"],
                       policies: [PolicyConfig(name: "e", .statusCode([.error])), PolicyConfig(name: "rest", .alwaysSample)],
                       allocation: ["e": 40]),
        ])
        // The policies build.
        _ = try TailSampler(ts.sampler)
    }

    @Test func aSamplerListedInTwoTracesPipelinesIsRefused() async throws {
        let yaml = """
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:0
            processors:
              tail_sampling:
                policies: [{name: all, type: always_sample}]
            exporters:
              debug:
            service:
              pipelines:
                traces: {receivers: [otlp], processors: [tail_sampling], exporters: [debug]}
                traces/second: {receivers: [otlp], processors: [tail_sampling], exporters: [debug]}
            """
        await #expect(throws: (any Error).self) { _ = try await TestAgent(yaml: yaml) }
        let logsTwice = yaml.replacingOccurrences(of: "traces/second", with: "logs")
        await #expect(throws: (any Error).self) { _ = try await TestAgent(yaml: logsTwice + "\n    logs/second: {receivers: [otlp], processors: [tail_sampling], exporters: [debug]}") }
    }
}
