/// What a receiver knows about the request that carried some data: the client's metadata (HTTP
/// headers or gRPC metadata) and address.
///
/// A receiver with `include_metadata: true` binds it to ``current`` while it hands the request's data
/// to its pipeline, so processors running in that call can read it (`from_context` in the
/// `attributes` processor). Stages that re-group data and send it later from their own task, such as
/// `batch`, lose it, as in the OpenTelemetry Collector without `metadata_keys`.
public struct RequestContext: Sendable, Equatable {
    /// Header or metadata names, lowercased, with every value they had in the request, in order.
    public var metadata: [String: [String]]
    /// The client's IP address, without the port.
    public var clientAddress: String?

    public init(metadata: [String: [String]] = [:], clientAddress: String? = nil) {
        self.metadata = metadata
        self.clientAddress = clientAddress
    }

    /// Builds the metadata from name/value pairs, lowercasing the names.
    public init<S: Sequence>(pairs: S, clientAddress: String? = nil) where S.Element == (String, String) {
        var metadata: [String: [String]] = [:]
        for (name, value) in pairs { metadata[name.lowercased(), default: []].append(value) }
        self.init(metadata: metadata, clientAddress: clientAddress)
    }

    /// The values of `name` (any case); empty when the request did not have it.
    public func values(_ name: String) -> [String] {
        metadata[name.lowercased()] ?? []
    }

    /// The context of the request being handled by the current task, if its receiver includes metadata.
    @TaskLocal public static var current: RequestContext?
}
