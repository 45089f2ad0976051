import Configuration
import Factories
import OTelModel
import PipelineCore
import Prometheus
import Telemetry

/// Refuses data with a retryable error while its ``MemoryLimiter`` says memory is short, and passes
/// it on otherwise. Refused items are counted in `otelsw_processor_refused_<items>_total`.
struct MemoryLimiterProcessor<D: SignalData, C: Clock<Duration>>: Processor {
    typealias Data = D
    let limiter: MemoryLimiter<C>
    let next: any Consumer<D>
    let refused: Counter

    func start() async throws { limiter.start() }
    func shutdown() async { await limiter.stop() }

    func consume(_ data: D) async throws {
        if limiter.isRefusing {
            refused.increment(by: Int64(data.itemCount))
            throw limiter.refusal
        }
        try await next.consume(data)
    }
}
