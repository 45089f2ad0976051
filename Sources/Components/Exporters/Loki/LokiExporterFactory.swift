import Configuration
import Factories
import Foundation
import LokiPush
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import Snappy
import Synchronization
import Telemetry
import Transport

public struct LokiExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "loki" }
    public var signals: Set<Signal> { [.logs] }
    public var stability: StabilityLevel { .beta }
    public func makeConfig(_ reader: ConfigReader) -> LokiExporterConfig { LokiExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: LokiExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        let c = config
        guard let target = HTTPTarget.parse(c.endpoint) else { throw ConsumerError.permanent("invalid endpoint \(c.endpoint)") }
        return try SignalDispatch.exporter(type, signal: signal, logs: { LokiExporter(config: c, target: target, context: context) })
    }
}
