import Configuration
import Factories
import OTelModel
import PipelineCore

/// `resource` processor settings, in the Collector's shape: `attributes`, a list of the same actions
/// as the `attributes` processor's, applied to resource attributes.
public struct ResourceConfig: ComponentConfig {
    var actions = AttributeActions([])

    init(reading r: ConfigReader) {
        actions = AttributeActions(readActions(r, field: "attributes") ?? [])
    }
}

public struct ResourceProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "resource" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ComponentConfig { ResourceConfig(reading: reader) }

    public func makeProcessor<D: SignalData>(config: any ComponentConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        let config = config as! ResourceConfig
        let processor: (any Component)? = switch next {
        case let n as any Consumer<TracesData>: ResourceProcessor(actions: config.actions, next: n)
        case let n as any Consumer<MetricsData>: ResourceProcessor(actions: config.actions, next: n)
        case let n as any Consumer<LogsData>: ResourceProcessor(actions: config.actions, next: n)
        default: nil
        }
        guard let p = processor as? any Processor<D> else { throw ConsumerError.permanent("resource does not support \(D.signal.rawValue)") }
        return p
    }
}

/// Applies its actions to the resource attributes of every resource in a payload (a resource with
/// none gets them when an action inserts). (Collector: `processor/resourceprocessor`)
struct ResourceProcessor<Data: AttributeEditable>: Processor {
    let actions: AttributeActions
    let next: any Consumer<Data>

    func start() async throws {}
    func shutdown() async {}

    func consume(_ data: Data) async throws {
        var data = data
        data.applyResourceActions(actions, context: actions.resolve(RequestContext.current))
        try await next.consume(data)
    }
}
