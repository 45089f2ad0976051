import Foundation
import OTelModel
import RE2

/// A configured policy ready to vote. Evaluators of `rate_limiting` and `composite` keep per-second
/// counters, so an evaluator belongs to one sampler and is used under its lock.
final class PolicyEvaluator {
    let name: String
    private let rule: Rule

    private enum Rule {
        case always
        /// Milliseconds, compared with the trace's duration in whole milliseconds.
        case latency(low: UInt64, high: UInt64?)
        case numeric(key: ByteString, min: Int64, max: Int64, invert: Bool)
        case probabilistic(threshold: UInt64?, salt: [UInt8])
        case status(UInt8)
        case string(key: ByteString, values: Set<ByteString>, patterns: [RE2Regex], invert: Bool)
        case boolean(key: ByteString, value: Bool, invert: Bool)
        case rate(RateWindow)
        case spanCount(min: Int, max: Int?)
        case traceState(key: String, values: Set<String>)
        case traceFlags
        case and([PolicyEvaluator])
        case drop([PolicyEvaluator])
        case composite(CompositeBudget)
    }

    /// Builds the evaluator; throws a reason for a bad regular expression or composite setup.
    init(_ config: PolicyConfig) throws(PolicyError) {
        name = config.name
        switch config.kind {
        case .alwaysSample:
            rule = .always
        case .latency(let t, let u):
            rule = .latency(low: UInt64(max(0, t)), high: u.map { UInt64(max(0, $0)) })
        case .numericAttribute(let key, let lo, let hi, let invert):
            rule = .numeric(key: ByteString(key), min: lo, max: hi, invert: invert)
        case .probabilistic(let percentage, let salt):
            rule = .probabilistic(threshold: Self.threshold(percentage), salt: Array(salt.utf8))
        case .statusCode(let codes):
            var mask: UInt8 = 0
            for code in codes where (0..<8).contains(code.rawValue) { mask |= 1 << UInt8(code.rawValue) }
            rule = .status(mask)
        case .stringAttribute(let key, let values, let regex, let invert):
            var patterns: [RE2Regex] = []
            if regex {
                for v in values {
                    do { patterns.append(try RE2Regex(v)) } catch {
                        throw PolicyError(policy: config.name, reason: "invalid regular expression \"\(v)\": \(error.message)")
                    }
                }
            }
            rule = .string(key: ByteString(key), values: regex ? [] : Set(values.map { ByteString($0) }), patterns: patterns, invert: invert)
        case .booleanAttribute(let key, let value, let invert):
            rule = .boolean(key: ByteString(key), value: value, invert: invert)
        case .rateLimiting(let rate):
            rule = .rate(RateWindow(limit: rate))
        case .spanCount(let lo, let hi):
            rule = .spanCount(min: lo, max: hi)
        case .traceState(let key, let values):
            rule = .traceState(key: key, values: Set(values))
        case .traceFlags:
            rule = .traceFlags
        case .and(let subs):
            rule = .and(try subs.map { (c) throws(PolicyError) in try PolicyEvaluator(c) })
        case .drop(let subs):
            rule = .drop(try subs.map { (c) throws(PolicyError) in try PolicyEvaluator(c) })
        case .composite(let total, let order, let subs, let allocation):
            rule = .composite(try CompositeBudget(name: config.name, total: total, order: order, policies: subs, allocation: allocation))
        }
    }

    /// The hash threshold for a percentage: nil samples everything.
    static func threshold(_ percentage: Double) -> UInt64? {
        if percentage >= 100 { return nil }
        if percentage <= 0 { return 0 }
        return UInt64(percentage / 100 * 18_446_744_073_709_551_616.0)
    }

    /// FNV-1a 64 over the salt then the 16 trace id bytes.
    static func hash(_ id: TraceID, salt: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        for b in salt { mix(b) }
        for shift in stride(from: 56, through: 0, by: -8) { mix(UInt8(truncatingIfNeeded: id.high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { mix(UInt8(truncatingIfNeeded: id.low >> UInt64(shift))) }
        return h
    }

    /// The vote on `trace` at `now` (ns; used by per-second budgets).
    func evaluate(_ trace: TraceView, now: UInt64) -> Vote {
        switch rule {
        case .always:
            return .sampled
        case .latency(let low, let high):
            let d = trace.duration / 1_000_000
            if let high { return d > low && d <= high ? .sampled : .notSampled }
            return d >= low ? .sampled : .notSampled
        case .numeric(let key, let lo, let hi, let invert):
            // Int values only, as in the Collector.
            let hit = trace.anyAttribute(key) { v in
                guard case .int(let n) = v else { return false }
                return n >= lo && n <= hi
            }
            return Self.vote(hit, invert: invert)
        case .probabilistic(let threshold, let salt):
            guard let threshold else { return .sampled }
            return Self.hash(trace.id, salt: salt) <= threshold ? .sampled : .notSampled
        case .status(let codes):
            return trace.statusCodes & codes != 0 ? .sampled : .notSampled
        case .string(let key, let values, let patterns, let invert):
            let hit = trace.anyAttribute(key) { v in
                guard case .string(let s) = v else { return false }
                if patterns.isEmpty { return values.contains(s) }
                let text = s.string
                return patterns.contains { $0.matches(text) }
            }
            return Self.vote(hit, invert: invert)
        case .boolean(let key, let value, let invert):
            return Self.vote(trace.anyAttribute(key) { $0 == .bool(value) }, invert: invert)
        case .rate(let window):
            return window.take(trace.spanCount, now: now) ? .sampled : .notSampled
        case .spanCount(let lo, let hi):
            return trace.spanCount >= lo && (hi.map { trace.spanCount <= $0 } ?? true) ? .sampled : .notSampled
        case .traceState(let key, let values):
            let hit = trace.anySpan { span, _ in
                guard !span.traceState.isEmpty else { return false }
                return Self.traceStateValue(span.traceState.string, key: key).map(values.contains) ?? false
            }
            return hit ? .sampled : .notSampled
        case .traceFlags:
            return trace.sampledFlag ? .sampled : .notSampled
        case .and(let subs):
            for sub in subs {
                let v = sub.evaluate(trace, now: now)
                if v != .sampled && v != .invertSampled { return .notSampled }
            }
            return .sampled
        case .drop(let subs):
            for sub in subs {
                let v = sub.evaluate(trace, now: now)
                if v != .sampled && v != .invertSampled { return .notSampled }
            }
            return .dropped
        case .composite(let budget):
            return budget.evaluate(trace, now: now)
        }
    }

    /// A plain vote, or with `invert_match` the deprecated inverted votes: a match then means "do
    /// not keep" (overriding plain sample votes) and no match "keep".
    static func vote(_ hit: Bool, invert: Bool) -> Vote {
        if invert { return hit ? .invertNotSampled : .invertSampled }
        return hit ? .sampled : .notSampled
    }

    /// The value of `key` in a W3C `tracestate` (`k1=v1,k2=v2`).
    static func traceStateValue(_ state: String, key: String) -> String? {
        for member in state.split(separator: ",") {
            let pair = member.trimmingCharacters(in: .whitespaces)
            guard let eq = pair.firstIndex(of: "=") else { continue }
            if pair[..<eq] == key { return String(pair[pair.index(after: eq)...]) }
        }
        return nil
    }
}

/// A configuration problem found while building policies.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var policy: String
    public var reason: String
    public var description: String { "policy \"\(policy)\": \(reason)" }
}

/// Spans let through per wall-clock second, up to a limit.
final class RateWindow {
    let limit: Int
    private var second: UInt64 = .max
    private var used = 0

    init(limit: Int) { self.limit = limit }

    /// Takes `spans` from this second's budget if they fit.
    func take(_ spans: Int, now: UInt64) -> Bool {
        guard fits(spans, now: now) else { return false }
        used += spans
        return true
    }

    /// Whether `spans` fit in this second's budget (starting a new second when one began).
    func fits(_ spans: Int, now: UInt64) -> Bool {
        let s = now / 1_000_000_000
        if s != second {
            second = s
            used = 0
        }
        return used + spans <= limit
    }

    /// Counts `spans` that were let through after ``fits(_:now:)``.
    func commit(_ spans: Int) { used += spans }
}
