import OTelModel
import PipelineCore
import Queueing
import Runtime
import Synchronization
import Testing

/// Re-pointing a consumer while calls are in flight: calls finish where they started, `replace`
/// waits for them, and later calls go to the new target.
@Suite struct SwitchableConsumerTests {
    /// Counts payloads; when gated, calls wait until ``open()``.
    final class Target: Consumer, Sendable {
        typealias Data = TracesData
        let taken = Mutex(0)
        let entered = AsyncStream<Void>.makeStream()
        let gate = Mutex((open: false, waiting: [CheckedContinuation<Void, Never>]()))
        let gated: Bool

        init(gated: Bool = false) { self.gated = gated }

        func consume(_ data: TracesData) async throws {
            entered.continuation.yield()
            if gated {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let go = gate.withLock { g in
                        if g.open { return true }
                        g.waiting.append(c)
                        return false
                    }
                    if go { c.resume() }
                }
            }
            taken.withLock { $0 += 1 }
        }

        func open() {
            let waiting = gate.withLock { g in
                g.open = true
                defer { g.waiting = [] }
                return g.waiting
            }
            for c in waiting { c.resume() }
        }
    }

    @Test func replaceWaitsForCallsOnTheOldTargetAndNewCallsGoToTheNewOne() async throws {
        let old = Target(gated: true), new = Target()
        let switchable = SwitchableConsumer<TracesData>(old)
        let calls = (0..<3).map { _ in Task { try await switchable.consume(TracesData()) } }
        var entered = old.entered.stream.makeAsyncIterator()
        for _ in 0..<3 { _ = await entered.next() }

        // How many of the old target's calls had finished when `replace` returned.
        let replacing = Task {
            await switchable.replace(with: new)
            return old.taken.withLock { $0 }
        }
        // Once the target is switched, new calls reach the new one while the old calls are held.
        while (switchable.target as? Target) !== new { await Task.yield() }
        try await switchable.consume(TracesData())
        #expect(new.taken.withLock { $0 } == 1)
        #expect(old.taken.withLock { $0 } == 0)

        old.open()
        for c in calls { try await c.value }
        #expect(await replacing.value == 3, "replace returned with calls still in the old target")
        #expect(old.taken.withLock { $0 } == 3)
    }

    @Test func replaceWithNothingInFlightReturnsTheOldTarget() async throws {
        let first = Target(), second = Target()
        let switchable = SwitchableConsumer<TracesData>(first)
        try await switchable.consume(TracesData())
        let previous = await switchable.replace(with: second)
        #expect(previous as? Target === first)
        try await switchable.consume(TracesData())
        #expect(first.taken.withLock { $0 } == 1 && second.taken.withLock { $0 } == 1)
        #expect(switchable.target as? Target === second)
    }
}
