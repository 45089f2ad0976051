@testable import LogOps
import OTelModel

/// A string value.
func s(_ text: String) -> AnyValue { .string(ByteString(text)) }

/// An entry whose body is `text`.
func entry(body text: String) -> LogEntry { LogEntry(body: s(text)) }

extension Array where Element == KeyValue {
    /// The value of `key`, for assertions.
    subscript(_ key: String) -> AnyValue? { self[key: ByteString(key)] }
    var keys: [String] { map { $0.key.string } }
}

extension AnyValue {
    var map: [KeyValue]? {
        if case .kvlist(let m) = self { return m }
        return nil
    }
}

/// Deterministic pseudo-random bytes (xorshift), for fuzz-style tests.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
