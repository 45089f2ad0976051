/// Reads samples from Prometheus text exposition.
public enum PrometheusText {
    /// The first sample of `name` whose labels include `labels`; nil when there is none.
    public static func value(in text: String, name: String, labels: [String: String]) -> Double? {
        samples(in: text, name: name, labels: labels).first
    }

    /// The sum of every sample of `name` whose labels include `labels` (every reason of a loss
    /// ledger, say); 0 when there is none, as for a series that was never incremented.
    public static func total(in text: String, name: String, labels: [String: String] = [:]) -> Double {
        samples(in: text, name: name, labels: labels).reduce(0, +)
    }

    static func samples(in text: String, name: String, labels: [String: String]) -> [Double] {
        var found: [Double] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(name + "{") || line.hasPrefix(name + " ") else { continue }
            let parts = line.split(separator: " ")
            guard let value = parts.last.flatMap({ Double($0) }) else { continue }
            let labelText = line.firstIndex(of: "{").map { line[$0...].prefix { $0 != "}" } } ?? ""
            if labels.allSatisfy({ labelText.contains("\($0.key)=\"\($0.value)\"") }) { found.append(value) }
        }
        return found
    }
}
