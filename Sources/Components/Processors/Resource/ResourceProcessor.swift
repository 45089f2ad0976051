import Configuration
import Factories
import OTelModel
import PipelineCore

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
