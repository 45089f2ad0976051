import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import Telemetry
import Transport

public struct OTLPHTTPExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "otlphttp" }
    public var aliases: [String] { ["otlp_http"] }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public var stability: StabilityLevel { .stable }
    public func makeConfig(_ reader: ConfigReader) -> OTLPHTTPExporterConfig { OTLPHTTPExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: OTLPHTTPExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        let c = config
        guard let target = HTTPTarget.parse(c.url(for: D.signal)) else {
            throw ConsumerError.permanent("invalid endpoint \(c.url(for: D.signal))")
        }
        return OTLPHTTPExporter<D>(config: c, target: target, context: context)
    }
}
