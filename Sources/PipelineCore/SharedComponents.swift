import Synchronization

/// State that the instances of one component id share across the pipelines of one graph, such
/// as a tail sampler listed in both a traces and a logs pipeline.
public final class SharedComponents: Sendable {
    private let values = Mutex<[ComponentID: any Sendable]>([:])
    private static let made = Atomic<UInt64>(0)
    /// Numbers the stores in the order they are made: one per graph, so a graph built later has a
    /// larger number.
    public let generation: UInt64

    public init() {
        generation = Self.made.add(1, ordering: .relaxed).newValue
    }

    /// The ids that keep a value here.
    public var ids: Set<ComponentID> { values.withLock { Set($0.keys) } }

    /// A store for a graph built by a reload: starts with the values `previous` keeps for `ids`
    /// (components whose settings did not change), so their state lives on.
    public init(carrying ids: Set<ComponentID>, from previous: SharedComponents) {
        generation = Self.made.add(1, ordering: .relaxed).newValue
        let kept = previous.values.withLock { $0.filter { ids.contains($0.key) } }
        values.withLock { $0 = kept }
    }

    /// The value kept for `id`, made by `make` the first time it is asked for. Throws when a value
    /// of another type is kept for the id.
    public func value<T: Sendable>(for id: ComponentID, make: () throws -> T) throws -> T {
        try values.withLock { values in
            if let existing = values[id] {
                guard let typed = existing as? T else { throw SharedComponentsError(id: id) }
                return typed
            }
            let made = try make()
            values[id] = made
            return made
        }
    }
}

struct SharedComponentsError: Error, CustomStringConvertible {
    var id: ComponentID
    var description: String { "\(id) is shared with a component of another kind" }
}
