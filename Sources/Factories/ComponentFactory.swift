import Configuration
import PipelineCore

/// What every factory says of its component type, and how it reads the type's settings.
///
/// A factory is typed by its ``Config``: the loader reads the settings with ``makeConfig(_:)`` and
/// hands the same value back to the `make…` method, so no factory casts its configuration. The
/// registry keeps factories behind type-erased wrappers (``AnyReceiverFactory`` and its siblings).
public protocol ComponentFactory: Sendable {
    associatedtype Config: ComponentConfig
    /// The type name in the pipeline file (`otlp`, `batch`).
    var type: String { get }
    /// Other names accepted for the type (`otlp_grpc` for `otlp`).
    var aliases: [String] { get }
    /// The signals a pipeline may use the component for; the loader refuses others at their line.
    var signals: Set<Signal> { get }
    var stability: StabilityLevel { get }
    /// Reads the settings strictly, reporting problems to the reader's sink; defaults live here.
    func makeConfig(_ reader: ConfigReader) -> Config
}

extension ComponentFactory {
    public var aliases: [String] { [] }
}

/// Builds receivers of one type.
public protocol ReceiverFactory: ComponentFactory {
    /// `consumers` holds a door for every signal in ``ComponentFactory/signals``.
    func makeReceiver(config: Config, context: ComponentContext, consumers: ReceiverConsumers) throws -> any Component
}

/// Builds processors of one type; one instance per pipeline that lists it.
public protocol ProcessorFactory: ComponentFactory {
    /// Called only for signals in ``ComponentFactory/signals``.
    func makeProcessor<D: SignalData>(config: Config, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D>
}

/// Builds exporters of one type; one instance per exporter id and signal.
public protocol ExporterFactory: ComponentFactory where Config: ExporterConfig {
    /// Called only for signals in ``ComponentFactory/signals``.
    func makeExporter<D: SignalData>(config: Config, context: ComponentContext, signal: D.Type) throws -> any Exporter<D>
}
