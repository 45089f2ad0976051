/// A validated rule with its regex, templates and label names compiled, applied to label bytes.
final class CompiledRule: Sendable {
    let action: RelabelRule.Action
    let sourceLabels: [String]
    let separator: String
    let targetLabel: String
    let regexStorage: AnchoredRegex
    /// An unretained view of `regexStorage` (which keeps it alive), so matching retains nothing.
    unowned(unsafe) let regex: AnchoredRegex
    let modulus: UInt64
    let replacement: String
    let targetTemplate: ReplacementTemplate
    let replacementTemplate: ReplacementTemplate
    private let sourceNames: [[UInt8]]
    private let separatorBytes: [UInt8]
    private let targetName: [UInt8]

    init(
        action: RelabelRule.Action, sourceLabels: [String], separator: String, targetLabel: String,
        regex: AnchoredRegex, modulus: UInt64, replacement: String
    ) {
        self.action = action
        self.sourceLabels = sourceLabels
        self.separator = separator
        self.targetLabel = targetLabel
        regexStorage = regex
        self.regex = regex
        self.modulus = modulus
        self.replacement = replacement
        targetTemplate = ReplacementTemplate(
            targetLabel, captureCount: regex.captureCount, groupsByName: regex.groupsByName)
        replacementTemplate = ReplacementTemplate(
            replacement, captureCount: regex.captureCount, groupsByName: regex.groupsByName)
        sourceNames = sourceLabels.map { Array($0.utf8) }
        separatorBytes = Array(separator.utf8)
        targetName = Array(targetLabel.utf8)
    }

    /// Applies the rule to `labels`; false when the label set is dropped.
    @inline(__always)
    func apply(to labels: inout LabelSet) -> Bool {
        switch action {
        case .drop:
            return !withSourceValue(labels) { regex.matches($0) }
        case .keep:
            return withSourceValue(labels) { regex.matches($0) }
        case .dropequal:
            return !targetEqualsSource(labels)
        case .keepequal:
            return targetEqualsSource(labels)
        case .replace:
            replace(in: &labels)
        case .lowercase:
            setTarget(withSourceValue(labels) { GoCaseMapping.lowercased($0) }, in: &labels)
        case .uppercase:
            setTarget(withSourceValue(labels) { GoCaseMapping.uppercased($0) }, in: &labels)
        case .hashmod:
            let bucket = withSourceValue(labels) { Self.hash($0) } % modulus
            setTarget(Array(String(bucket).utf8), in: &labels)
        case .labelmap:
            mapNames(in: &labels)
        case .labeldrop:
            labels.removeAll { regex.matches($0) }
        case .labelkeep:
            labels.removeAll { !regex.matches($0) }
        }
        return true
    }

    /// Calls `body` with the source label values joined by the separator; absent labels count as empty.
    @inline(__always)
    private func withSourceValue<R>(_ labels: LabelSet, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        switch sourceNames.count {
        case 0:
            return body(UnsafeBufferPointer(start: nil, count: 0))
        case 1:
            return sourceNames[0].withUnsafeBufferPointer { labels.withValue(of: $0, body) }
        default:
            var joined: [UInt8] = []
            for (index, name) in sourceNames.enumerated() {
                if index > 0 { joined += separatorBytes }
                name.withUnsafeBufferPointer { labels.withValue(of: $0) { joined += $0 } }
            }
            return joined.withUnsafeBufferPointer(body)
        }
    }

    private func targetEqualsSource(_ labels: LabelSet) -> Bool {
        withSourceValue(labels) { value in
            targetName.withUnsafeBufferPointer { name in labels.withValue(of: name) { $0.bytesEqual(value) } }
        }
    }

    /// Sets the literal `target_label` (an empty value deletes it).
    private func setTarget(_ value: [UInt8], in labels: inout LabelSet) {
        targetName.withUnsafeBufferPointer { name in
            value.withUnsafeBufferPointer { labels.set(name, $0) }
        }
    }

    private enum ReplaceOutcome {
        case unchanged
        case deleteTarget
        case set(name: [UInt8], value: [UInt8])
    }

    /// Prometheus 2.42's replace: on a match, an invalid expanded name or an empty expanded value deletes the
    /// label named by the configured (unexpanded) `target_label`.
    private func replace(in labels: inout LabelSet) {
        let outcome: ReplaceOutcome = withSourceValue(labels) { value in
            if let target = targetTemplate.constant, let result = replacementTemplate.constant {
                guard regex.matches(value) else { return .unchanged }
                return result.isEmpty ? .deleteTarget : .set(name: target, value: result)
            }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: regex.captureSlots) { captures in
                captures.initialize(repeating: -1)
                guard regex.firstMatch(value, captures: captures) else { return .unchanged }
                let target = targetTemplate.expand(value, captures: captures)
                if targetTemplate.constant == nil, !target.withUnsafeBufferPointer(LabelNameRules.isValid) {
                    return .deleteTarget
                }
                let result = replacementTemplate.expand(value, captures: captures)
                return result.isEmpty ? .deleteTarget : .set(name: target, value: result)
            }
        }
        switch outcome {
        case .unchanged:
            break
        case .deleteTarget:
            targetName.withUnsafeBufferPointer { labels.remove($0) }
        case .set(let name, let value):
            name.withUnsafeBufferPointer { name in value.withUnsafeBufferPointer { labels.set(name, $0) } }
        }
    }

    /// Copies every label whose name matches to the expanded name; later names win, as in Prometheus.
    private func mapNames(in labels: inout LabelSet) {
        var updates: [(name: [UInt8], value: [UInt8])] = []
        withUnsafeTemporaryAllocation(of: Int.self, capacity: regex.captureSlots) { captures in
            labels.forEachLabel { name, value in
                if let constant = replacementTemplate.constant {
                    if regex.matches(name) { updates.append((constant, Array(value))) }
                    return
                }
                captures.initialize(repeating: -1)
                if regex.firstMatch(name, captures: captures) {
                    updates.append((replacementTemplate.expand(name, captures: captures), Array(value)))
                }
            }
        }
        for update in updates {
            update.name.withUnsafeBufferPointer { name in
                update.value.withUnsafeBufferPointer { labels.set(name, $0) }
            }
        }
    }

    /// The last 8 bytes of the MD5 digest, big-endian (Prometheus' `hashmod`).
    static func hash(_ value: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let digest = MD5.digest(value)
        var result: UInt64 = 0
        for byte in digest[8..<16] {
            result = result << 8 | UInt64(byte)
        }
        return result
    }

    static func hash(_ value: String) -> UInt64 {
        value.withUTF8Bytes(hash)
    }
}
