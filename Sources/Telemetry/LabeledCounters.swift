import Prometheus

/// The counters of one family that differ in one label (a reason, an outcome), resolved when the
/// component is built for every value it knows, so counting is a lookup in an immutable table and
/// an atomic add: no lock, no registry lookup.
///
/// A value not named up front (a reason passed on from a backend's error) is looked up in the
/// registry when it occurs; such values are rare and counted all the same.
public struct LabeledCounters: Sendable {
    private let resolved: [String: Counter]
    private let resolve: @Sendable (String) -> Counter

    public init(values: [String], resolve: @escaping @Sendable (String) -> Counter) {
        var table: [String: Counter] = [:]
        for value in values { table[value] = resolve(value) }
        resolved = table
        self.resolve = resolve
    }

    public func increment(_ value: String, by n: Int = 1) {
        guard n != 0 else { return }
        (resolved[value] ?? resolve(value)).increment(by: Int64(n))
    }

    /// The counter for `value`, resolved now if it was not named up front.
    public subscript(value: String) -> Counter { resolved[value] ?? resolve(value) }
}
