/// Label names and stream selectors as Loki expects them (loki.md §1.1).
public enum LokiLabels {
    /// Turns `name` into a valid Loki/Prometheus label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
    ///
    /// Every other character (Unicode scalar) becomes `_`, a leading digit gets a `_` prefix and an
    /// empty name becomes `_`. Valid names are returned without copying.
    public static func sanitize(_ name: String) -> String {
        withUTF8Bytes(name) { bytes -> String in
            guard let first = bytes.first else { return "_" }
            if !ASCII.isDigit(first), bytes.allSatisfy(ASCII.isNameByte) { return name }
            // One output byte per scalar: continuation bytes (10xxxxxx) add nothing.
            let prefix = ASCII.isDigit(first) ? 1 : 0
            var count = prefix
            for b in bytes where b & 0xC0 != 0x80 { count += 1 }
            return String(unsafeUninitializedCapacity: count) { out in
                var i = 0
                if prefix == 1 {
                    out[0] = ASCII.underscore
                    i = 1
                }
                for b in bytes where b & 0xC0 != 0x80 {
                    out[i] = ASCII.isNameByte(b) ? b : ASCII.underscore
                    i += 1
                }
                return i
            }
        }
    }

    /// The stream selector text for `labels`, such as `{app="api", env="prod"}`.
    ///
    /// Names are sorted (byte order), joined by `", "` and written as given; values are quoted like
    /// Go's `strconv.Quote`: `\\`, `\"`, `\n`, `\t`, … and `\xHH`/`\u00HH` for other control characters.
    public static func selector(_ labels: [LokiLabel]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(selectorLength(labels))
        appendSelector(labels, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: Internals shared with the encoders.

    @inline(__always)
    static func precedes(_ a: LokiLabel, _ b: LokiLabel) -> Bool {
        a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
    }

    static func isSortedByName(_ labels: [LokiLabel]) -> Bool {
        var i = 1
        while i < labels.count {
            if precedes(labels[i], labels[i - 1]) { return false }
            i += 1
        }
        return true
    }

    /// Calls `body` with `labels` sorted by name, copying only when they are not sorted yet.
    @inline(__always)
    static func withSorted<R>(_ labels: [LokiLabel], _ body: ([LokiLabel]) throws -> R) rethrows -> R {
        if isSortedByName(labels) { return try body(labels) }
        return try body(labels.sorted(by: precedes))
    }

    /// `labels` sorted by name with unique names; of duplicates the last one wins.
    static func canonical(_ labels: [LokiLabel]) -> [LokiLabel] {
        var strictlySorted = true
        var i = 1
        while i < labels.count {
            if !precedes(labels[i - 1], labels[i]) {
                strictlySorted = false
                break
            }
            i += 1
        }
        if strictlySorted { return labels }
        // Sort by (name, position) so that the last duplicate ends up last in its run.
        let order = labels.indices.sorted { a, b in
            let x = labels[a].name.utf8, y = labels[b].name.utf8
            if x.elementsEqual(y) { return a < b }
            return x.lexicographicallyPrecedes(y)
        }
        var result: [LokiLabel] = []
        result.reserveCapacity(labels.count)
        for index in order {
            let label = labels[index]
            if let last = result.last, last.name == label.name {
                result[result.count - 1] = label
            } else {
                result.append(label)
            }
        }
        return result
    }

    /// Byte length of ``selector(_:)``'s output.
    static func selectorLength(_ labels: [LokiLabel]) -> Int {
        var n = 2 + (labels.isEmpty ? 0 : 2 * (labels.count - 1))
        for label in labels {
            n += label.name.utf8.count + 1 + withUTF8Bytes(label.value, quotedLength)
        }
        return n
    }

    static func appendSelector(_ labels: [LokiLabel], to output: inout [UInt8]) {
        withSorted(labels) { sorted in
            output.append(ASCII.openBrace)
            var first = true
            for label in sorted {
                if !first {
                    output.append(ASCII.comma)
                    output.append(ASCII.space)
                }
                first = false
                output.append(contentsOf: label.name.utf8)
                output.append(ASCII.equals)
                withUTF8Bytes(label.value) { appendQuoted($0, to: &output) }
            }
            output.append(ASCII.closeBrace)
        }
    }

    // MARK: Go-style quoting.
    //
    // `\\`, `\"`, the short escapes `\a \b \f \n \r \t \v`, other C0 controls and DEL as `\xHH`, C1
    // controls (U+0080–U+009F) as `\u00HH`. Every other scalar is kept as UTF-8; the input is a
    // Swift string's bytes, hence valid UTF-8.

    /// Length of the escape for `b` (1 = copied as is); `next` is the following byte or 0.
    @inline(__always)
    private static func escapeLength(_ b: UInt8, next: UInt8) -> Int {
        switch b {
        case ASCII.quote, ASCII.backslash, 0x07...0x0D: return 2
        case 0x00...0x1F, 0x7F: return 4
        case 0xC2 where next & 0xE0 == 0x80: return 6  // U+0080–U+009F, two input bytes
        default: return 1
        }
    }

    @inline(__always)
    private static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == ASCII.quote || b == ASCII.backslash || b == 0x7F || b == 0xC2
    }

    static func quotedLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 2 + bytes.count
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            if needsEscape(b) {
                let next = i + 1 < count ? bytes[i + 1] : 0
                let escaped = escapeLength(b, next: next)
                if escaped == 6 {
                    n += 4
                    i += 2
                    continue
                }
                n += escaped - 1
            }
            i += 1
        }
        return n
    }

    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(ASCII.quote)
        var run = 0
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            guard needsEscape(b) else {
                i += 1
                continue
            }
            let next = i + 1 < count ? bytes[i + 1] : 0
            switch b {
            case ASCII.quote, ASCII.backslash:
                appendRun(bytes, run, i, to: &output)
                output.append(ASCII.backslash)
                output.append(b)
            case 0x07...0x0D:
                appendRun(bytes, run, i, to: &output)
                output.append(ASCII.backslash)
                output.append(shortEscapes[Int(b - 0x07)])
            case 0x00...0x1F, 0x7F:
                appendRun(bytes, run, i, to: &output)
                output.append(contentsOf: [ASCII.backslash, 0x78, ASCII.lowerHex[Int(b >> 4)], ASCII.lowerHex[Int(b & 0xF)]])
            case 0xC2 where next & 0xE0 == 0x80:
                appendRun(bytes, run, i, to: &output)
                output.append(contentsOf: [ASCII.backslash, 0x75, ASCII.zero, ASCII.zero,
                                           ASCII.lowerHex[Int(next >> 4)], ASCII.lowerHex[Int(next & 0xF)]])
                i += 2
                run = i
                continue
            default:
                i += 1
                continue
            }
            i += 1
            run = i
        }
        appendRun(bytes, run, count, to: &output)
        output.append(ASCII.quote)
    }

    /// `a b t n v f r` for 0x07…0x0D.
    private static let shortEscapes: [UInt8] = [0x61, 0x62, 0x74, 0x6E, 0x76, 0x66, 0x72]
}
