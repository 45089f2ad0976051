import Logging
import NIOCore
import OTelModel

/// A running part of the agent. `start` returns once the component is ready (listening, connected);
/// `shutdown` stops intake, hands on or persists what it holds, and returns when it is done.
public protocol Component: Sendable {
    func start() async throws
    func shutdown() async
}

/// A component that carries state over from the graph a reload replaces (a tail sampler whose
/// settings did not change): ``takeOver()`` is called once every new part has started, just before
/// data is switched to the new graph; until then the old graph's parts keep the state.
public protocol StateTakeover {
    func takeOver() async
}

/// A receiver that listens on an address. A reload that replaces one starts the new one before it
/// stops the old one, so the address is never without a listener; other receivers (tailing files,
/// scraping) stop first, so that two never do the same work.
public protocol ListensOnAddress {}

/// A component that can say it is not healthy (for `/healthz`).
public protocol HealthReporting {
    /// Why the component is unhealthy right now, or nil.
    var healthProblem: String? { get }
}

/// A component's configuration. Configs are plain values read by their factory.
public protocol ComponentConfig: Sendable {}

/// A configuration that names a `file_storage` extension (a receiver keeping checkpoints there); the
/// loader checks that the extension exists and is enabled.
public protocol StorageReferencing {
    var storageReference: (id: ComponentID, location: SourceLocation?)? { get }
}

/// A configuration with settings that fit only some signals (a processor's matching rules for spans,
/// logs or metrics): for each signal of a pipeline that lists the component, the loader reports what
/// does not fit it.
public protocol SignalSpecificConfig {
    func problems(for signal: Signal) -> [(message: String, location: SourceLocation)]
}

/// What every component is built with.
public struct ComponentContext: Sendable {
    public var id: ComponentID
    public var logger: Logger
    public var telemetry: SelfTelemetry
    public var eventLoopGroup: any EventLoopGroup
    /// A processor whose pipeline writes to a persistent queue: it must not report data as taken
    /// before the queue has it on disk.
    public var durableDownstream: Bool
    /// The enabled `file_storage` extensions, for components that keep state on disk.
    public var storages: [ComponentID: FileStorageConfig]
    /// State shared by the instances of one id in the graph being built.
    public var shared: SharedComponents

    public init(id: ComponentID, logger: Logger, telemetry: SelfTelemetry, eventLoopGroup: any EventLoopGroup, durableDownstream: Bool = false,
                storages: [ComponentID: FileStorageConfig] = [:], shared: SharedComponents = SharedComponents()) {
        self.id = id
        self.logger = logger
        self.telemetry = telemetry
        self.eventLoopGroup = eventLoopGroup
        self.durableDownstream = durableDownstream
        self.storages = storages
        self.shared = shared
    }
}

/// Where a receiver sends what it receives; nil for signals no pipeline takes from it.
public struct ReceiverConsumers: Sendable {
    public var traces: (any Consumer<TracesData>)?
    public var metrics: (any Consumer<MetricsData>)?
    public var logs: (any Consumer<LogsData>)?

    public init(traces: (any Consumer<TracesData>)? = nil, metrics: (any Consumer<MetricsData>)? = nil, logs: (any Consumer<LogsData>)? = nil) {
        self.traces = traces
        self.metrics = metrics
        self.logs = logs
    }
}

/// A processor: a consumer that hands (possibly changed) data to the next stage.
public protocol Processor<Data>: Consumer, Component {}

/// An exporter for one signal: sends a payload to its backend.
///
/// `export` throws ``ConsumerError``: `.refused` for failures worth retrying, `.permanent` otherwise.
/// Queueing and retries are not its business; the ``ExporterQueue`` in front of it does that.
public protocol Exporter<Data>: Component {
    associatedtype Data: SignalData
    func export(_ data: Data) async throws
    /// Sends a payload already encoded as an OTLP protobuf request (`Export*ServiceRequest` bytes).
    /// The default decodes it and calls ``export(_:)``; exporters that send protobuf send it as it is.
    func export(encoded request: ByteStorage) async throws
}

extension Exporter {
    public func export(encoded request: ByteStorage) async throws {
        try await export(try Data(protobuf: request))
    }
}

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

/// An exporter's configuration always carries the queue and retry settings shared by all exporters.
public protocol ExporterConfig: ComponentConfig {
    var queue: QueueSettings { get }
    var retry: RetrySettings { get }
}

/// The table of component types the agent knows.
public struct ComponentRegistry: Sendable {
    public var receivers: [String: any ReceiverFactory] = [:]
    public var processors: [String: any ProcessorFactory] = [:]
    public var exporters: [String: any ExporterFactory] = [:]

    public init(receivers: [any ReceiverFactory], processors: [any ProcessorFactory], exporters: [any ExporterFactory]) {
        for f in receivers { self.receivers[f.type] = f }
        for f in processors { self.processors[f.type] = f }
        for f in exporters {
            self.exporters[f.type] = f
            for alias in f.aliases { self.exporters[alias] = f }
        }
    }
}
