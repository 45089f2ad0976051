/// Reads one sample from Prometheus text exposition.
public enum PrometheusText {
    public static func value(in text: String, name: String, labels: [String: String]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(name + "{") || line.hasPrefix(name + " ") else { continue }
            let parts = line.split(separator: " ")
            guard let value = parts.last.flatMap({ Double($0) }) else { continue }
            let labelText = line.firstIndex(of: "{").map { line[$0...].prefix { $0 != "}" } } ?? ""
            if labels.allSatisfy({ labelText.contains("\($0.key)=\"\($0.value)\"") }) { return value }
        }
        return nil
    }
}
