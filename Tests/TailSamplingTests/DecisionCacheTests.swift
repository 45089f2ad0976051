import OTelTestSupport
import OTelModel
import Testing
@testable import TailSampling

@Suite struct DecisionCacheTests {
    /// Drives the cache and a plain model (a set and an insertion-ordered array) with the same
    /// random inserts; small id pools make repeats, and small capacities make evictions and the
    /// backward shifts of deletion happen constantly.
    @Test(arguments: [1, 3, 16, 100, 1000])
    func matchesAModelUnderRandomInserts(capacity: Int) {
        var rng = SplitMix64(seed: UInt64(capacity))
        var cache = DecisionCache(capacity: capacity)
        var members: Set<TraceID> = []
        var order: [TraceID] = []
        let pool = UInt64(capacity * 3)
        for _ in 0..<20_000 {
            let id = TraceID(high: rng.next() % 4, low: 1 + rng.next() % pool)
            cache.insert(id)
            if !members.contains(id) {
                members.insert(id)
                order.append(id)
                if order.count > capacity { members.remove(order.removeFirst()) }
            }
            let probe = TraceID(high: rng.next() % 4, low: 1 + rng.next() % pool)
            #expect(cache.contains(probe) == members.contains(probe))
        }
        #expect(cache.count == members.count)
        for id in members { #expect(cache.contains(id)) }
    }

    @Test func forgetsTheOldestFirst() {
        var cache = DecisionCache(capacity: 3)
        for n in 1...5 { cache.insert(TraceID(high: 0, low: UInt64(n))) }
        #expect((1...5).map { cache.contains(TraceID(high: 0, low: UInt64($0))) } == [false, false, true, true, true])
        // A repeat does not refresh or duplicate: 3 is still the oldest.
        cache.insert(TraceID(high: 0, low: 3))
        cache.insert(TraceID(high: 0, low: 6))
        #expect(!cache.contains(TraceID(high: 0, low: 3)))
        #expect(cache.count == 3)
    }

    @Test func zeroCapacityAndTheZeroIDHoldNothing() {
        var none = DecisionCache(capacity: 0)
        none.insert(TraceID(high: 1, low: 1))
        #expect(!none.contains(TraceID(high: 1, low: 1)))
        var some = DecisionCache(capacity: 4)
        some.insert(.zero)
        #expect(!some.contains(.zero))
        #expect(some.count == 0)
    }
}

