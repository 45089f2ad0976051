/// Conversions of numbers a scraped target controls into OTLP's unsigned fields. They saturate
/// instead of trapping: a target's timestamp in the year 300 000 000, a count of `NaN` or `+Inf`
/// or 1e300 must not take the agent down (and, since it scrapes again after a restart, keep it down).
enum ScrapedNumbers {
    /// 2^64 as a Double: the first value `UInt64(_:)` cannot hold.
    private static let uint64Limit = 18_446_744_073_709_551_616.0

    /// A non-negative Double as UInt64: NaN and negatives are 0, beyond the range `UInt64.max`.
    static func saturating(_ value: Double) -> UInt64 {
        guard value > 0 else { return 0 }  // NaN compares false
        guard value < uint64Limit else { return .max }
        return UInt64(value)
    }

    /// A count (histogram or summary `_count`, a bucket's increment), rounded.
    static func count(_ value: Double) -> UInt64 { saturating(value.rounded()) }

    /// Unix nanoseconds from a timestamp in milliseconds; before 1970 is 0, beyond 2554 `UInt64.max`.
    static func nanoseconds(milliseconds ms: Int64) -> UInt64 {
        let (ns, overflow) = UInt64(max(0, ms)).multipliedReportingOverflow(by: 1_000_000)
        return overflow ? .max : ns
    }

    /// Unix nanoseconds from a timestamp in (fractional) seconds, as `_created` and exemplars give it.
    static func nanoseconds(seconds: Double) -> UInt64 { saturating(seconds * 1e9) }
}
