/// The OpenTelemetry ⇄ Prometheus naming rules of the spec "Prometheus and OpenMetrics Compatibility", for the
/// legacy Prometheus charset.
///
/// Names already in their final form come back as the same string without allocating; the rest are rebuilt
/// byte by byte in one allocation. ``NameCache`` keeps the rebuilt ones per exporter.
public enum PromNaming {
    /// The Prometheus metric family name for an OTLP metric (spec "OTLP Metric points to Prometheus").
    ///
    /// 1. Sanitise: every character outside `[a-zA-Z0-9_:]` becomes `_`, runs of `_` collapse to one, and `_`
    ///    at either end is dropped.
    /// 2. Unit: ``unitWord(_:kind:)`` is appended unless the name already contains it as whole `_`-separated
    ///    tokens (`duration_seconds` with unit `s` stays).
    /// 3. Type: counters end in `_total` (a `total` token elsewhere in the name moves to the end); ``PromMetricKind/info``
    ///    ends in `_info`, the gauge form of an Info metric. The type suffix follows the unit.
    /// 4. `namespace`, sanitised the same way, is prepended with `_`; it is not searched for the unit.
    /// 5. A result starting with a digit gets a `_` prefix.
    ///
    /// With `addSuffixes: false` (the Collector's `add_metric_suffixes: false`) steps 2 and 3 are skipped.
    /// A name with no valid characters yields `""`; the caller drops such a metric.
    public static func metricName(
        _ name: String,
        unit: String,
        kind: PromMetricKind,
        addSuffixes: Bool = true,
        namespace: String? = nil
    ) -> String {
        let plan = SuffixPlan(unit: unit, kind: kind, addSuffixes: addSuffixes)
        if let unchanged = unchangedMetricName(name, plan: plan, namespace: namespace) {
            return unchanged
        }
        return builtMetricName(name, plan: plan, namespace: namespace)
    }

    /// Whether `s` matches `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isValidMetricName(_ s: String) -> Bool {
        s.withUTF8Bytes { bytes in
            guard let first = bytes.first,
                ASCII.isLetter(first) || first == ASCII.underscore || first == ASCII.colon
            else { return false }
            return bytes.allSatisfy { ASCII.isMetricTokenByte($0) || $0 == ASCII.underscore }
        }
    }

    /// Whether `s` matches `[a-zA-Z_][a-zA-Z0-9_]*`.
    public static func isValidLabelName(_ s: String) -> Bool {
        s.withUTF8Bytes { bytes in
            guard let first = bytes.first, ASCII.isLetter(first) || first == ASCII.underscore else { return false }
            return bytes.allSatisfy { ASCII.isAlphanumeric($0) || $0 == ASCII.underscore }
        }
    }

    // MARK: - Metric name internals

    /// `name` itself when it is already the final name, without allocating; `nil` when it must be rebuilt.
    static func unchangedMetricName(_ name: String, plan: SuffixPlan, namespace: String?) -> String? {
        if let namespace, !namespace.isEmpty { return nil }
        let final = name.withUTF8Bytes { bytes in
            canonicalMetricName(bytes).map { hasSuffixes(bytes, $0, plan: plan) } ?? false
        }
        return final ? name : nil
    }

    /// What one pass over a canonical metric name learned.
    struct CanonicalName {
        /// Whether a `total` token occurs before the last token.
        var hasEarlierTotal: Bool
    }

    /// Whether a canonical name already carries the unit and type suffixes of `plan`, with no `total` token
    /// before the final one of a counter.
    static func hasSuffixes(_ bytes: UnsafeBufferPointer<UInt8>, _ scan: CanonicalName, plan: SuffixPlan) -> Bool {
        var stem = 0..<bytes.count
        switch plan.typeSuffix {
        case .none:
            break
        case .total:
            guard !scan.hasEarlierTotal, let end = stemEnd(bytes, droppingLast: "total") else { return false }
            stem = 0..<end
        case .info:
            guard let end = stemEnd(bytes, droppingLast: "info") else { return false }
            stem = 0..<end
        }
        guard let unitWord = plan.unitWord else { return true }
        return unitWord.withUTF8Bytes { containsTokenSequence(bytes, in: stem, $0) }
    }

    /// Scans a name once; non-`nil` when the bytes are exactly what the rebuild would produce from them: tokens of
    /// `[a-zA-Z0-9:]` joined by single `_`s, with a leading `_` exactly when a digit follows it.
    static func canonicalMetricName(_ bytes: UnsafeBufferPointer<UInt8>) -> CanonicalName? {
        guard let first = bytes.first else { return nil }
        var index = 0
        if first == ASCII.underscore {
            guard bytes.count > 1, ASCII.isDigit(bytes[1]) else { return nil }
            index = 1
        } else if ASCII.isDigit(first) {
            return nil
        }
        var tokenStart = index
        var hasEarlierTotal = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.underscore {
                // A token ends here; an empty one means a leading, doubled or trailing separator.
                let length = index - tokenStart
                if length == 0 { return nil }
                if length == 5, bytes.bytes(in: tokenStart..<index, equal: "total") { hasEarlierTotal = true }
                tokenStart = index + 1
            } else if !ASCII.isMetricTokenByte(byte) {
                return nil
            }
            index += 1
        }
        guard tokenStart < bytes.count else { return nil }
        return CanonicalName(hasEarlierTotal: hasEarlierTotal)
    }

    /// The end of the name before a final `_<token>` (or 0 when the name is just the token); `nil` when the last
    /// token is something else.
    private static func stemEnd(_ bytes: UnsafeBufferPointer<UInt8>, droppingLast token: StaticString) -> Int? {
        let length = token.utf8CodeUnitCount
        guard bytes.count >= length, bytes.bytes(in: (bytes.count - length)..<bytes.count, equal: token) else {
            return nil
        }
        if bytes.count == length { return 0 }
        let separator = bytes.count - length - 1
        return bytes[separator] == ASCII.underscore ? separator : nil
    }

    /// Rebuilds the name from its tokens in a single allocation.
    static func builtMetricName(_ name: String, plan: SuffixPlan, namespace: String?) -> String {
        name.withUTF8Bytes { nameBytes in
            (namespace ?? "").withUTF8Bytes { namespaceBytes in
                (plan.unitWord ?? "").withUTF8Bytes { unitBytes in
                    // Sanitising never lengthens; add separators, "_total" and a digit guard.
                    let capacity = namespaceBytes.count + nameBytes.count + unitBytes.count + 10
                    return String(unsafeUninitializedCapacity: capacity) { output in
                        var writer = ByteWriter(output)
                        var namespaceTokens = TokenIterator(namespaceBytes, allowsColon: true)
                        while let token = namespaceTokens.next() {
                            writer.appendToken(namespaceBytes, token)
                        }
                        var nameTokens = TokenIterator(nameBytes, allowsColon: true)
                        var next = nameTokens.next()
                        guard next != nil else { return 0 }
                        var stemStart: Int?
                        while let token = next {
                            next = nameTokens.next()
                            switch plan.typeSuffix {
                            case .total where nameBytes.bytes(in: token, equal: "total"):
                                continue
                            case .info where next == nil && nameBytes.bytes(in: token, equal: "info"):
                                continue
                            default:
                                break
                            }
                            if stemStart == nil {
                                stemStart = writer.count == 0 ? 0 : writer.count + 1
                            }
                            writer.appendToken(nameBytes, token)
                        }
                        if !unitBytes.isEmpty {
                            let present = stemStart.map {
                                containsTokenSequence(writer.written, in: $0..<writer.count, unitBytes)
                            } ?? false
                            if !present {
                                writer.appendToken(unitBytes, 0..<unitBytes.count)
                            }
                        }
                        switch plan.typeSuffix {
                        case .none: break
                        case .total: writer.appendToken("total")
                        case .info: writer.appendToken("info")
                        }
                        if ASCII.isDigit(output[0]) {
                            writer.prepend("_")
                        }
                        return writer.count
                    }
                }
            }
        }
    }
}
