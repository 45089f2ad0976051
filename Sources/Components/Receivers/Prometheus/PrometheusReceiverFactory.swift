import Configuration
import Factories
import Foundation
import PipelineCore
import PromTranslation

public struct PrometheusReceiverFactory: ReceiverFactory {
    public init() {}
    public var type: String { "prometheus" }
    public var signals: Set<Signal> { [.metrics] }
    public var stability: StabilityLevel { .beta }
    public func makeConfig(_ reader: ConfigReader) -> PrometheusReceiverConfig { PrometheusReceiverConfig(reading: reader) }
    public func makeReceiver(config: PrometheusReceiverConfig, context: ComponentContext, consumers: ReceiverConsumers) throws -> any Component {
        guard let metrics = consumers.metrics else { throw ConsumerError.permanent("the prometheus receiver feeds metrics pipelines only") }
        return try PrometheusReceiver(config: config, context: context, next: metrics)
    }
}
