import OTelModel
import Testing
@testable import TailSampling

@Suite struct TailSamplerTests {
    let s = Make.second

    @Test func aTraceWithOneErrorSpanIsKeptWholeAcrossRequestsAndResources() throws {
        let sampler = try Make.sampler([PolicyConfig(name: "errors", .statusCode([.error]))])
        let t = Make.id(1), other = Make.id(2)
        var out = sampler.add(Make.payload(service: "order", [Make.span(t, 0), Make.span(other, 0)]), now: 0)
        out = sampler.add(Make.payload(service: "payment", scope: "pay", [Make.span(t, 1, status: .error)]), now: 1 * s)
        out = sampler.add(Make.payload(service: "order", [Make.span(t, 2)]), now: 2 * s)
        #expect(out.forward.isEmpty)
        #expect(sampler.decideDue(now: 5 * s - 1).decided.isEmpty)

        let decided = sampler.decideDue(now: 5 * s)
        #expect(decided.keptTraces == 1 && decided.keptSpans == 3)
        #expect(decided.droppedTraces == 1 && decided.droppedSpans == 1)
        #expect(decided.forwardedTraces == [t])
        // Each part keeps its resource and scope.
        let services = decided.forward.map { $0.resource?.attributes[key: "service.name"] }
        #expect(services == [.string("order"), .string("payment"), .string("order")])
        #expect(decided.forward[1].scopeSpans[0].scope?.name == "pay")
        #expect(decided.policies["errors"] == TailSampler.Tally(sampledTraces: 1, sampledSpans: 3, notSampledTraces: 1, notSampledSpans: 1))
        #expect(decided.decisionLatencies == [5 * s, 5 * s])
        #expect(sampler.pendingTraces == 0 && sampler.bytes == 0)
    }

    @Test func keptTracesOfOnePayloadShareItsResourcesOnTheWayOut() throws {
        let sampler = try Make.sampler([PolicyConfig(name: "errors", .statusCode([.error]))])
        let a = Make.id(1), b = Make.id(2), c = Make.id(3)
        let spans = [Make.span(a, 0), Make.span(b, 0), Make.span(c, 0), Make.span(a, 1, status: .error), Make.span(b, 1), Make.span(c, 1, status: .error)]
        _ = sampler.add(Make.payload(service: "shop", spans), now: 0)
        let out = sampler.decideDue(now: 5 * s)
        #expect(out.forward.count == 1 && out.forward[0].scopeSpans.count == 1)
        let ids = out.forward[0].scopeSpans[0].spans.map { "\($0.traceID == a ? "a" : $0.traceID == c ? "c" : "?")\($0.spanID.value - 1)" }
        #expect(ids == ["a0", "c0", "a1", "c1"])
    }

    @Test func lateSpansFollowTheDecision() throws {
        let sampler = try Make.sampler([PolicyConfig(name: "errors", .statusCode([.error]))])
        let keep = Make.id(1), drop = Make.id(2)
        _ = sampler.add(Make.payload(service: "a", [Make.span(keep, 0, status: .error), Make.span(drop, 0)]), now: 0)
        _ = sampler.decideDue(now: 5 * s)
        // A late error span does not turn a dropped trace into a kept one.
        let late = sampler.add(Make.payload(service: "a", [Make.span(keep, 1), Make.span(drop, 1, status: .error)]), now: 6 * s)
        #expect(late.forwardedTraces == [keep])
        #expect(late.lateKeptSpans == 1 && late.lateDroppedSpans == 1)
        #expect(sampler.pendingTraces == 0)
    }

    @Test func latencyThresholds() throws {
        let sampler = try Make.sampler([
            PolicyConfig(name: "slow", .latency(thresholdMs: 500, upperThresholdMs: nil)),
            PolicyConfig(name: "band", .latency(thresholdMs: 100, upperThresholdMs: 200)),
        ])
        // One trace: two fast spans far apart in time make it slow.
        let slow = Make.id(1), fast = Make.id(2), band = Make.id(3), edge = Make.id(4)
        _ = sampler.add(Make.payload(service: "a", [
            Make.span(slow, 0, start: 1000 * s, ms: 5), Make.span(slow, 1, start: 1000 * s + 600_000_000, ms: 5),
            Make.span(fast, 0, ms: 50), Make.span(band, 0, ms: 150), Make.span(edge, 0, ms: 100),
        ]), now: 0)
        let out = sampler.decideDue(now: 5 * s)
        #expect(out.forwardedTraces == [slow, band])
    }

    @Test func probabilisticKeepsItsShareAndAgreesAcrossInstances() throws {
        let config = [PolicyConfig(name: "p", .probabilistic(percentage: 10, salt: "default-hash-seed"))]
        let a = try Make.sampler(numTraces: 100_000, config), b = try Make.sampler(numTraces: 100_000, config)
        var spans: [Span] = []
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { spans.append(Make.span(TraceID(high: rng.next(), low: rng.next()), 0)) }
        _ = a.add(Make.payload(service: "x", spans), now: 0)
        _ = b.add(Make.payload(service: "x", spans), now: 0)
        let keptA = a.decideDue(now: 5 * s).forwardedTraces, keptB = b.decideDue(now: 5 * s).forwardedTraces
        #expect(keptA == keptB)
        // Binomial(20000, 0.1): mean 2000, standard deviation 42; five of them either way.
        #expect(abs(keptA.count - 2000) < 212, "kept \(keptA.count)")
    }

    @Test func probabilisticHashIsFNV1aOfSaltAndTraceID() {
        // Reference values from a direct FNV-1a 64 computation in Python.
        #expect(PolicyEvaluator.hash(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!, salt: Array("default-hash-seed".utf8)) == 0xa545_33ba_2e49_70b5)
        #expect(PolicyEvaluator.threshold(100) == nil)
        #expect(PolicyEvaluator.threshold(0) == 0)
        #expect(PolicyEvaluator.threshold(50) == 1 << 63)
    }

    @Test func rateLimitingHoldsItsRatePerSecond() throws {
        let sampler = try Make.sampler([PolicyConfig(name: "rate", .rateLimiting(spansPerSecond: 100))])
        func traces(_ range: Range<Int>, at now: UInt64) {
            for n in range { _ = sampler.add(Make.payload(service: "a", (0..<10).map { Make.span(Make.id(n), UInt64($0)) }), now: now) }
        }
        traces(0..<50, at: 0)
        traces(50..<100, at: 1 * s)
        let first = sampler.decideDue(now: 5 * s + 500_000_000)
        #expect(first.keptSpans == 100 && first.keptTraces == 10)
        let second = sampler.decideDue(now: 6 * s)
        #expect(second.keptSpans == 100 && second.droppedTraces == 40)
    }

    @Test func compositeSharesTheBudgetInOrder() throws {
        let sampler = try Make.sampler([PolicyConfig(name: "c", .composite(
            maxTotalSpansPerSecond: 100, order: ["errors", "rest"],
            policies: [PolicyConfig(name: "errors", .statusCode([.error])), PolicyConfig(name: "rest", .alwaysSample)],
            allocation: ["errors": 30, "rest": 70]))])
        // 10 error traces and 20 others of 5 spans each, decided in one second.
        for n in 0..<10 { _ = sampler.add(Make.payload(service: "a", (0..<5).map { Make.span(Make.id(n), UInt64($0), status: .error) }), now: 0) }
        for n in 10..<30 { _ = sampler.add(Make.payload(service: "a", (0..<5).map { Make.span(Make.id(n), UInt64($0)) }), now: 0) }
        let out = sampler.decideDue(now: 5 * s)
        let errorsKept = out.forwardedTraces.filter { $0.high < 0x1000 + 10 }.count
        #expect(errorsKept == 6)  // 30 of 100 spans per second
        #expect(out.keptSpans == 100)  // the rest fill the total
    }

    @Test func compositeSharesFollowTheCollectorsRules() throws {
        // No entry: no share. Percent 0: an equal split of the total.
        let sampler = try Make.sampler([PolicyConfig(name: "c", .composite(
            maxTotalSpansPerSecond: 100, order: [],
            policies: [PolicyConfig(name: "unlisted", .statusCode([.error])), PolicyConfig(name: "equal", .alwaysSample)],
            allocation: ["equal": 0]))])
        for n in 0..<30 { _ = sampler.add(Make.payload(service: "a", (0..<5).map { Make.span(Make.id(n), UInt64($0), status: .error) }), now: 0) }
        let out = sampler.decideDue(now: 5 * s)
        // "unlisted" votes first for every trace and has no budget, so nothing is kept.
        #expect(out.keptTraces == 0)
        let equal = try Make.sampler([PolicyConfig(name: "c", .composite(
            maxTotalSpansPerSecond: 100, order: [],
            policies: [PolicyConfig(name: "a", .alwaysSample), PolicyConfig(name: "b", .alwaysSample)],
            allocation: ["a": 0, "b": 0]))])
        for n in 0..<30 { _ = equal.add(Make.payload(service: "a", (0..<5).map { Make.span(Make.id(n), UInt64($0)) }), now: 0) }
        #expect(equal.decideDue(now: 5 * s).keptSpans == 50)  // "a" alone decides, with half the total
    }

    @Test func dropWinsOverEverySampleVote() throws {
        let health = KeyValue("url.path", "/health")
        let sampler = try Make.sampler([
            PolicyConfig(name: "all", .alwaysSample),
            PolicyConfig(name: "errors", .statusCode([.error])),
            PolicyConfig(name: "no-health", .drop([PolicyConfig(name: "h", .stringAttribute(key: "url.path", values: ["/health"], regex: false, invert: false))])),
        ])
        let h = Make.id(1), ok = Make.id(2)
        _ = sampler.add(Make.payload(service: "a", [Make.span(h, 0, status: .error, attributes: [health]), Make.span(ok, 0)]), now: 0)
        #expect(sampler.decideDue(now: 5 * s).forwardedTraces == [ok])
    }

    @Test func attributePolicies() throws {
        let sampler = try Make.sampler([
            PolicyConfig(name: "vip", .stringAttribute(key: "customer", values: ["gold-.*"], regex: true, invert: false)),
            PolicyConfig(name: "big", .numericAttribute(key: "items", min: 10, max: 20, invert: false)),
            PolicyConfig(name: "debug", .booleanAttribute(key: "debug", value: true, invert: false)),
            PolicyConfig(name: "state", .traceState(key: "tenant", values: ["acme"])),
        ])
        let cases: [(Span, Bool)] = [
            (Make.span(Make.id(1), 0, attributes: [KeyValue("customer", "gold-7")]), true),
            (Make.span(Make.id(2), 0, attributes: [KeyValue("customer", "silver")]), false),
            (Make.span(Make.id(3), 0, attributes: [KeyValue(key: "items", value: .int(15))]), true),
            (Make.span(Make.id(4), 0, attributes: [KeyValue(key: "items", value: .int(21))]), false),
            (Make.span(Make.id(5), 0, attributes: [KeyValue(key: "debug", value: .bool(true))]), true),
            (Make.span(Make.id(6), 0, attributes: [KeyValue("debug", "true")]), false),
            (Make.span(Make.id(7), 0, traceState: "rojo=1, tenant=acme"), true),
            (Make.span(Make.id(8), 0, traceState: "tenant=other"), false),
        ]
        _ = sampler.add(Make.payload(service: "a", cases.map(\.0)), now: 0)
        let kept = sampler.decideDue(now: 5 * s).forwardedTraces
        for (span, expected) in cases { #expect(kept.contains(span.traceID) == expected, "\(span.traceID)") }
    }

    @Test func aResourceAttributeCountsForEverySpan() throws {
        let sampler = try Make.sampler([PolicyConfig(name: "svc", .stringAttribute(key: "service.name", values: ["payment"], regex: false, invert: false))])
        _ = sampler.add(Make.payload(service: "payment", [Make.span(Make.id(1), 0)]), now: 0)
        _ = sampler.add(Make.payload(service: "order", [Make.span(Make.id(2), 0)]), now: 0)
        #expect(sampler.decideDue(now: 5 * s).forwardedTraces == [Make.id(1)])
    }

    @Test func spanCountAndInvertedVotes() throws {
        let sampler = try Make.sampler([
            PolicyConfig(name: "count", .spanCount(min: 3, max: 4)),
            PolicyConfig(name: "not-internal", .stringAttribute(key: "internal", values: ["yes"], regex: false, invert: true)),
        ])
        // Three spans: "count" samples; the inverted policy on a match says not to keep.
        _ = sampler.add(Make.payload(service: "a", (0..<3).map { Make.span(Make.id(1), $0, attributes: [KeyValue("internal", "yes")]) }), now: 0)
        // One span: "count" votes not sampled, which blocks the inverted "sampled".
        _ = sampler.add(Make.payload(service: "a", [Make.span(Make.id(2), 0)]), now: 0)
        // Three spans without the attribute: kept.
        _ = sampler.add(Make.payload(service: "a", (0..<3).map { Make.span(Make.id(3), $0) }), now: 0)
        #expect(sampler.decideDue(now: 5 * s).forwardedTraces == [Make.id(3)])
    }

    @Test func traceIndexKeepsCollidingIDsApart() {
        // A hundred ids in 256 slots: probe runs form and wrap around; each id keeps its position.
        var index = TraceIndex(capacity: 100)
        for n in 0..<100 { #expect(index.position(of: TraceID(high: UInt64(n), low: UInt64(n)), next: n) == n) }
        for n in 0..<100 { #expect(index.position(of: TraceID(high: UInt64(n), low: UInt64(n)), next: 1000) == n) }
        #expect(index.position(of: TraceID(high: 1, low: 2), next: 100) == 100)
    }

    @Test func votesCombine() {
        #expect(Vote.combine([.sampled, .notSampled]))
        #expect(!Vote.combine([.sampled, .dropped]))
        #expect(!Vote.combine([.sampled, .invertNotSampled]))
        #expect(Vote.combine([.invertSampled]))
        #expect(!Vote.combine([.invertSampled, .notSampled]))
        #expect(Vote.combine([.invertSampled, .notSampled, .sampled]))
        #expect(!Vote.combine([]))
    }

    @Test func fullBufferDecidesTheOldestEarlyAndLosesNothing() throws {
        let sampler = try Make.sampler(numTraces: 10, [PolicyConfig(name: "all", .alwaysSample)])
        var forwarded: Set<TraceID> = []
        var early = 0
        for n in 0..<25 {
            let out = sampler.add(Make.payload(service: "a", [Make.span(Make.id(n), 0)]), now: UInt64(n))
            forwarded.formUnion(out.forwardedTraces)
            early += out.early["num_traces", default: 0]
        }
        #expect(early == 15 && sampler.pendingTraces == 10)
        #expect(forwarded == Set((0..<15).map(Make.id)))
        forwarded.formUnion(sampler.decideAll(now: 100).forwardedTraces)
        #expect(forwarded.count == 25)
    }

    @Test func aMillionTracesThroughASmallBufferStayBoundedAndAreAllDecided() throws {
        let sampler = try Make.sampler(numTraces: 1000, maxBytes: 4 << 20, [PolicyConfig(name: "p", .probabilistic(percentage: 10, salt: "s"))])
        var early = 0, decided = 0, maxPending = 0, maxBytes = 0
        var n = 0
        while n < 1_000_000 {
            let spans = (n..<n + 1000).map { Make.span(TraceID(high: 1, low: UInt64($0)), 0) }
            let out = sampler.add(Make.payload(service: "a", spans), now: UInt64(n))
            early += out.early.values.reduce(0, +)
            decided += out.keptTraces + out.droppedTraces
            maxPending = max(maxPending, sampler.pendingTraces)
            maxBytes = max(maxBytes, sampler.bytes)
            n += 1000
        }
        #expect(maxPending <= 1000 && maxBytes <= 4 << 20)
        #expect(early == decided && decided == 1_000_000 - sampler.pendingTraces)
        decided += sampler.decideAll(now: UInt64(n)).decided.count
        #expect(decided == 1_000_000)
    }

    @Test func theBudgetCountsWholePayloadsWhileAnyOfTheirTracesWaits() throws {
        // Each payload brings one new trace and many late spans of a decided one: the payload stays
        // in memory for the new trace, so the budget must count all of it.
        let sampler = try Make.sampler(maxBytes: 200_000, [PolicyConfig(name: "all", .alwaysSample)])
        let old = Make.id(0)
        _ = sampler.add(Make.payload(service: "a", [Make.span(old, 0)]), now: 0)
        _ = sampler.decideDue(now: 5 * s)
        var early = 0
        for n in 1...20 {
            let spans = [Make.span(Make.id(n), 0)] + (1...200).map { Make.span(old, UInt64($0)) }
            let out = sampler.add(Make.payload(service: "a", spans), now: 5 * s)
            early += out.early["memory", default: 0]
            #expect(out.lateKeptSpans == 200)
        }
        #expect(early > 0, "whole payloads are counted, not only the waiting spans")
        #expect(sampler.bytes <= 200_000)
        _ = sampler.decideAll(now: 6 * s)
        #expect(sampler.bytes == 0)
    }

    /// A payload still backed by its request is sized as the request plus the structures decoded
    /// beside it; the same payload built in memory, span by span. Both must count the strings.
    @Test func aRequestBackedPayloadIsSizedByItsRequest() throws {
        let big = KeyValue("payload", String(repeating: "x", count: 1000))
        let spans = (0..<20).map { Make.span(Make.id($0 % 4), UInt64($0), attributes: [big]) }
        let built = Make.payload(service: "a", spans)
        let request = built.encodedProtobufBytes()
        let decoded = try TracesData(protobuf: request)
        #expect(decoded.source.storage != nil)

        let fromRequest = try Make.sampler([PolicyConfig(name: "all", .alwaysSample)])
        _ = fromRequest.add(decoded, now: 0)
        let fromSpans = try Make.sampler([PolicyConfig(name: "all", .alwaysSample)])
        _ = fromSpans.add(built, now: 0)
        #expect(fromRequest.bytes >= request.count + 20 * MemoryLayout<Span>.stride)
        #expect(fromSpans.bytes >= 20 * (1000 + MemoryLayout<Span>.stride))
        // The two estimates of one payload agree within the request's ids and framing.
        #expect(abs(fromRequest.bytes - fromSpans.bytes) < request.count / 4)
        _ = fromRequest.decideAll(now: 0)
        #expect(fromRequest.bytes == 0)
    }

    @Test func byteBudgetDecidesEarly() throws {
        let sampler = try Make.sampler(maxBytes: 20_000, [PolicyConfig(name: "all", .alwaysSample)])
        var early = 0
        for n in 0..<100 {
            let big = KeyValue("payload", String(repeating: "x", count: 1000))
            early += sampler.add(Make.payload(service: "a", [Make.span(Make.id(n), 0, attributes: [big])]), now: 0).early["memory", default: 0]
            #expect(sampler.bytes <= 20_000)
        }
        #expect(early > 50)
        #expect(early + sampler.pendingTraces == 100)
    }

    @Test func badPoliciesAreRejected() {
        #expect(throws: PolicyError.self) { try Make.sampler([PolicyConfig(name: "r", .stringAttribute(key: "k", values: ["("], regex: true, invert: false))]) }
        #expect(throws: PolicyError.self) {
            try Make.sampler([PolicyConfig(name: "c", .composite(maxTotalSpansPerSecond: 10, order: ["x"], policies: [], allocation: [:]))])
        }
        #expect(throws: PolicyError.self) {
            try Make.sampler([PolicyConfig(name: "c", .composite(maxTotalSpansPerSecond: 10, order: ["a"],
                policies: [PolicyConfig(name: "a", .alwaysSample)], allocation: ["a": 120]))])
        }
    }
}
