import Configuration
import PipelineCore

/// Builds receivers of one type.
public protocol ReceiverFactory: Sendable {
    var type: String { get }
    var signals: Set<Signal> { get }
    func makeConfig(_ reader: ConfigReader) -> any ComponentConfig
    func makeReceiver(config: any ComponentConfig, context: ComponentContext, consumers: ReceiverConsumers) throws -> any Component
}

/// Builds processors of one type; one instance per pipeline that lists it.
public protocol ProcessorFactory: Sendable {
    var type: String { get }
    var signals: Set<Signal> { get }
    func makeConfig(_ reader: ConfigReader) -> any ComponentConfig
    func makeProcessor<D: SignalData>(config: any ComponentConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D>
}

/// Builds exporters of one type; one instance per exporter id and signal.
public protocol ExporterFactory: Sendable {
    var type: String { get }
    /// Other names accepted for the type (`otlp_grpc` for `otlp`).
    var aliases: [String] { get }
    var signals: Set<Signal> { get }
    func makeConfig(_ reader: ConfigReader) -> any ExporterConfig
    func makeExporter<D: SignalData>(config: any ExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D>
}

extension ExporterFactory {
    public var aliases: [String] { [] }
}
