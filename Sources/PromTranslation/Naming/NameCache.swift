/// Remembers translated metric and label names for one exporter, with the exporter's suffix and namespace
/// settings fixed.
///
/// Names that need no change skip the cache (they cost no more than a lookup); rebuilt names are kept, up to
/// `capacity` metric names and `capacity` label names, forgetting roughly the least recently used half when full.
/// Keys compare by UTF-8 bytes, so canonically equivalent but different keys never share an entry.
///
/// Not thread-safe: keep one per exporter and use it from that exporter's isolation domain.
public final class NameCache {
    /// Whether unit and type suffixes are added (the Collector's `add_metric_suffixes`).
    public let addSuffixes: Bool
    /// Prefix for every metric name, `nil` or empty for none.
    public let namespace: String?
    /// The most metric names, and separately the most label names, held at once.
    public let capacity: Int

    private let hasNamespace: Bool
    private var metricNames: GenerationalCache<MetricKey, String>
    private var labelNames: GenerationalCache<ByteKey, String>

    private struct MetricKey: Hashable {
        let name: ByteKey
        let unit: ByteKey
        let kind: PromMetricKind
    }

    public init(capacity: Int = 8192, addSuffixes: Bool = true, namespace: String? = nil) {
        self.capacity = Swift.max(2, capacity)
        self.addSuffixes = addSuffixes
        self.namespace = namespace
        hasNamespace = !(namespace ?? "").isEmpty
        metricNames = GenerationalCache(capacity: self.capacity)
        labelNames = GenerationalCache(capacity: self.capacity)
    }

    /// ``PromNaming/metricName(_:unit:kind:addSuffixes:namespace:)`` with this cache's settings.
    public func metricName(_ name: String, unit: String, kind: PromMetricKind) -> String {
        var plan: SuffixPlan?
        if !hasNamespace {
            let unchanged = name.withUTF8Bytes { bytes -> Bool in
                guard let scan = PromNaming.canonicalMetricName(bytes) else { return false }
                let suffixes = SuffixPlan(unit: unit, kind: kind, addSuffixes: addSuffixes)
                plan = suffixes
                return PromNaming.hasSuffixes(bytes, scan, plan: suffixes)
            }
            if unchanged { return name }
        }
        let key = MetricKey(name: ByteKey(name), unit: ByteKey(unit), kind: kind)
        if let cached = metricNames.value(for: key) {
            return cached
        }
        let suffixes = plan ?? SuffixPlan(unit: unit, kind: kind, addSuffixes: addSuffixes)
        let built = PromNaming.builtMetricName(name, plan: suffixes, namespace: namespace)
        metricNames.insert(built, for: key)
        return built
    }

    /// ``PromNaming/labelName(_:)``, remembered.
    public func labelName(_ key: String) -> String {
        let fast = key.withUTF8Bytes { $0.isEmpty || PromNaming.isCanonicalLabelName($0) }
        if fast { return key }
        let cacheKey = ByteKey(key)
        if let cached = labelNames.value(for: cacheKey) {
            return cached
        }
        let built = PromNaming.labelName(key)
        labelNames.insert(built, for: cacheKey)
        return built
    }

    /// Entries held: metric names plus label names.
    public var count: Int { metricNames.count + labelNames.count }

    public func removeAll() {
        metricNames.removeAll()
        labelNames.removeAll()
    }
}

@available(*, unavailable)
extension NameCache: Sendable {}
