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

