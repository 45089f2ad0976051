/// `composite`: sub-policies tried in the order they are listed; the first that votes to sample
/// decides, and the trace is kept only if its spans fit both that policy's share of the per-second
/// budget and the total. A policy's share is its `rate_allocation` percentage of the total, an equal
/// split of the total when its percentage is 0, and nothing when it has no entry (as in the
/// Collector). `policy_order` must name the sub-policies but does not change the order.
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
        let shares = allocation.values.reduce(0, +)
        guard shares <= 100 else { throw PolicyError(policy: name, reason: "rate_allocation adds up to \(shares)%, more than 100%") }
        for n in order where byName[n] == nil {
            throw PolicyError(policy: name, reason: "policy_order names \"\(n)\", which is not a sub-policy")
        }
        for key in allocation.keys where byName[key] == nil {
            throw PolicyError(policy: name, reason: "rate_allocation names \"\(key)\", which is not a sub-policy")
        }
        let equalShare = policies.isEmpty ? 0 : total / policies.count
        var ordered: [(PolicyEvaluator, RateWindow)] = []
        for config in policies {
            let limit = allocation[config.name].map { $0 > 0 ? Int(Double(total) * $0 / 100) : equalShare } ?? 0
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
