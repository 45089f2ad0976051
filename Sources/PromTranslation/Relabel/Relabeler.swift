/// Applies relabeling rules in order, as Prometheus' `relabel.Process` does.
public enum Relabeler {
    /// The relabeled set, or nil when a rule drops it.
    public static func apply(_ rules: [RelabelRule], to labels: LabelSet) -> LabelSet? {
        var result = labels
        return apply(rules, to: &result) ? result : nil
    }

    /// Relabels `labels` in place; false when a rule drops it (the set is then partly relabeled).
    @discardableResult
    public static func apply(_ rules: [RelabelRule], to labels: inout LabelSet) -> Bool {
        for rule in rules where !rule.compiled.apply(to: &labels) {
            return false
        }
        return true
    }
}
