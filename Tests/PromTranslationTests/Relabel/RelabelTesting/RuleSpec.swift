@testable import PromTranslation

/// A rule's fields as written in a config, turned into a `RelabelRule` on demand (its init throws).
struct RuleSpec: Sendable, CustomStringConvertible {
    var sourceLabels: [String] = []
    var separator: String? = nil
    var targetLabel: String? = nil
    var regex: String? = nil
    var modulus: UInt64? = nil
    var replacement: String? = nil
    var action: String? = nil

    func make() throws(RelabelError) -> RelabelRule {
        try RelabelRule(
            sourceLabels: sourceLabels, separator: separator ?? ";", targetLabel: targetLabel,
            regex: regex ?? "(.*)", modulus: modulus, replacement: replacement ?? "$1", action: action ?? "replace")
    }

    /// The rule as Prometheus config text.
    var description: String { PrometheusConfigText.rule(self) }
}
