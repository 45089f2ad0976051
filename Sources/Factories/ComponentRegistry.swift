import PipelineCore

/// The table of component types the agent knows.
public struct ComponentRegistry: Sendable {
    public var receivers: [String: any ReceiverFactory] = [:]
    public var processors: [String: any ProcessorFactory] = [:]
    public var exporters: [String: any ExporterFactory] = [:]

    public init(receivers: [any ReceiverFactory], processors: [any ProcessorFactory], exporters: [any ExporterFactory]) {
        for f in receivers { self.receivers[f.type] = f }
        for f in processors { self.processors[f.type] = f }
        for f in exporters {
            self.exporters[f.type] = f
            for alias in f.aliases { self.exporters[alias] = f }
        }
    }
}
