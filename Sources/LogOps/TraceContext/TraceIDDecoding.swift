import OTelModel

/// Reading trace ids, span ids and trace flags from log values.
///
/// Ids are hex of the right length (32 for a trace id, 16 for a span id), either case, or raw
/// bytes of the right length; all zeros is invalid. Flags are two hex digits (one is accepted),
/// or an integer 0–255. (W3C Trace Context; OTel "Trace Context in non-OTLP Log Formats")
extension TraceContext {
    public static func traceID(from value: AnyValue) -> TraceID? {
        switch value {
        case .string(let s):
            return s.withUnsafeBytes { raw in
                guard let trimmed = trimmed(raw), trimmed.count == 32,
                    let high = hex64(trimmed, 0, 16), let low = hex64(trimmed, 16, 16)
                else { return nil }
                let id = TraceID(high: high, low: low)
                return id.isZero ? nil : id
            }
        case .bytes(let b):
            guard b.count == 16 else { return nil }
            let id = b.withUnsafeBytes { TraceID(bytes: $0.baseAddress!) }
            return id.isZero ? nil : id
        default:
            return nil
        }
    }

    public static func spanID(from value: AnyValue) -> SpanID? {
        switch value {
        case .string(let s):
            return s.withUnsafeBytes { raw in
                guard let trimmed = trimmed(raw), trimmed.count == 16, let v = hex64(trimmed, 0, 16), v != 0 else { return nil }
                return SpanID(v)
            }
        case .bytes(let b):
            guard b.count == 8 else { return nil }
            let id = b.withUnsafeBytes { SpanID(bytes: $0.baseAddress!) }
            return id.isZero ? nil : id
        default:
            return nil
        }
    }

    public static func traceFlags(from value: AnyValue) -> UInt8? {
        switch value {
        case .string(let s):
            return s.withUnsafeBytes { raw in
                guard let trimmed = trimmed(raw), (1...2).contains(trimmed.count), let v = hex64(trimmed, 0, trimmed.count) else { return nil }
                return UInt8(v)
            }
        case .bytes(let b):
            guard b.count == 1 else { return nil }
            return b.withUnsafeBytes { $0[0] }
        case .int(let n):
            return UInt8(exactly: n)
        default:
            return nil
        }
    }

    /// The bytes without surrounding ASCII spaces and tabs, or nil when nothing is left.
    @inline(__always) static func trimmed(_ raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var lo = 0
        var hi = raw.count
        while lo < hi && (raw[lo] == 0x20 || raw[lo] == 0x09) { lo += 1 }
        while hi > lo && (raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09) { hi -= 1 }
        guard lo < hi else { return nil }
        return UnsafeRawBufferPointer(rebasing: raw[lo..<hi])
    }

    /// The value of `count` (≤ 16) hex digits at `offset`, either case; nil for a non-hex byte.
    @inline(__always) static func hex64(_ raw: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> UInt64? {
        var v: UInt64 = 0
        var bad: UInt8 = 0
        for i in offset..<offset + count {
            let n = nibble(raw[i])
            bad |= n
            v = v << 4 | UInt64(n & 0x0F)
        }
        return bad & 0x80 == 0 ? v : nil
    }

    /// A hex digit's value, or 0xFF.
    @inline(__always) static func nibble(_ c: UInt8) -> UInt8 {
        let d = c &- UInt8(ascii: "0")
        if d < 10 { return d }
        let l = (c | 0x20) &- UInt8(ascii: "a")
        if l < 6 { return l &+ 10 }
        return 0xFF
    }
}
