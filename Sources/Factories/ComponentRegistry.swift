import PipelineCore

/// The table of component types the agent knows, by type name and alias.
public struct ComponentRegistry: Sendable {
    public var receivers: [String: AnyReceiverFactory] = [:]
    public var processors: [String: AnyProcessorFactory] = [:]
    public var exporters: [String: AnyExporterFactory] = [:]

    public init(receivers: [AnyReceiverFactory], processors: [AnyProcessorFactory], exporters: [AnyExporterFactory]) {
        for f in receivers { add(f) }
        for f in processors { add(f) }
        for f in exporters { add(f) }
    }

    public mutating func add(_ factory: AnyReceiverFactory) { Self.add(factory, to: &receivers) }
    public mutating func add(_ factory: AnyProcessorFactory) { Self.add(factory, to: &processors) }
    public mutating func add(_ factory: AnyExporterFactory) { Self.add(factory, to: &exporters) }

    /// Under its type and each alias.
    private static func add<C>(_ factory: AnyFactory<C>, to table: inout [String: AnyFactory<C>]) {
        for name in [factory.info.type] + factory.info.aliases { table[name] = factory }
    }

    /// Every component type once (aliases folded into their type), by kind, then type name.
    public var components: [ComponentInfo] {
        let all = receivers.values.map(\.info) + processors.values.map(\.info) + exporters.values.map(\.info)
        var seen: Set<String> = []
        let kinds = ComponentKind.allCases
        return all.filter { seen.insert("\($0.kind) \($0.type)").inserted }
            .sorted { (kinds.firstIndex(of: $0.kind)!, $0.type) < (kinds.firstIndex(of: $1.kind)!, $1.type) }
    }
}
