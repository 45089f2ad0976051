/// Per-byte character classes of the exposition grammars, looked up once per input byte.
///
/// Owns a 256-entry table for the duration of one parse so the hot loops index raw memory.
struct ByteClasses: ~Copyable {
    /// `[a-zA-Z_:]`
    static let metricNameStart: UInt8 = 1 << 0
    /// `[a-zA-Z0-9_:]`
    static let metricNameChar: UInt8 = 1 << 1
    /// `[a-zA-Z_]`
    static let labelNameStart: UInt8 = 1 << 2
    /// `[a-zA-Z0-9_]`
    static let labelNameChar: UInt8 = 1 << 3
    /// Bytes that end the fast scan of a quoted string: `"`, `\` and every non-ASCII byte.
    static let stringSpecial: UInt8 = 1 << 4
    /// Space or tab.
    static let blank: UInt8 = 1 << 5

    private let table: UnsafeMutablePointer<UInt8>

    init() {
        table = .allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        let letters = Array(UInt8(ascii: "a")...UInt8(ascii: "z")) + Array(UInt8(ascii: "A")...UInt8(ascii: "Z"))
        for byte in letters {
            table[Int(byte)] = Self.metricNameStart | Self.metricNameChar | Self.labelNameStart | Self.labelNameChar
        }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") {
            table[Int(byte)] = Self.metricNameChar | Self.labelNameChar
        }
        table[Int(UInt8(ascii: "_"))] =
            Self.metricNameStart | Self.metricNameChar | Self.labelNameStart | Self.labelNameChar
        table[Int(UInt8(ascii: ":"))] = Self.metricNameStart | Self.metricNameChar
        table[Int(UInt8(ascii: "\""))] = Self.stringSpecial
        table[Int(UInt8(ascii: "\\"))] = Self.stringSpecial
        for byte in 0x80...0xFF {
            table[byte] = Self.stringSpecial
        }
        table[Int(UInt8(ascii: " "))] = Self.blank
        table[Int(UInt8(ascii: "\t"))] = Self.blank
    }

    deinit {
        table.deallocate()
    }

    @inline(__always)
    func test(_ byte: UInt8, _ classes: UInt8) -> Bool {
        table[Int(byte)] & classes != 0
    }
}

/// Returns the length of the well-formed UTF-8 sequence starting with the non-ASCII byte at
/// `index`, or `nil` if the bytes there are not valid UTF-8 (overlong forms, surrogates, code
/// points above U+10FFFF, truncated sequences). Never reads at or beyond `end`.
@inline(__always)
func utf8SequenceLength(_ bytes: UnsafePointer<UInt8>, at index: Int, end: Int) -> Int? {
    let lead = bytes[index]
    let length: Int
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0: length = 3; low = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: length = 3; high = 0x9F
    case 0xF0: length = 4; low = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4: length = 4; high = 0x8F
    default: return nil
    }
    guard end - index >= length else { return nil }
    let second = bytes[index + 1]
    guard second >= low, second <= high else { return nil }
    var offset = 2
    while offset < length {
        guard bytes[index + offset] & 0xC0 == 0x80 else { return nil }
        offset += 1
    }
    return length
}

/// Whether `bytes[start..<end]` is valid UTF-8.
func isValidUTF8(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
    var index = start
    while index < end {
        if bytes[index] < 0x80 {
            index += 1
            continue
        }
        guard let length = utf8SequenceLength(bytes, at: index, end: end) else { return false }
        index += length
    }
    return true
}

/// Whether `bytes[start..<start+count]` equals `other[0..<count]`.
@inline(__always)
func bytesEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, count: Int) -> Bool {
    var index = 0
    let lhsRaw = UnsafeRawPointer(lhs)
    let rhsRaw = UnsafeRawPointer(rhs)
    while index + 8 <= count {
        if lhsRaw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            != rhsRaw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        {
            return false
        }
        index += 8
    }
    while index < count {
        if lhs[index] != rhs[index] { return false }
        index += 1
    }
    return true
}
