/// Config text for Prometheus: YAML read as JSON, every non-ASCII character escaped so no YAML line-break
/// folding or printable-set rule can alter a value.
enum PrometheusConfigText {
    static func quote(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default:
                if scalar.value >= 0x20, scalar.value < 0x7F {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFFFF {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else {
                    result += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return result + "\""
    }

    static func rule(_ spec: RuleSpec) -> String {
        var fields: [String] = []
        if !spec.sourceLabels.isEmpty {
            fields.append("\"source_labels\": [" + spec.sourceLabels.map(quote).joined(separator: ", ") + "]")
        }
        if let separator = spec.separator { fields.append("\"separator\": \(quote(separator))") }
        if let targetLabel = spec.targetLabel { fields.append("\"target_label\": \(quote(targetLabel))") }
        if let regex = spec.regex { fields.append("\"regex\": \(quote(regex))") }
        if let modulus = spec.modulus { fields.append("\"modulus\": \(modulus)") }
        if let replacement = spec.replacement { fields.append("\"replacement\": \(quote(replacement))") }
        if let action = spec.action { fields.append("\"action\": \(quote(action))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func labels(_ labels: [String: String]) -> String {
        "{" + labels.sorted { $0.key < $1.key }.map { "\(quote($0.key)): \(quote($0.value))" }
            .joined(separator: ", ") + "}"
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
