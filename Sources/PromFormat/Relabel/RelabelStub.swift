// Placeholder until relabeling lands: rules are accepted only when empty.
public struct RelabelError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

public struct RelabelRule: Sendable {
    public init(sourceLabels: [String] = [], separator: String = ";", targetLabel: String? = nil, regex: String = "(.*)",
                modulus: UInt64? = nil, replacement: String = "$1", action: String = "replace") throws(RelabelError) {
        throw RelabelError(message: "relabeling is not supported yet")
    }
}

public struct LabelSet: Sendable, Equatable {
    private var storage: [String: String] = [:]
    public init(_ pairs: [(String, String)]) {
        for (k, v) in pairs where !v.isEmpty { storage[k] = v }
    }
    public var pairs: [(name: String, value: String)] { storage.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}

public enum Relabeler {
    public static func apply(_ rules: [RelabelRule], to labels: LabelSet) -> LabelSet? { labels }
}
