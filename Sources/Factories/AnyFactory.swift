import Configuration
import PipelineCore

/// A factory of any type and kind, as the registry keeps it: its description, and how it reads
/// a component's settings into a `Configured` value that builds the component without casts.
public struct AnyFactory<Configured: Sendable>: Sendable {
    public let info: ComponentInfo
    private let configure: @Sendable (ComponentID, ConfigReader) -> Configured

    /// Reads `id`'s settings and keeps them with the factory that builds from them.
    public func configure(_ id: ComponentID, _ reader: ConfigReader) -> Configured { configure(id, reader) }
}

public typealias AnyReceiverFactory = AnyFactory<ConfiguredReceiver>
public typealias AnyProcessorFactory = AnyFactory<ConfiguredProcessor>
public typealias AnyExporterFactory = AnyFactory<ConfiguredExporter>

extension AnyFactory where Configured == ConfiguredReceiver {
    public init<F: ReceiverFactory>(_ factory: F) {
        info = ComponentInfo(kind: .receiver, factory: factory)
        configure = { id, reader in
            let config = factory.makeConfig(reader)
            return ConfiguredReceiver(id: id, config: config, signals: factory.signals) { context, consumers in
                try factory.makeReceiver(config: config, context: context, consumers: consumers)
            }
        }
    }
}

extension AnyFactory where Configured == ConfiguredProcessor {
    public init<F: ProcessorFactory>(_ factory: F) {
        info = ComponentInfo(kind: .processor, factory: factory)
        configure = { id, reader in
            let config = factory.makeConfig(reader)
            return ConfiguredProcessor(id: id, config: config, builder: TypedProcessorBuilder(factory: factory, config: config))
        }
    }
}

extension AnyFactory where Configured == ConfiguredExporter {
    public init<F: ExporterFactory>(_ factory: F) {
        info = ComponentInfo(kind: .exporter, factory: factory)
        configure = { id, reader in
            let config = factory.makeConfig(reader)
            return ConfiguredExporter(id: id, config: config, builder: TypedExporterBuilder(factory: factory, config: config))
        }
    }
}

/// A configured receiver: its id and settings, and the factory that read them.
public struct ConfiguredReceiver: Sendable {
    public let id: ComponentID
    public let config: any ComponentConfig
    /// The signals its factory declares: the graph gives it a door for each.
    public let signals: Set<Signal>
    private let make: @Sendable (ComponentContext, ReceiverConsumers) throws -> any Component

    init(id: ComponentID, config: any ComponentConfig, signals: Set<Signal>,
         make: @escaping @Sendable (ComponentContext, ReceiverConsumers) throws -> any Component) {
        self.id = id
        self.config = config
        self.signals = signals
        self.make = make
    }

    public func makeReceiver(context: ComponentContext, consumers: ReceiverConsumers) throws -> any Component {
        try make(context, consumers)
    }
}

/// A configured processor: its id and settings, and the factory that read them.
public struct ConfiguredProcessor: Sendable {
    public let id: ComponentID
    public let config: any ComponentConfig
    private let builder: any ProcessorBuilder

    fileprivate init(id: ComponentID, config: any ComponentConfig, builder: any ProcessorBuilder) {
        self.id = id
        self.config = config
        self.builder = builder
    }

    public func makeProcessor<D: SignalData>(context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        try builder.make(context: context, next: next)
    }
}

/// A configured exporter: its id and settings, and the factory that read them.
public struct ConfiguredExporter: Sendable {
    public let id: ComponentID
    public let config: any ExporterConfig
    private let builder: any ExporterBuilder

    fileprivate init(id: ComponentID, config: any ExporterConfig, builder: any ExporterBuilder) {
        self.id = id
        self.config = config
        self.builder = builder
    }

    public func makeExporter<D: SignalData>(context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        try builder.make(context: context, signal: signal)
    }
}

/// A typed factory with the settings it read (closures cannot be generic over the signal).
private protocol ProcessorBuilder: Sendable {
    func make<D: SignalData>(context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D>
}

private struct TypedProcessorBuilder<F: ProcessorFactory>: ProcessorBuilder {
    let factory: F
    let config: F.Config
    func make<D: SignalData>(context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        try factory.makeProcessor(config: config, context: context, next: next)
    }
}

private protocol ExporterBuilder: Sendable {
    func make<D: SignalData>(context: ComponentContext, signal: D.Type) throws -> any Exporter<D>
}

private struct TypedExporterBuilder<F: ExporterFactory>: ExporterBuilder {
    let factory: F
    let config: F.Config
    func make<D: SignalData>(context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        try factory.makeExporter(config: config, context: context, signal: signal)
    }
}
