extension LokiPushEncoding {
    /// The JSON push body for `streams` (loki.md §1.2), UTF-8, for `Content-Type: application/json`.
    ///
    /// Each value is `["<ns>", "<line>"]`, with a third object of structured metadata only when the
    /// entry has some. Stream labels are written sorted by name.
    public static func json(_ streams: [LokiStream]) -> [UInt8] {
        var output: [UInt8] = []
        var capacity = 16
        for stream in streams {
            capacity += estimatedSize(of: stream) + 24 + 8 * stream.labels.count + 24 * stream.entries.count
        }
        output.reserveCapacity(capacity)
        output.append(contentsOf: #"{"streams":["#.utf8)
        for (i, stream) in streams.enumerated() {
            if i > 0 { output.append(ASCII.comma) }
            output.append(contentsOf: #"{"stream":"#.utf8)
            LokiLabels.withSorted(stream.labels) { appendObject($0, to: &output) }
            output.append(contentsOf: #","values":["#.utf8)
            for (j, entry) in stream.entries.enumerated() {
                if j > 0 { output.append(ASCII.comma) }
                output.append(ASCII.openBracket)
                output.append(ASCII.quote)
                ASCII.appendDecimal(entry.timestampNanos, to: &output)
                output.append(ASCII.quote)
                output.append(ASCII.comma)
                appendJSONString(entry.line, to: &output)
                if !entry.structuredMetadata.isEmpty {
                    output.append(ASCII.comma)
                    appendObject(entry.structuredMetadata, to: &output)
                }
                output.append(ASCII.closeBracket)
            }
            output.append(contentsOf: "]}".utf8)
        }
        output.append(contentsOf: "]}".utf8)
        return output
    }

    /// `{"name":"value",…}` in the given order.
    private static func appendObject(_ labels: [LokiLabel], to output: inout [UInt8]) {
        output.append(ASCII.openBrace)
        for (i, label) in labels.enumerated() {
            if i > 0 { output.append(ASCII.comma) }
            appendJSONString(label.name, to: &output)
            output.append(ASCII.colon)
            appendJSONString(label.value, to: &output)
        }
        output.append(ASCII.closeBrace)
    }

    @inline(__always)
    private static func appendJSONString(_ string: String, to output: inout [UInt8]) {
        withUTF8Bytes(string) { appendJSONString($0, to: &output) }
    }

    /// Appends `bytes` as a JSON string (RFC 8259 §7): `"` and `\` escaped, control characters as
    /// `\n`-style or `\u00XX` escapes, and each maximal invalid UTF-8 subpart as U+FFFD.
    static func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(ASCII.quote)
        var run = 0
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            if b >= 0x20, b < 0x80, b != ASCII.quote, b != ASCII.backslash {
                i += 1
                continue
            }
            if b >= 0x80 {
                let (valid, length) = utf8Sequence(bytes, at: i)
                if valid {
                    i += length
                    continue
                }
                appendRun(bytes, run, i, to: &output)
                output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                i += length
                run = i
                continue
            }
            appendRun(bytes, run, i, to: &output)
            output.append(ASCII.backslash)
            switch b {
            case ASCII.quote, ASCII.backslash: output.append(b)
            case 0x08: output.append(0x62)  // b
            case 0x09: output.append(0x74)  // t
            case 0x0A: output.append(0x6E)  // n
            case 0x0C: output.append(0x66)  // f
            case 0x0D: output.append(0x72)  // r
            default:
                output.append(contentsOf: [0x75, ASCII.zero, ASCII.zero,
                                           ASCII.lowerHex[Int(b >> 4)], ASCII.lowerHex[Int(b & 0xF)]])
            }
            i += 1
            run = i
        }
        appendRun(bytes, run, count, to: &output)
        output.append(ASCII.quote)
    }

    /// Whether a well-formed UTF-8 sequence (Unicode Table 3-7) starts at `i`, and its length, or
    /// else the length of the maximal invalid subpart there (at least 1).
    static func utf8Sequence(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (valid: Bool, length: Int) {
        let lead = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return (false, 1)
        }
        var k = 1
        while k < length {
            guard i + k < bytes.count else { return (false, k) }
            let c = bytes[i + k]
            if k == 1 {
                guard c >= low, c <= high else { return (false, 1) }
            } else {
                guard c & 0xC0 == 0x80 else { return (false, k) }
            }
            k += 1
        }
        return (true, length)
    }
}
