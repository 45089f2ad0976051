import Configuration
import Foundation
import OTelModel
import PipelineCore
import RE2
import TailSampling

/// `tail_sampling` settings: the collector's fields, plus a memory budget and the settings for log
/// records that follow the decisions (`logs`).
public struct TailSamplingConfig: ComponentConfig, Equatable {
    var sampler = TailSampler.Settings()
    var logs = LogHold.Settings(wait: 30_000_000_000)
    var dropPendingOnShutdown = false

    init(reading r: ConfigReader) {
        let wait = r.duration("decision_wait", default: .seconds(30))
        if wait <= .zero { r.error("'decision_wait' must be positive", key: "decision_wait") }
        sampler.decisionWait = UInt64(max(wait.nanoseconds, 1))
        sampler.numTraces = r.int("num_traces", default: 50_000, min: 1, max: 1 << 32)
        _ = r.int("expected_new_traces_per_sec", default: 0, min: 0)  // a sizing hint; maps grow as needed
        sampler.maxBytes = r.int("memory_limit_mib", default: 256, min: 1, max: 1 << 30) << 20
        sampler.sampleOnFirstMatch = r.bool("sample_on_first_match", default: false)
        dropPendingOnShutdown = r.bool("drop_pending_traces_on_shutdown", default: false)
        if let cache = r.section("decision_cache") {
            sampler.sampledCacheSize = cache.int("sampled_cache_size", default: 0, min: 0)
            sampler.nonSampledCacheSize = cache.int("non_sampled_cache_size", default: 0, min: 0)
            cache.finish()
        }
        let policies = r.sectionList("policies")
        if policies.isEmpty { r.error("'policies' must list at least one policy", key: "policies") }
        sampler.policies = PolicyReader.read(policies, context: "policies")
        logs.wait = sampler.decisionWait
        if let l = r.section("logs") {
            logs.maxBytes = l.int("memory_limit_mib", default: 64, min: 1, max: 1 << 30) << 20
            logs.keepUnknown = l.choice("unknown_trace", ["keep", "drop"], default: "keep") == "keep"
            l.finish()
        }
    }
}

/// Reads policy entries (`name`, `type`, and a section named after the type).
enum PolicyReader {
    static let types = [
        "always_sample", "latency", "numeric_attribute", "probabilistic", "status_code", "string_attribute",
        "boolean_attribute", "rate_limiting", "span_count", "trace_state", "trace_flags", "and", "drop", "composite",
    ]

    static func read(_ entries: [ConfigReader], context: String) -> [PolicyConfig] {
        var names: Set<String> = []
        var out: [PolicyConfig] = []
        for e in entries {
            defer { e.finish() }
            let name = e.string("name")
            if name.isEmpty { e.error("a policy needs a 'name'") }
            if !names.insert(name).inserted { e.error("policy name \"\(name)\" is used twice", key: "name") }
            let type = e.string("type")
            guard types.contains(type) else {
                let reason = type.isEmpty ? "a policy needs a 'type'"
                    : ["ottl_condition", "bytes_limiting"].contains(type) ? "policy type \(type) is not supported (supported: \(types.joined(separator: ", ")))"
                    : "unknown policy type \"\(type)\" (known: \(types.joined(separator: ", ")))"
                e.error(reason, key: "type")
                continue
            }
            let body = e.section(type)
            defer { body?.finish() }
            if let kind = kind(type, body, e) { out.append(PolicyConfig(name: name, kind)) }
        }
        return out
    }

    private static func kind(_ type: String, _ b: ConfigReader?, _ e: ConfigReader) -> PolicyConfig.Kind? {
        func need(_ what: String) -> ConfigReader? {
            if b == nil { e.error("policy type \(type) needs a '\(type)' section with \(what)") }
            return b
        }
        switch type {
        case "always_sample": return .alwaysSample
        case "trace_flags": return .traceFlags
        case "latency":
            guard let b = need("threshold_ms") else { return nil }
            let t = b.int("threshold_ms", default: 0, min: 0, max: 1 << 40)
            let u = b.has("upper_threshold_ms") ? b.int("upper_threshold_ms", default: 0, min: 0, max: 1 << 40) : nil
            if let u, u != 0, u <= t { b.error("'upper_threshold_ms' must be above 'threshold_ms'", key: "upper_threshold_ms") }
            return .latency(thresholdMs: Int64(t), upperThresholdMs: u.flatMap { $0 == 0 ? nil : Int64($0) })
        case "numeric_attribute":
            guard let b = need("key, min_value and max_value") else { return nil }
            let lo = b.int("min_value", default: Int.min), hi = b.int("max_value", default: Int.max)
            if lo > hi { b.error("'min_value' is above 'max_value'", key: "min_value") }
            return .numericAttribute(key: requiredKey(b), min: Int64(lo), max: Int64(hi), invert: b.bool("invert_match", default: false))
        case "probabilistic":
            guard let b = need("sampling_percentage") else { return nil }
            let salt = b.string("hash_salt", default: "default-hash-seed")
            return .probabilistic(percentage: b.double("sampling_percentage", default: 0, min: 0), salt: salt.isEmpty ? "default-hash-seed" : salt)
        case "status_code":
            guard let b = need("status_codes") else { return nil }
            var codes: [StatusCode] = []
            for c in b.stringList("status_codes") {
                switch c.uppercased() {
                case "OK": codes.append(.ok)
                case "ERROR": codes.append(.error)
                case "UNSET": codes.append(.unset)
                default: b.error("unknown status code \"\(c)\" (OK, ERROR or UNSET)", key: "status_codes")
                }
            }
            if codes.isEmpty { b.error("'status_codes' must list at least one code", key: "status_codes") }
            return .statusCode(codes)
        case "string_attribute":
            guard let b = need("key and values") else { return nil }
            let values = b.stringList("values")
            if values.isEmpty { b.error("'values' must list at least one value", key: "values") }
            let regex = b.bool("enabled_regex_matching", default: false)
            for v in values where regex {
                do { _ = try RE2Regex(v) } catch { b.error("'values': \"\(v)\" is not a valid regular expression: \(error.message)", key: "values") }
            }
            _ = b.int("cache_max_size", default: 0, min: 0)
            return .stringAttribute(key: requiredKey(b), values: values, regex: regex, invert: b.bool("invert_match", default: false))
        case "boolean_attribute":
            guard let b = need("key and value") else { return nil }
            if !b.has("value") { b.error("'value' is required") }
            return .booleanAttribute(key: requiredKey(b), value: b.bool("value", default: true), invert: b.bool("invert_match", default: false))
        case "rate_limiting":
            guard let b = need("spans_per_second") else { return nil }
            return .rateLimiting(spansPerSecond: b.int("spans_per_second", default: 0, min: 1, max: 1 << 40))
        case "span_count":
            guard let b = need("min_spans") else { return nil }
            let lo = b.int("min_spans", default: 0, min: 0)
            let hi = b.has("max_spans") ? b.int("max_spans", default: 0, min: 0) : nil
            if let hi, hi != 0, hi < lo { b.error("'max_spans' is below 'min_spans'", key: "max_spans") }
            return .spanCount(min: lo, max: hi.flatMap { $0 == 0 ? nil : $0 })
        case "trace_state":
            guard let b = need("key and values") else { return nil }
            return .traceState(key: requiredKey(b), values: b.stringList("values"))
        case "and":
            guard let b = need("and_sub_policy") else { return nil }
            return .and(read(b.sectionList("and_sub_policy"), context: "and_sub_policy"))
        case "drop":
            guard let b = need("drop_sub_policy") else { return nil }
            return .drop(read(b.sectionList("drop_sub_policy"), context: "drop_sub_policy"))
        case "composite":
            guard let b = need("max_total_spans_per_second, policy_order and composite_sub_policy") else { return nil }
            let total = b.int("max_total_spans_per_second", default: 0, min: 1, max: 1 << 40)
            let subs = read(b.sectionList("composite_sub_policy"), context: "composite_sub_policy")
            let order = b.stringList("policy_order")
            for name in order where !subs.contains(where: { $0.name == name }) {
                b.error("'policy_order' names \"\(name)\", which is not a composite_sub_policy", key: "policy_order")
            }
            var allocation: [String: Double] = [:]
            for a in b.sectionList("rate_allocation") {
                let name = a.string("policy")
                if !subs.contains(where: { $0.name == name }) {
                    a.error("'policy' names \"\(name)\", which is not a composite_sub_policy", key: "policy")
                }
                allocation[name] = a.double("percent", default: 0, min: 0, max: 100)
                a.finish()
            }
            if allocation.values.reduce(0, +) > 100 { b.error("the rate_allocation percentages add up to more than 100", key: "rate_allocation") }
            return .composite(maxTotalSpansPerSecond: total, order: order, policies: subs, allocation: allocation)
        default:
            return nil
        }
    }

    private static func requiredKey(_ b: ConfigReader) -> String {
        let key = b.string("key")
        if key.isEmpty { b.error("'key' is required") }
        return key
    }
}
