import Configuration
import Factories
import OTelModel
import PipelineCore

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
