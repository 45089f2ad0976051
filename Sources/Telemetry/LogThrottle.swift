import Synchronization

/// Lets one log line of a kind through per interval and counts the ones held back, so an outage
/// that fails every export every few milliseconds logs a steady trickle instead of a flood.
public final class LogThrottle: Sendable {
    private struct State {
        var lastLogged: ContinuousClock.Instant?
        var suppressed = 0
    }

    private let interval: Duration
    private let state = Mutex(State())

    public init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    /// Whether to log now, and how many similar lines were held back since the last one logged.
    public func admit(now: ContinuousClock.Instant = .now) -> (log: Bool, suppressed: Int) {
        state.withLock { s in
            if let last = s.lastLogged, now - last < interval {
                s.suppressed += 1
                return (false, 0)
            }
            defer { s.suppressed = 0 }
            s.lastLogged = now
            return (true, s.suppressed)
        }
    }
}
