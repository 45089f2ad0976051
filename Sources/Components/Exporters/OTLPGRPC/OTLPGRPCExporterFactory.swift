import Configuration
import Factories
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NIOCore
import NIOPosix
import OTelModel
import PipelineCore
import Synchronization
import Telemetry

public struct OTLPGRPCExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "otlp" }
    public var aliases: [String] { ["otlp_grpc"] }
    public var signals: Set<Signal> { [.traces, .metrics, .logs] }
    public var stability: StabilityLevel { .stable }
    public func makeConfig(_ reader: ConfigReader) -> OTLPGRPCExporterConfig { OTLPGRPCExporterConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: OTLPGRPCExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        let c = config
        let target = try c.target.mapError { ConsumerError.permanent("invalid endpoint '\(c.endpoint)': \($0.message)") }.get()
        return try OTLPGRPCExporter<D>(config: c, target: target, context: context)
    }
}
