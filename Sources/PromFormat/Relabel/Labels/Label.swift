/// One label: a name and a non-empty value.
public struct Label: Sendable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)=\(value.debugDescription)" }
}

extension Label: Equatable {
    /// Byte-wise equality of name and value, as Prometheus compares labels.
    public static func == (lhs: Label, rhs: Label) -> Bool {
        equalUTF8(lhs.name, rhs.name) && equalUTF8(lhs.value, rhs.value)
    }
}
