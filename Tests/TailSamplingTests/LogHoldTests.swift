import OTelModel
import Testing
@testable import TailSampling

@Suite struct LogHoldTests {
    let s = Make.second

    func logs(_ records: [(TraceID, String)]) -> LogsData {
        let list = records.map { id, text in
            var r = LogRecord()
            r.traceID = id
            r.body = .string(ByteString(text))
            return r
        }
        return LogsData(resourceLogs: [ResourceLogs(resource: Resource(attributes: [KeyValue("service.name", "svc")]), scopeLogs: [ScopeLogs(logRecords: list)])])
    }

    func bodies(_ out: LogHold.Outcome) -> [String] {
        out.forward.flatMap { $0.scopeLogs.flatMap { $0.logRecords.map { $0.body.stringValue?.string ?? "" } } }
    }

    @Test func recordsFollowTheirTraceAndUntracedOnesPass() throws {
        let sampler = try Make.sampler([PolicyConfig(name: "errors", .statusCode([.error]))])
        let hold = LogHold(LogHold.Settings(wait: 5 * s))
        let state = { (id: TraceID) -> TraceState in
            if sampler.isPending(id) { return .pending }
            switch sampler.decision(for: id) { case true?: return .kept; case false?: return .dropped; case nil: return .unknown }
        }
        let keep = Make.id(1), drop = Make.id(2)
        _ = sampler.add(Make.payload(service: "a", [Make.span(keep, 0, status: .error), Make.span(drop, 0)]), now: 0)
        let first = hold.add(logs([(keep, "k1"), (.zero, "plain"), (drop, "d1"), (keep, "k2")]), now: 1 * s, state: state)
        #expect(bodies(first) == ["plain"])
        #expect(first.untraced == 1 && hold.records == 3)

        let decided = sampler.decideDue(now: 5 * s)
        let released = hold.apply(decided.decided)
        #expect(bodies(released) == ["k1", "k2"])
        #expect(released.kept == 2 && released.dropped == 1 && hold.records == 0 && hold.bytes == 0)

        // After the decision, records pass or go at once.
        let late = hold.add(logs([(keep, "k3"), (drop, "d2")]), now: 6 * s, state: state)
        #expect(bodies(late) == ["k3"])
        #expect(late.kept == 1 && late.dropped == 1)
    }

    @Test func recordsArrivingBeforeTheirSpansWaitForTheDecision() throws {
        let sampler = try Make.sampler([PolicyConfig(name: "all", .alwaysSample)])
        let hold = LogHold(LogHold.Settings(wait: 5 * s))
        let state = { (id: TraceID) -> TraceState in
            sampler.isPending(id) ? .pending : sampler.decision(for: id).map { $0 ? .kept : .dropped } ?? .unknown
        }
        let t = Make.id(1)
        _ = hold.add(logs([(t, "early")]), now: 0, state: state)
        _ = sampler.add(Make.payload(service: "a", [Make.span(t, 0)]), now: 3 * s)
        // The records' own wait ends first, but the trace is pending: they stay.
        #expect(hold.releaseDue(now: 5 * s, state: state).forward.isEmpty)
        #expect(hold.records == 1)
        #expect(bodies(hold.apply(sampler.decideDue(now: 8 * s).decided)) == ["early"])
    }

    @Test(arguments: [true, false])
    func recordsOfATraceNeverSeenFollowTheSetting(_ keepUnknown: Bool) {
        let hold = LogHold(LogHold.Settings(wait: 5 * s, keepUnknown: keepUnknown))
        _ = hold.add(logs([(Make.id(9), "orphan")]), now: 0, state: { _ in .unknown })
        #expect(hold.releaseDue(now: 5 * s - 1, state: { _ in .unknown }).forward.isEmpty)
        let out = hold.releaseDue(now: 5 * s, state: { _ in .unknown })
        #expect(bodies(out) == (keepUnknown ? ["orphan"] : []))
        #expect(out.unknownKept == (keepUnknown ? 1 : 0) && out.unknownDropped == (keepUnknown ? 0 : 1))
        #expect(hold.records == 0)
    }

    @Test func aFullBudgetReleasesTheOldestEarlyWithoutLosingThem() {
        let hold = LogHold(LogHold.Settings(wait: 5 * s, maxBytes: 4000))
        var released: [String] = []
        var early = 0
        for n in 0..<40 {
            let out = hold.add(logs([(Make.id(n), "r\(n)")]), now: 0, state: { _ in .pending })
            released += bodies(out)
            early += out.early
            #expect(hold.bytes <= 4000)
        }
        #expect(early == released.count && early > 0)
        #expect(released == (0..<early).map { "r\($0)" })
        released += bodies(hold.releaseAll(state: { _ in .pending }))
        #expect(released.count == 40)
    }
}
