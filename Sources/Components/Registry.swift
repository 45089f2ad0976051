import Factories


/// Every component type this build of otelsw knows, by its config type name.
public enum Components {
    public static let registry = ComponentRegistry(
        receivers: [OTLPReceiverFactory(), PrometheusReceiverFactory(), FileLogReceiverFactory()],
        processors: [
            BatchProcessorFactory(), TraceContextProcessorFactory(), TailSamplingProcessorFactory(), AttributesProcessorFactory(),
            ResourceProcessorFactory(), MemoryLimiterProcessorFactory(),
        ],
        exporters: [OTLPGRPCExporterFactory(), OTLPHTTPExporterFactory(), PrometheusRemoteWriteExporterFactory(), FileExporterFactory(), DebugExporterFactory(), NopExporterFactory(), LokiExporterFactory()]
    )
}
