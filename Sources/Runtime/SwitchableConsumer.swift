import OTelModel
import PipelineCore
import Synchronization

/// A consumer whose target can be replaced while data flows, so a reload can re-point a running
/// receiver at a new pipeline without closing its sockets. A receiver gets one for every signal it
/// supports; one without a target (no pipeline takes that signal from the receiver, for now)
/// reports ``isConnected`` false, and refuses for good.
///
/// A call goes to the target that was current when it started. ``replace(with:)`` returns once every
/// call that started on the old target has finished: after it, the old target can be shut down
/// without refusing anything that was already on its way.
public final class SwitchableConsumer<D: SignalData>: Consumer, ConnectionReporting, Sendable {
    public typealias Data = D

    private struct State {
        var target: (any Consumer<D>)?
        var generation: UInt64 = 0
        /// Calls in progress, by the generation of the target they went to.
        var inFlight: [UInt64: Int] = [:]
        /// Who waits for the calls of a generation to finish.
        var waiters: [UInt64: [CheckedContinuation<Void, Never>]] = [:]
    }

    private let state: Mutex<State>

    public init(_ target: (any Consumer<D>)?) {
        state = Mutex(State(target: target))
    }

    /// The current target.
    public var target: (any Consumer<D>)? { state.withLock { $0.target } }

    public var isConnected: Bool { state.withLock { $0.target != nil } }

    public func consume(_ data: D) async throws {
        let (target, generation) = state.withLock { s in
            s.inFlight[s.generation, default: 0] += 1
            return (s.target, s.generation)
        }
        defer { finished(generation) }
        guard let target else { throw ConsumerError.permanent("no pipeline takes \(D.signal.rawValue) from this receiver") }
        try await target.consume(data)
    }

    /// Makes `new` the target and waits for the calls still in the old one; returns the old one.
    @discardableResult
    public func replace(with new: (any Consumer<D>)?) async -> (any Consumer<D>)? {
        let (old, oldGeneration) = state.withLock { s in
            let previous = (s.target, s.generation)
            s.target = new
            s.generation += 1
            return previous
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { s in
                guard let n = s.inFlight[oldGeneration], n > 0 else { return true }
                s.waiters[oldGeneration, default: []].append(c)
                return false
            }
            if idle { c.resume() }
        }
        return old
    }

    private func finished(_ generation: UInt64) {
        let resume = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            let left = (s.inFlight[generation] ?? 1) - 1
            guard left == 0 else {
                s.inFlight[generation] = left
                return []
            }
            s.inFlight[generation] = nil
            return s.waiters.removeValue(forKey: generation) ?? []
        }
        for c in resume { c.resume() }
    }
}
