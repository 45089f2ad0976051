/// What ``PromNaming/metricName(_:unit:kind:addSuffixes:namespace:)`` appends to a sanitised name.
struct SuffixPlan {
    enum TypeSuffix {
        case none
        /// Counters: every `total` token moves to the end, and one is added if missing.
        case total
        /// Info metrics exported where the Info type does not exist (Remote Write, text 0.0.4): a trailing
        /// `info` token stays last, and one is added if missing.
        case info
    }

    /// The unit word, already clean (tokens joined by single `_`); `nil` for none.
    var unitWord: String?
    var typeSuffix: TypeSuffix

    init(unit: String, kind: PromMetricKind, addSuffixes: Bool) {
        guard addSuffixes else {
            unitWord = nil
            typeSuffix = .none
            return
        }
        unitWord = PromNaming.unitWord(unit, kind: kind)
        switch kind {
        case .counter: typeSuffix = .total
        case .info: typeSuffix = .info
        case .gauge, .histogram, .summary, .stateset, .unknown: typeSuffix = .none
        }
    }
}
