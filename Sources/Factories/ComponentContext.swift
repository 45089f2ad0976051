import Configuration
import Logging
import NIOCore
import OTelModel
import PipelineCore
import Telemetry

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
