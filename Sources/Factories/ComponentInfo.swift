import PipelineCore

/// Where a component sits in a pipeline.
public enum ComponentKind: String, Sendable, CaseIterable {
    case receiver, processor, exporter, `extension`
}

/// How settled a component is, in the Collector's terms: `development` may change or go away,
/// `alpha` and `beta` may still change their settings, `stable` keeps them.
public enum StabilityLevel: String, Sendable, CaseIterable {
    case development, alpha, beta, stable
}

/// What the registry knows of a component type without building it (`otelsw components`).
public struct ComponentInfo: Sendable, Equatable {
    public var kind: ComponentKind
    public var type: String
    public var aliases: [String]
    public var signals: Set<Signal>
    public var stability: StabilityLevel

    public init(kind: ComponentKind, type: String, aliases: [String] = [], signals: Set<Signal>, stability: StabilityLevel) {
        self.kind = kind
        self.type = type
        self.aliases = aliases
        self.signals = signals
        self.stability = stability
    }

    init<F: ComponentFactory>(kind: ComponentKind, factory: F) {
        self.init(kind: kind, type: factory.type, aliases: factory.aliases, signals: factory.signals, stability: factory.stability)
    }
}
