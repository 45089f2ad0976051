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
