/// One Prometheus `relabel_config`, validated and compiled.
///
/// Defaults and checks are Prometheus 2.42's (`model/relabel`): the regex is anchored as `^(?:regex)$` and
/// compiled once; the action name is case-insensitive. An unset `target_label` is `""` and an unset `modulus`
/// is 0, as in Prometheus. Spec: https://prometheus.io/docs/prometheus/2.42/configuration/configuration/#relabel_config
public struct RelabelRule: Sendable {
    public enum Action: String, Sendable, CaseIterable {
        case replace, keep, drop, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase, keepequal, dropequal
    }

    public static let defaultSeparator = ";"
    public static let defaultRegex = "(.*)"
    public static let defaultReplacement = "$1"

    /// Everything behind one reference, so copying a rule (as iterating `[RelabelRule]` does) costs one retain.
    let compiled: CompiledRule

    public var sourceLabels: [String] { compiled.sourceLabels }
    public var separator: String { compiled.separator }
    /// `""` when unset.
    public var targetLabel: String { compiled.targetLabel }
    /// The regex as configured, without Prometheus' anchors.
    public var regex: String { compiled.regex.source }
    /// 0 when unset.
    public var modulus: UInt64 { compiled.modulus }
    public var replacement: String { compiled.replacement }
    public var action: Action { compiled.action }

    /// Validates and compiles a rule.
    ///
    /// - Throws: `RelabelError` with Prometheus' message for an unknown action, an invalid source label name, a
    ///   regex RE2 refuses, or a field combination Prometheus refuses (missing or invalid `target_label`,
    ///   `hashmod` without `modulus`, extra fields on `labeldrop`/`labelkeep`/`keepequal`/`dropequal`, …).
    public init(
        sourceLabels: [String] = [], separator: String = ";", targetLabel: String? = nil, regex: String = "(.*)",
        modulus: UInt64? = nil, replacement: String = "$1", action: String = "replace"
    ) throws(RelabelError) {
        guard let parsedAction = Action(rawValue: GoCaseMapping.lowercased(action)) else {
            throw RelabelError("unknown relabel action \(GoQuote.quote(action))")
        }
        for name in sourceLabels where !LabelNameRules.isValid(name) {
            throw RelabelError("\(GoQuote.quote(name)) is not a valid label name")
        }
        let compiledRegex = try AnchoredRegex(regex)
        try Self.validate(
            action: parsedAction, sourceLabels: sourceLabels, separator: separator, targetLabel: targetLabel ?? "",
            regex: regex, modulus: modulus ?? 0, replacement: replacement)
        compiled = CompiledRule(
            action: parsedAction, sourceLabels: sourceLabels, separator: separator, targetLabel: targetLabel ?? "",
            regex: compiledRegex, modulus: modulus ?? 0, replacement: replacement)
    }

    /// Prometheus' `Config.Validate`, check for check and message for message.
    private static func validate(
        action: Action, sourceLabels: [String], separator: String, targetLabel: String, regex: String,
        modulus: UInt64, replacement: String
    ) throws(RelabelError) {
        let name = action.rawValue
        let target = GoQuote.quote(targetLabel)
        if action == .hashmod, modulus == 0 {
            throw RelabelError("relabel configuration for hashmod requires non-zero modulus")
        }
        let needsTarget: Set<Action> = [.replace, .hashmod, .lowercase, .uppercase, .keepequal, .dropequal]
        if needsTarget.contains(action), targetLabel.isEmpty {
            throw RelabelError("relabel configuration for \(name) action requires 'target_label' value")
        }
        // 2.42 checks these targets against its template expression, so `$1` passes (and is used literally
        // by every action but replace).
        let templatedTarget: Set<Action> = [.replace, .lowercase, .uppercase, .keepequal, .dropequal]
        if templatedTarget.contains(action), !LabelNameRules.isValidTemplate(targetLabel) {
            throw RelabelError("\(target) is invalid 'target_label' for \(name) action")
        }
        let literalTarget: Set<Action> = [.lowercase, .uppercase, .keepequal, .dropequal]
        if literalTarget.contains(action), replacement != defaultReplacement {
            throw RelabelError("'replacement' can not be set for \(name) action")
        }
        if action == .labelmap, !LabelNameRules.isValidTemplate(replacement) {
            throw RelabelError("\(GoQuote.quote(replacement)) is invalid 'replacement' for \(name) action")
        }
        if action == .hashmod, !LabelNameRules.isValid(targetLabel) {
            throw RelabelError("\(target) is invalid 'target_label' for \(name) action")
        }
        if action == .keepequal || action == .dropequal,
            regex != defaultRegex || modulus != 0 || separator != defaultSeparator || replacement != defaultReplacement
        {
            throw RelabelError(
                "\(name) action requires only 'source_labels' and `target_label`, and no other fields")
        }
        if action == .labeldrop || action == .labelkeep,
            !sourceLabels.isEmpty || !targetLabel.isEmpty || modulus != 0 || separator != defaultSeparator
                || replacement != defaultReplacement
        {
            throw RelabelError("\(name) action requires only 'regex', and no other fields")
        }
    }
}
