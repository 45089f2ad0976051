import Configuration
import Factories
import OTelModel
import PipelineCore
import Prometheus
import Telemetry

public struct MemoryLimiterProcessorFactory: ProcessorFactory {
    let memory: any MemorySource

    /// `memory` is what the limiter measures: this process, unless a test gives another source.
    public init(memory: any MemorySource = ProcessMemory()) {
        self.memory = memory
    }

    public var type: String { "memory_limiter" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ComponentConfig { MemoryLimiterConfig(reading: reader) }

    /// One limiter per id in a graph, as in the Collector: every pipeline that lists the id is
    /// refused together, on one measurement.
    public func makeProcessor<D: SignalData>(config: any ComponentConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        let config = config as! MemoryLimiterConfig
        let limiter = try context.shared.value(for: context.id) {
            try MemoryLimiter(id: context.id, config: config, source: memory, clock: ContinuousClock(),
                              telemetry: context.telemetry, logger: context.logger)
        }
        return MemoryLimiterProcessor<D, ContinuousClock>(
            limiter: limiter, next: next, refused: context.telemetry.processorRefused(context.id, signal: D.signal, reason: "memory_limit"))
    }
}

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
