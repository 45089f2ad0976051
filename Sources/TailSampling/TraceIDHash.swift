import OTelModel

/// A fast hash of trace ids for the sampler's own tables, in place of `Hasher` (SipHash), which
/// cost more than the table work around it.
///
/// Trace ids come from clients, so the hash is keyed with a secret chosen at start: the two halves
/// go through the MurmurHash3 64-bit finaliser one after the other, the first keyed by the secret.
/// Ids that collide cannot be crafted without knowing it.
enum TraceIDHash {
    static let key = UInt64.random(in: .min ... .max)

    @inline(__always)
    static func hash(_ id: TraceID) -> UInt64 {
        finalize(finalize(id.high ^ key) ^ id.low)
    }

    /// MurmurHash3's fmix64.
    @inline(__always)
    static func finalize(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k &*= 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k &*= 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }
}
