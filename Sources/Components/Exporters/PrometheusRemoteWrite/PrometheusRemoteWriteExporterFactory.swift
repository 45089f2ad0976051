import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import PromTranslation
import Snappy
import Telemetry
import Transport

public struct PrometheusRemoteWriteExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "prometheusremotewrite" }
    public var signals: Set<Signal> { [.metrics] }
    public var stability: StabilityLevel { .beta }
    public func makeConfig(_ reader: ConfigReader) -> PrometheusRemoteWriteConfig { PrometheusRemoteWriteConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: PrometheusRemoteWriteConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        let c = config
        guard let target = HTTPTarget.parse(c.endpoint) else { throw ConsumerError.permanent("invalid endpoint \(c.endpoint)") }
        return try SignalDispatch.exporter(
            type, signal: signal, metrics: { PrometheusRemoteWriteExporter(config: c, target: target, context: context) })
    }
}
