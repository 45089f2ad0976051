/// One `name="value"` pair of a sample or exemplar, with the value unescaped.
public struct Label: Sendable, Hashable {
    public var name: String
    /// The unescaped value; an empty value is kept as written (it means "label absent").
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
