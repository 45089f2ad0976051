import Factories

/// Every component type this build of otelsw knows, by its config type name.
public enum Components {
    public static let registry = ComponentRegistry(
        receivers: [
            .init(OTLPReceiverFactory()), .init(PrometheusReceiverFactory()), .init(FileLogReceiverFactory()),
        ],
        processors: [
            .init(BatchProcessorFactory()), .init(MemoryLimiterProcessorFactory()), .init(AttributesProcessorFactory()),
            .init(ResourceProcessorFactory()), .init(TailSamplingProcessorFactory()), .init(TraceContextProcessorFactory()),
        ],
        exporters: [
            .init(OTLPGRPCExporterFactory()), .init(OTLPHTTPExporterFactory()), .init(PrometheusRemoteWriteExporterFactory()),
            .init(LokiExporterFactory()), .init(FileExporterFactory()), .init(DebugExporterFactory()), .init(NopExporterFactory()),
        ]
    )
}
