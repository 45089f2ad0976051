import Configuration
import Factories
import PipelineCore

public struct OTLPReceiverFactory: ReceiverFactory {
    public init() {}
    public var type: String { "otlp" }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public var stability: StabilityLevel { .stable }
    public func makeConfig(_ reader: ConfigReader) -> OTLPReceiverConfig { OTLPReceiverConfig(reading: reader) }

    public func makeReceiver(config: OTLPReceiverConfig, context: ComponentContext, consumers: ReceiverConsumers) throws -> any Component {
        OTLPReceiver(config: config, context: context, consumers: consumers)
    }
}
