/// Single-pass parser for Prometheus text 0.0.4 and OpenMetrics 1.0 text expositions.
///
/// Works on the raw bytes of the response body: every read is bounded by the current line's end,
/// strings are created only for final names and values, and repeated names and values are shared
/// through a per-parse ``StringInterner``. Any violation throws ``ExpositionError`` with the
/// 1-based line number; nothing partial is returned (OpenMetrics: "Partial or invalid expositions
/// MUST be considered erroneous in their entirety"; Prometheus fails the scrape the same way).
///
/// Decisions where the specifications leave room (section A of the Prometheus reference):
///
/// Both formats
/// - Line endings: a single `\r` immediately before `\n` (or before the end of the input) is
///   stripped, so CRLF expositions parse. Prometheus does not strip it and fails on the value
///   token; accepting is the more useful choice and cannot change the meaning of a valid line.
///   A `\r` anywhere else is an ordinary byte (part of a label value or HELP, invalid elsewhere).
/// - Values: Go `ParseFloat` decimal syntax with optional sign, fraction and exponent, plus the
///   case-insensitive `inf`/`infinity` (optionally signed) and `nan` (unsigned); hex floats and
///   `_` separators are rejected like Prometheus does. Conversion is correctly rounded; a finite
///   decimal that overflows float64 (`1e400`) is rejected like Go's range error, an underflow
///   becomes zero. NaN is returned as the ordinary quiet NaN, never the staleness bit pattern.
/// - Label values: `\\`, `\"` and `\n` are unescaped; a backslash before any other character is
///   kept verbatim with that character (Prometheus' behaviour, and the OpenMetrics ABNF
///   `BS normal-char`); a backslash at the end of the line is a "bad escape" error. A raw
///   newline cannot occur because parsing is line-based. NUL bytes are allowed.
/// - Invalid UTF-8 in label values or HELP text is an error; comment lines (Prometheus text) are
///   not inspected.
/// - Label names starting with `__` are rejected as reserved; a single leading `_` is allowed.
///   A label name repeated within one label set is an error (Prometheus fails such a scrape).
///   Empty label values are kept as written; dropping them is up to the consumer.
/// - `{}` is an empty label set; one trailing comma is allowed (`{a="1",}`), also in
///   OpenMetrics, as Prometheus allows; `{,}`, doubled commas and missing commas are errors.
/// - Quoted UTF-8 metric or label names (text format 1.0.0) are not supported and are errors.
/// - Metadata must precede the family's samples: a TYPE/HELP/UNIT line for a name whose family
///   already has samples, or a second TYPE/HELP/UNIT for the same family, or metadata for a name
///   used by an earlier family, is an error. An empty HELP/UNIT text still counts as the line but
///   yields `nil`.
/// - Value-level semantics (counter monotonicity, bucket cumulativity and `+Inf` presence,
///   `_count` = `+Inf` bucket, info value 1, stateset 0/1, sorted `le`/`quantile`) are not
///   checked here; they belong to the stage that assembles histograms and summaries.
///
/// Prometheus text 0.0.4
/// - Tokens are separated by any run of spaces and tabs; leading and trailing blanks on a line are
///   ignored; blank lines are ignored. Blanks are also allowed around `{`, `}`, `=` and `,` inside a
///   label set (as Prometheus' lexer allows). At least one blank must separate the value from the
///   name or label set, and the timestamp from the value.
/// - `#` followed by a blank and the word `HELP` or `TYPE` followed by a blank is metadata; every
///   other `#` line (`#HELP`, `# EOF`, `# UNIT ...`) is a comment and ignored.
/// - HELP text unescapes only `\\` and `\n` (other backslashes are literal, including a trailing
///   one); trailing blanks are trimmed. TYPE words are `counter`, `gauge`, `histogram`, `summary`,
///   `untyped` (→ ``MetricType/unknown``); anything else, or extra words, is an error.
/// - Timestamps are decimal digits only (integer milliseconds); a sign, a fraction or an Int64
///   overflow is an error, so negative timestamps are rejected like Prometheus' lexer does.
/// - Exemplars do not exist in this format: `# {...}` after a value is an error.
/// - A final line without `\n` is accepted (Prometheus accepts it); the empty body is valid.
/// - Family assignment: a sample belongs to the current family if its name is the family name
///   (counter, gauge, untyped, summary quantiles) or the family name plus `_bucket`, `_count`,
///   `_sum` (histogram) or `_count`, `_sum` (summary). Otherwise, as in Prometheus, it does not
///   belong to the previous TYPE'd family: if an earlier family accepts the name (a family split
///   into non-contiguous groups, common in hand-written exporters and tolerated by Prometheus),
///   the sample rejoins that family; if not, it starts a new untyped family named after the
///   sample. A sample that shares the exact name of a family that cannot hold it (e.g. `foo`
///   after `# TYPE foo histogram`) is an error.
///
/// OpenMetrics 1.0
/// - The grammar is the ABNF's: exactly one space between tokens, no leading or trailing blanks,
///   no tabs, no blank lines, and no `#` lines other than `# TYPE`, `# UNIT`, `# HELP` and
///   `# EOF`. `# HELP name` without the space before the (empty) text is an error, as in the ABNF.
/// - The exposition must end with `# EOF`, optionally followed by one line feed; a missing `# EOF`
///   (reported one line past the end) or any byte after it fails the whole exposition.
/// - HELP text unescapes like label values; a raw `"` in HELP is accepted (Prometheus accepts it,
///   and HELP runs to the end of the line so it is unambiguous). TYPE words are the eight
///   OpenMetrics types, case-sensitive; `untyped` is an error.
/// - UNIT: the unit must be the family-name suffix after an underscore; Info and StateSet
///   families must not have a unit.
/// - Sample names must carry the suffixes of their family's type: counter `_total`/`_created`,
///   histogram `_bucket`/`_count`/`_sum`/`_created`, gaugehistogram `_bucket`/`_gcount`/`_gsum`,
///   summary none/`_count`/`_sum`/`_created`, info `_info`, gauge/stateset/unknown none. A sample
///   that does not fit the current family starts a new family of type unknown named after the
///   sample (the spec's "new sample metric name which cannot be part of the previous
///   MetricFamily"), unless that name is already a family (e.g. `foo 1` after `# TYPE foo counter`
///   is an error) or belongs to an earlier family (interleaving is an error).
/// - Family names must not clash with other families' sample names (a gauge `foo_total` next to a
///   counter `foo`); checked when a family receives its first sample.
/// - Timestamps are float seconds converted exactly from the decimal text to milliseconds,
///   truncated toward zero (Prometheus truncates `ts*1000`); negative timestamps are allowed;
///   NaN, infinities and values outside Int64 milliseconds are errors.
/// - Exemplars (`# {labels} value [timestamp]`) are accepted only on counter `_total` and
///   histogram/gaugehistogram `_bucket` samples; their label names and values may total at most
///   128 code points; the exemplar timestamp stays in float seconds.
struct ExpositionParser: ~Copyable {
    static let missingEOFMessage = "exposition does not end with \"# EOF\" (truncated, or not OpenMetrics)"

    let bytes: UnsafePointer<UInt8>
    let count: Int
    let openMetrics: Bool
    let classes = ByteClasses()
    var interner = StringInterner()
    let labelCache = TokenCache()
    var labelBuffer = LabelBuffer()
    var scratch: UnsafeMutablePointer<UInt8>
    var scratchCapacity = 256
    /// Start and length of each label name of the label set being parsed, for duplicate checks.
    var labelNameRanges: UnsafeMutablePointer<Int>
    var labelNameRangeCapacity = 16
    /// Label name hashes of a large label set, to the indices carrying them (see `checkUniqueLabelName`).
    var labelNameIndex: [Int: [Int]] = [:]

    var families: [Family] = []
    var records: [FamilyRecord] = []
    var familyIndexByName: [String: Int] = [:]
    var samples: [Sample] = []

    /// Index of the family samples are currently assigned to, or -1 before the first one.
    var current = -1
    var currentNameStart = 0
    var currentNameCount = 0
    var currentAllowedSuffixes: UInt16 = 0
    var currentHasSamples = false

    var lastSampleNameStart = 0
    var lastSampleNameCount = -1
    var lastSampleName = ""

    var lineNumber = 0
    /// End of the current line, excluding `\n` and a stripped `\r`.
    var lineEnd = 0

    init(bytes: UnsafePointer<UInt8>, count: Int, format: ExpositionFormat) {
        self.bytes = bytes
        self.count = count
        self.openMetrics = format == .openMetrics
        self.scratch = .allocate(capacity: scratchCapacity)
        self.labelNameRanges = .allocate(capacity: labelNameRangeCapacity * 2)
        samples.reserveCapacity(count / 64 + 1)
    }

    deinit {
        scratch.deallocate()
        labelNameRanges.deallocate()
    }

    /// Parses the whole input.
    mutating func parse() throws(ExpositionError) -> Exposition {
        var position = 0
        var sawEOF = false
        while position < count {
            lineNumber += 1
            let newline = findNewline(from: position)
            var end = newline
            if end > position, bytes[end - 1] == UInt8(ascii: "\r") {
                end -= 1
            }
            lineEnd = end
            if openMetrics {
                if sawEOF {
                    throw fail("unexpected data after \"# EOF\"")
                }
                sawEOF = try parseOpenMetricsLine(from: position)
            } else {
                try parsePrometheusLine(from: position)
            }
            position = newline + 1
        }
        if openMetrics, !sawEOF {
            lineNumber += 1
            throw fail(Self.missingEOFMessage)
        }
        return Exposition(families: families, samples: samples)
    }

    /// One Prometheus text line: blank, comment/metadata, or sample.
    @inline(__always)
    private mutating func parsePrometheusLine(from start: Int) throws(ExpositionError) {
        let index = skipBlanks(from: start)
        guard index < lineEnd else { return }
        if bytes[index] == UInt8(ascii: "#") {
            try parsePrometheusComment(from: index)
        } else {
            try parseSample(from: index)
        }
    }

    /// One OpenMetrics line; returns whether it was `# EOF`.
    @inline(__always)
    private mutating func parseOpenMetricsLine(from start: Int) throws(ExpositionError) -> Bool {
        guard start < lineEnd else {
            throw fail("empty line (not allowed in OpenMetrics)")
        }
        if bytes[start] == UInt8(ascii: "#") {
            return try parseOpenMetricsDescriptor(from: start)
        }
        try parseSample(from: start)
        return false
    }

    // MARK: - Byte helpers

    /// Index of the next `\n` at or after `start`, or `count`. Scans eight bytes per step.
    @inline(__always)
    func findNewline(from start: Int) -> Int {
        var index = start
        let raw = UnsafeRawPointer(bytes)
        while index + 8 <= count {
            let word =
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                ^ 0x0A0A_0A0A_0A0A_0A0A
            let zeroBytes = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if zeroBytes != 0 {
                return index + zeroBytes.trailingZeroBitCount >> 3
            }
            index += 8
        }
        while index < count {
            if bytes[index] == UInt8(ascii: "\n") { return index }
            index += 1
        }
        return count
    }

    @inline(__always)
    func skipBlanks(from start: Int) -> Int {
        var index = start
        while index < lineEnd, classes.test(bytes[index], ByteClasses.blank) {
            index += 1
        }
        return index
    }

    /// Whether `byte` ends a token: a space in OpenMetrics, a space or tab in Prometheus text.
    @inline(__always)
    func isSeparator(_ byte: UInt8) -> Bool {
        openMetrics ? byte == UInt8(ascii: " ") : classes.test(byte, ByteClasses.blank)
    }

    /// End of the token starting at `start` (the next separator or the end of the line).
    @inline(__always)
    func tokenEnd(from start: Int) -> Int {
        var index = start
        while index < lineEnd, !isSeparator(bytes[index]) {
            index += 1
        }
        return index
    }

    /// End of the metric name starting at `start`, or `nil` if no name starts there.
    @inline(__always)
    func metricNameEnd(from start: Int) -> Int? {
        guard start < lineEnd, classes.test(bytes[start], ByteClasses.metricNameStart) else { return nil }
        var index = start + 1
        while index < lineEnd, classes.test(bytes[index], ByteClasses.metricNameChar) {
            index += 1
        }
        return index
    }

    @inline(__always)
    func matches(_ start: Int, _ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        return lineEnd - start >= length && bytesEqual(bytes + start, text.utf8Start, count: length)
    }

    /// Makes the scratch buffer hold at least `capacity` bytes.
    mutating func reserveScratch(_ capacity: Int) {
        guard capacity > scratchCapacity else { return }
        var newCapacity = scratchCapacity
        while newCapacity < capacity { newCapacity *= 2 }
        scratch.deallocate()
        scratch = .allocate(capacity: newCapacity)
        scratchCapacity = newCapacity
    }

    /// Unescapes `bytes[start..<end]` into a string: `\\` and `\n` always, `\"` when
    /// `unescapesQuote`; any other backslash is kept. The input must be valid UTF-8.
    mutating func unescapedString(from start: Int, to end: Int, unescapesQuote: Bool, interned: Bool) -> String {
        reserveScratch(end - start)
        var output = 0
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < end {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "\\") {
                    scratch[output] = UInt8(ascii: "\\")
                    index += 2
                } else if next == UInt8(ascii: "n") {
                    scratch[output] = UInt8(ascii: "\n")
                    index += 2
                } else if next == UInt8(ascii: "\""), unescapesQuote {
                    scratch[output] = UInt8(ascii: "\"")
                    index += 2
                } else {
                    scratch[output] = byte
                    index += 1
                }
            } else {
                scratch[output] = byte
                index += 1
            }
            output += 1
        }
        return interned
            ? interner.intern(scratch, count: output)
            : StringInterner.makeString(scratch, count: output)
    }

    // MARK: - Errors

    func fail(_ message: String) -> ExpositionError {
        ExpositionError(line: lineNumber, message: message)
    }

    /// `bytes[start..<end]` as a quoted, escaped snippet for error messages (at most 64 bytes).
    func snippet(_ start: Int, _ end: Int) -> String {
        let clampedEnd = min(end, start + 64)
        var text = String(
            decoding: UnsafeBufferPointer(start: bytes + start, count: max(0, clampedEnd - start)), as: UTF8.self)
        if clampedEnd < end {
            text += "…"
        }
        return text.debugDescription
    }

    /// A snippet of the rest of the line from `start`, or "end of line".
    func found(at start: Int) -> String {
        start < lineEnd ? snippet(start, lineEnd) : "end of line"
    }
}

/// Parser-side bookkeeping of one family.
struct FamilyRecord {
    /// Byte range of the family name in the input.
    var nameStart: Int
    var nameCount: Int
    var metadata: MetadataKinds = []
    var hasSamples = false
}

/// Which metadata lines a family has had.
struct MetadataKinds: OptionSet {
    let rawValue: UInt8
    static let type = MetadataKinds(rawValue: 1 << 0)
    static let help = MetadataKinds(rawValue: 1 << 1)
    static let unit = MetadataKinds(rawValue: 1 << 2)

    var keyword: String {
        switch self {
        case .type: "TYPE"
        case .help: "HELP"
        default: "UNIT"
        }
    }
}
