import Synchronization

/// Lets shutdown wait until a queue has delivered what it holds (or a server has answered the
/// requests in flight), or a deadline passes, without polling: whatever empties it calls
/// ``signal(isEmpty:)`` after each delivery.
public final class DrainWait: Sendable {
    public init() {}

    private let state = Mutex<(waiters: [CheckedContinuation<Void, Never>], abandoned: Bool)>(([], false))

    /// Returns once `isEmpty()` holds (checked now, then at each signal) or `timeout` has passed.
    /// One caller waits at a time.
    public func wait(timeout: Duration, isEmpty: @escaping @Sendable () -> Bool) async {
        state.withLock { $0.abandoned = false }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let done = self.state.withLock { s -> Bool in
                        if s.abandoned || isEmpty() { return true }
                        s.waiters.append(c)
                        return false
                    }
                    if done { c.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            // The deadline won, or the queue emptied: release a waiter still registered.
            let left = state.withLock { s in
                s.abandoned = true
                defer { s.waiters = [] }
                return s.waiters
            }
            for w in left { w.resume() }
        }
    }

    /// Wakes the waiter when the queue is now empty.
    public func signal(isEmpty: Bool) {
        guard isEmpty else { return }
        let woken = state.withLock { s in
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in woken { w.resume() }
    }
}
