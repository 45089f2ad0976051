import Configuration
import Factories
import OTelModel
import PipelineCore

/// `attributes` processor settings, in the Collector's shape: `actions`, and optional `include` and
/// `exclude` blocks choosing the spans, log records or metrics they apply to.
public struct AttributesConfig: ComponentConfig, SignalSpecificConfig {
    var actions = AttributeActions([])
    var include: MatchProperties?
    var exclude: MatchProperties?

    init(reading r: ConfigReader) {
        actions = AttributeActions(readActions(r) ?? [])
        include = r.section("include").flatMap(MatchProperties.init(reading:))
        exclude = r.section("exclude").flatMap(MatchProperties.init(reading:))
    }

    public func problems(for signal: Signal) -> [(message: String, location: SourceLocation)] {
        (include?.problems(for: signal, block: "include") ?? []) + (exclude?.problems(for: signal, block: "exclude") ?? [])
    }
}

public struct AttributesProcessorFactory: ProcessorFactory {
    public init() {}
    public var type: String { "attributes" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public func makeConfig(_ reader: ConfigReader) -> any ComponentConfig { AttributesConfig(reading: reader) }

    public func makeProcessor<D: SignalData>(config: any ComponentConfig, context: ComponentContext, next: any Consumer<D>) throws -> any Processor<D> {
        let config = config as! AttributesConfig
        let processor: (any Component)? = switch next {
        case let n as any Consumer<TracesData>: AttributesProcessor(config: config, next: n)
        case let n as any Consumer<MetricsData>: AttributesProcessor(config: config, next: n)
        case let n as any Consumer<LogsData>: AttributesProcessor(config: config, next: n)
        default: nil
        }
        guard let p = processor as? any Processor<D> else { throw ConsumerError.permanent("attributes does not support \(D.signal.rawValue)") }
        return p
    }
}

/// Applies `actions` in order to the attributes of each span, log record or metric data point
/// that `include` selects and `exclude` does not. `from_context` values come from the request the
/// data arrived in (``RequestContext/current``), resolved once per payload.
struct AttributesProcessor<Data: AttributeEditable>: Processor {
    let config: AttributesConfig
    let next: any Consumer<Data>

    func start() async throws {}
    func shutdown() async {}

    func consume(_ data: Data) async throws {
        var data = data
        data.applyAttributeActions(config.actions, selection: Selection(include: config.include, exclude: config.exclude),
                                   context: config.actions.resolve(RequestContext.current))
        try await next.consume(data)
    }
}

/// `include` and `exclude` together, evaluated level by level: resource, scope, item.
struct Selection: Sendable {
    var include: MatchProperties?
    var exclude: MatchProperties?

    var selectsEverything: Bool { include == nil && exclude == nil }

    /// Where a resource and scope leave the decision: whether `include` can still match and
    /// `exclude` can still match.
    struct Partial {
        var include: Bool
        var exclude: Bool
    }

    func partial(_ resource: Resource?, _ scope: InstrumentationScope?) -> Partial {
        Partial(include: include.map { $0.matchesResource(resource) && $0.matchesScope(scope) } ?? true,
                exclude: exclude.map { $0.matchesResource(resource) && $0.matchesScope(scope) } ?? false)
    }

    /// Whether an item is selected, given the resource and scope verdict and the item's own test.
    func selects(_ p: Partial, _ item: (MatchProperties) -> Bool) -> Bool {
        if let include, !(p.include && item(include)) { return false }
        if let exclude, p.exclude, item(exclude) { return false }
        return true
    }
}
