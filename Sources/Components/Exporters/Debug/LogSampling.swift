import Synchronization

/// Which requests the `debug` exporter logs: in each second, the first `initial`, then every
/// `thereafter`-th (none more when it is 0), as the Collector's debug exporter samples its output.
final class LogSampling<C: Clock>: Sendable where C.Duration == Duration {
    let initial: Int
    let thereafter: Int
    let clock: C
    private let window = Mutex<(start: C.Instant?, seen: Int)>((nil, 0))

    init(initial: Int, thereafter: Int, clock: C) {
        self.initial = initial
        self.thereafter = thereafter
        self.clock = clock
    }

    /// Counts one request; true when it is to be logged.
    func admit() -> Bool {
        let now = clock.now
        let n = window.withLock { w in
            if let start = w.start, start.duration(to: now) < .seconds(1) {
                w.seen += 1
            } else {
                w = (now, 1)
            }
            return w.seen
        }
        if n <= initial { return true }
        return thereafter > 0 && (n - initial) % thereafter == 0
    }
}
