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
    public var stability: StabilityLevel { .beta }
    public func makeConfig(_ reader: ConfigReader) -> MemoryLimiterConfig { MemoryLimiterConfig(reading: reader) }

    /// One limiter per id in a graph, as in the Collector: every pipeline that lists the id is
    /// refused together, on one measurement.
    public func makeProcessor<D: SignalData>(config: MemoryLimiterConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        let limiter = try context.shared.value(for: context.id) {
            try MemoryLimiter(id: context.id, config: config, source: memory, clock: ContinuousClock(),
                              telemetry: context.telemetry, logger: context.logger)
        }
        return MemoryLimiterProcessor<D, ContinuousClock>(
            limiter: limiter, next: next, refused: context.telemetry.processorRefused(context.id, signal: D.signal, reason: "memory_limit"))
    }
}
