/// A 16-byte W3C trace id. All zeros means "no trace id" (encoded as empty bytes).
public struct TraceID: Sendable, Hashable, CustomStringConvertible {
    /// The first eight bytes, big-endian.
    public var high: UInt64
    /// The last eight bytes, big-endian.
    public var low: UInt64

    public static let zero = TraceID(high: 0, low: 0)

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Reads 16 bytes (big-endian halves).
    @inlinable public init(bytes p: UnsafeRawPointer) {
        high = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
        low = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    public init?(hex: some StringProtocol) {
        let u = Array(hex.utf8)
        guard u.count == 32, let h = parseHex64(u[0..<16]), let l = parseHex64(u[16..<32]) else { return nil }
        high = h
        low = l
    }

    @inlinable public var isZero: Bool { high == 0 && low == 0 }
    public var hex: String { hex64(high) + hex64(low) }
    public var description: String { hex }
    public var bytes: [UInt8] { bigEndianBytes(high) + bigEndianBytes(low) }
}

/// An 8-byte span id. Zero means "no span id" (encoded as empty bytes).
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64
    public static let zero = SpanID(0)

    public init(_ value: UInt64) { self.value = value }

    @inlinable public init(bytes p: UnsafeRawPointer) {
        value = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
    }

    public init?(hex: some StringProtocol) {
        let u = Array(hex.utf8)
        guard u.count == 16, let v = parseHex64(u[0..<16]) else { return nil }
        value = v
    }

    @inlinable public var isZero: Bool { value == 0 }
    public var hex: String { hex64(value) }
    public var description: String { hex }
    public var bytes: [UInt8] { bigEndianBytes(value) }
}

@usableFromInline func hexNibble(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c &- UInt8(ascii: "A") &+ 10
    default: nil
    }
}

func parseHex64(_ s: ArraySlice<UInt8>) -> UInt64? {
    var v: UInt64 = 0
    for c in s {
        guard let n = hexNibble(c) else { return nil }
        v = v << 4 | UInt64(n)
    }
    return v
}

let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

func hex64(_ v: UInt64) -> String {
    String(unsafeUninitializedCapacity: 16) { buf in
        for i in 0..<16 { buf[i] = hexDigits[Int((v >> UInt64(60 - 4 * i)) & 0xF)] }
        return 16
    }
}

func bigEndianBytes(_ v: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: v >> UInt64(56 - 8 * $0)) }
}
