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
