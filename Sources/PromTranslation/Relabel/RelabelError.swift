/// A relabeling rule Prometheus would refuse, with Prometheus' wording where it has one.
public struct RelabelError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
