@testable import Components
import Synchronization

/// A memory source the test sets: usage, the total for percentage limits, and what a trim frees.
final class FakeMemory: MemorySource {
    struct State {
        var used: UInt64 = 0
        var total: UInt64? = 8 << 30
        /// Usage after the next trims; nil leaves usage as it is.
        var usedAfterTrim: UInt64?
        var trims = 0
    }

    let state = Mutex(State())

    init(usedMiB: UInt64 = 0) { state.withLock { $0.used = usedMiB << 20 } }

    /// Sets usage in MiB.
    func set(usedMiB: UInt64) { state.withLock { $0.used = usedMiB << 20 } }
    var trims: Int { state.withLock { $0.trims } }

    func usedBytes() -> UInt64 { state.withLock { $0.used } }
    func totalBytes() -> UInt64? { state.withLock { $0.total } }
    func releaseFreeMemory() {
        state.withLock { s in
            s.trims += 1
            if let after = s.usedAfterTrim { s.used = after }
        }
    }
}
