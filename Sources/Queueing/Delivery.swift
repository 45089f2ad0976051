import Configuration
import Logging
import OTelModel
import PipelineCore
import Prometheus
import Telemetry

/// Sends one payload through an exporter with the configured retries, and counts the outcome.
///
/// Retryable failures (``ConsumerError/Kind/refused``) are retried with exponential back-off and
/// jitter, waiting at least as long as the server asked; permanent failures and exhausted retries are
/// counted as failed and rethrown. Cancellation (shutdown) stops the wait and rethrows without
/// counting, so the caller decides what happens to the data.
struct Delivery<D: SignalData>: Sendable {
    let id: ComponentID
    let exporter: any Exporter<D>
    let retry: RetrySettings
    let counters: ExporterCounters
    let logger: Logger
    /// Retry warnings of this exporter: one per interval, with the count of those held back.
    let retryLog = LogThrottle()
    /// Waits between attempts; tests pass a manual clock's sleep.
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    var now: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }

    struct Cancelled: Error {}

    func send(_ data: D) async throws {
        try await attempt(items: data.itemCount) { try await exporter.export(data) }
    }

    /// Sends an encoded request (see ``Exporter/export(encoded:)``) holding `items` items.
    func send(encoded request: ByteStorage, items: Int) async throws {
        try await attempt(items: items) { try await exporter.export(encoded: request) }
    }

    private func attempt(items count: Int, _ once: () async throws -> Void) async throws {
        let items = Int64(count)
        let started = now()
        var attempt = 0
        while true {
            attempt += 1
            do {
                counters.inFlight.increment()
                defer { counters.inFlight.decrement() }
                try await once()
                counters.sent.increment(by: items)
                return
            } catch let error as ConsumerError where error.isRetryable && retry.enabled && !Task.isCancelled {
                var delay = retry.backoff(attempt: attempt, random: Double.random(in: 0..<1))
                if let hint = error.retryAfter, hint > delay { delay = hint }
                let elapsed = now() - started
                if retry.maxElapsedTime > .zero && elapsed + delay > retry.maxElapsedTime {
                    counters.sendFailed.increment(by: items)
                    counters.dropped(Int(items), reason: "retries_exhausted")
                    logger.error("giving up after retries", metadata: ["exporter": "\(id)", "items": "\(items)", "attempts": "\(attempt)", "error": "\(error)"])
                    throw error
                }
                counters.retries.increment()
                let (log, suppressed) = retryLog.admit()
                if log {
                    logger.warning("export failed, will retry", metadata: [
                        "exporter": "\(id)", "delay": "\(delay)", "error": "\(error)", "similar_since_last": "\(suppressed)",
                    ])
                } else {
                    logger.debug("export failed, will retry", metadata: ["exporter": "\(id)", "delay": "\(delay)", "error": "\(error)"])
                }
                do {
                    try await sleep(delay)
                } catch {
                    throw Cancelled()
                }
            } catch {
                if Task.isCancelled { throw Cancelled() }
                counters.sendFailed.increment(by: items)
                let consumerError = error as? ConsumerError
                counters.dropped(Int(items), reason: consumerError?.isRetryable == true ? "retries_exhausted" : consumerError?.dropReason ?? "permanent_error")
                logger.error("export failed permanently", metadata: ["exporter": "\(id)", "items": "\(items)", "error": "\(error)"])
                throw error
            }
        }
    }
}
