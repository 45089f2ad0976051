/// `composite`: sub-policies tried in `policy_order`; the first that votes to sample decides, and
/// the trace is kept only if its spans fit both that policy's share of the per-second budget and
/// the total. A policy without a `rate_allocation` entry may use the whole total.
/// (collector-contrib tail sampling README, composite policy)
final class CompositeBudget {
    private let total: RateWindow
    private let ordered: [(policy: PolicyEvaluator, window: RateWindow)]

    init(name: String, total: Int, order: [String], policies: [PolicyConfig], allocation: [String: Double]) throws(PolicyError) {
        guard total > 0 else { throw PolicyError(policy: name, reason: "max_total_spans_per_second must be positive") }
        self.total = RateWindow(limit: total)
        var byName: [String: PolicyConfig] = [:]
        for p in policies {
            guard byName[p.name] == nil else { throw PolicyError(policy: name, reason: "sub-policy \"\(p.name)\" is defined twice") }
            byName[p.name] = p
        }
        let names = order.isEmpty ? policies.map(\.name) : order
        let shares = allocation.values.reduce(0, +)
        guard shares <= 100 else { throw PolicyError(policy: name, reason: "rate_allocation adds up to \(shares)%, more than 100%") }
        for key in allocation.keys where !names.contains(key) {
            throw PolicyError(policy: name, reason: "rate_allocation names \"\(key)\", which is not in policy_order")
        }
        var ordered: [(PolicyEvaluator, RateWindow)] = []
        for n in names {
            guard let config = byName[n] else { throw PolicyError(policy: name, reason: "policy_order names \"\(n)\", which is not a sub-policy") }
            let limit = allocation[n].map { Int(Double(total) * $0 / 100) } ?? total
            ordered.append((try PolicyEvaluator(config), RateWindow(limit: limit)))
        }
        self.ordered = ordered
    }

    func evaluate(_ trace: TraceView, now: UInt64) -> Vote {
        let spans = trace.spanCount
        for (policy, window) in ordered {
            let vote = policy.evaluate(trace, now: now)
            guard vote == .sampled || vote == .invertSampled else { continue }
            guard window.fits(spans, now: now), total.fits(spans, now: now) else { return .notSampled }
            window.commit(spans)
            total.commit(spans)
            return .sampled
        }
        return .notSampled
    }
}
