import OTelModel

/// A W3C `traceparent` value: `version-traceid-parentid-flags`, e.g.
/// `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`.
///
/// Version `00` is exactly 55 characters. A higher version is read the same way from its first 55
/// characters when the next character, if any, is `-`; version `ff` is invalid. Hex is accepted
/// in either case when reading logs (the spec requires lowercase). (W3C Trace Context §3.2)
public struct Traceparent: Sendable, Hashable {
    public var version: UInt8
    public var traceID: TraceID
    public var spanID: SpanID
    public var flags: UInt8

    public static let length = 55

    /// Why a value is not a usable `traceparent`.
    public enum Problem: Error, Sendable, Hashable {
        /// Not the `xx-32hex-16hex-xx` shape, wrong length, or version `ff`.
        case malformed
        case zeroTraceID
        case zeroSpanID
    }

    public init(version: UInt8 = 0, traceID: TraceID, spanID: SpanID, flags: UInt8) {
        self.version = version
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    /// Parses a whole value (surrounding spaces allowed).
    public static func parse(_ text: ByteString) -> Result<Traceparent, Problem> {
        text.withUnsafeBytes { raw in
            guard let t = TraceContext.trimmed(raw) else { return .failure(.malformed) }
            return parse(t, wholeValue: true)
        }
    }

    public static func parse(_ text: String) -> Result<Traceparent, Problem> { parse(ByteString(text)) }

    /// Parses the 55 characters at the start of `raw`. With `wholeValue`, version 00 must be the
    /// whole of `raw`; a higher version may be followed by `-` and more.
    static func parse(_ raw: UnsafeRawBufferPointer, wholeValue: Bool) -> Result<Traceparent, Problem> {
        guard hasShape(raw, at: 0) else { return .failure(.malformed) }
        guard let version = TraceContext.hex64(raw, 0, 2).map({ UInt8($0) }), version != 0xFF else { return .failure(.malformed) }
        if wholeValue && raw.count > length && (version == 0 || raw[length] != UInt8(ascii: "-")) {
            return .failure(.malformed)
        }
        guard let high = TraceContext.hex64(raw, 3, 16), let low = TraceContext.hex64(raw, 19, 16),
            let span = TraceContext.hex64(raw, 36, 16), let flags = TraceContext.hex64(raw, 53, 2)
        else { return .failure(.malformed) }
        let traceID = TraceID(high: high, low: low)
        if traceID.isZero { return .failure(.zeroTraceID) }
        if span == 0 { return .failure(.zeroSpanID) }
        return .success(Traceparent(version: version, traceID: traceID, spanID: SpanID(span), flags: UInt8(flags)))
    }

    /// True when the 55 bytes at `i` have the dashes and hex digits of a traceparent.
    static func hasShape(_ raw: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i + length <= raw.count else { return false }
        let dash = UInt8(ascii: "-")
        guard raw[i + 2] == dash, raw[i + 35] == dash, raw[i + 52] == dash else { return false }
        for (start, count) in [(0, 2), (3, 32), (36, 16), (53, 2)] {
            for k in i + start..<i + start + count where TraceContext.nibble(raw[k]) == 0xFF { return false }
        }
        return true
    }

    /// The first traceparent-shaped token in free text: not preceded by a letter, digit, `-` or
    /// `_`, and followed by the end, or a character other than a letter, digit or `_` (a `-` only
    /// for versions above 00).
    static func findToken(in raw: UnsafeRawBufferPointer) -> Range<Int>? {
        guard raw.count >= length else { return nil }
        var i = 0
        let last = raw.count - length
        while i <= last {
            // Cheap filter: a dash two bytes on, and at the other two dash positions.
            if raw[i + 2] == UInt8(ascii: "-") && raw[i + 35] == UInt8(ascii: "-") && raw[i + 52] == UInt8(ascii: "-")
                && (i == 0 || !isWordByte(raw[i - 1])) && hasShape(raw, at: i)
            {
                let versionZero = raw[i] == UInt8(ascii: "0") && raw[i + 1] == UInt8(ascii: "0")
                var boundary = true
                if i + length < raw.count {
                    let next = raw[i + length]
                    boundary = next == UInt8(ascii: "-") ? !versionZero : !isWordByte(next)
                }
                if boundary {
                    return i..<i + length
                }
            }
            i += 1
        }
        return nil
    }

    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        b &- UInt8(ascii: "0") < 10 || (b | 0x20) &- UInt8(ascii: "a") < 26 || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    /// The lowercase text form.
    public var description: String {
        let v = String(version, radix: 16)
        return (v.count == 1 ? "0" + v : v) + "-" + traceID.hex + "-" + spanID.hex + "-" + (flags < 16 ? "0" : "") + String(flags, radix: 16)
    }
}
