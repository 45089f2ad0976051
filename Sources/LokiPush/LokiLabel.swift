/// One Loki label or structured-metadata pair.
///
/// Names should already match `[a-zA-Z_][a-zA-Z0-9_]*` (see ``LokiLabels/sanitize(_:)``); the
/// encoders write them as given.
public struct LokiLabel: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
