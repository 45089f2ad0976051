extension Duration {
    /// Seconds as a Double.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    /// Nanoseconds, clamped to what an Int64 holds.
    public var nanoseconds: Int64 {
        let c = components
        let (whole, overflow) = c.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return c.seconds < 0 ? .min : .max }
        let (sum, overflowAdding) = whole.addingReportingOverflow(c.attoseconds / 1_000_000_000)
        return overflowAdding ? (whole < 0 ? .min : .max) : sum
    }
}
