/// Comment and metadata lines (`# HELP`, `# TYPE`, `# UNIT`, `# EOF`).
extension ExpositionParser {
    /// A Prometheus text line starting with `#` at `start`: HELP/TYPE metadata or an ignored comment.
    mutating func parsePrometheusComment(from start: Int) throws(ExpositionError) {
        var index = start + 1
        guard index < lineEnd, classes.test(bytes[index], ByteClasses.blank) else { return }
        index = skipBlanks(from: index)
        let kind: MetadataKinds
        if matches(index, "HELP") {
            kind = .help
        } else if matches(index, "TYPE") {
            kind = .type
        } else {
            return
        }
        guard index + 4 < lineEnd, classes.test(bytes[index + 4], ByteClasses.blank) else { return }
        index = skipBlanks(from: index + 4)
        let nameStart = index
        let nameEnd = try metadataName(from: nameStart, kind: kind)
        let textStart = skipBlanks(from: nameEnd)
        var textEnd = lineEnd
        while textEnd > textStart, classes.test(bytes[textEnd - 1], ByteClasses.blank) {
            textEnd -= 1
        }
        if kind == .type {
            let type = try typeWord(from: textStart, to: textEnd)
            _ = try familyForMetadata(.type, nameStart: nameStart, nameEnd: nameEnd)
            setCurrentType(type)
        } else {
            guard isValidUTF8(bytes, from: textStart, to: textEnd) else {
                throw fail("invalid UTF-8 in HELP text")
            }
            let help =
                textEnd > textStart
                ? unescapedString(from: textStart, to: textEnd, unescapesQuote: false, interned: false)
                : nil
            let family = try familyForMetadata(.help, nameStart: nameStart, nameEnd: nameEnd)
            families[family].help = help
        }
    }

    /// An OpenMetrics line starting with `#` at `start`; returns whether it is `# EOF`.
    mutating func parseOpenMetricsDescriptor(from start: Int) throws(ExpositionError) -> Bool {
        if lineEnd - start == 5, matches(start, "# EOF") {
            return true
        }
        let kind: MetadataKinds
        if matches(start, "# TYPE ") {
            kind = .type
        } else if matches(start, "# HELP ") {
            kind = .help
        } else if matches(start, "# UNIT ") {
            kind = .unit
        } else {
            throw fail(
                "unexpected line starting with '#' (OpenMetrics allows only \"# TYPE\", \"# UNIT\", "
                    + "\"# HELP\" and \"# EOF\"): \(snippet(start, lineEnd))"
            )
        }
        let nameStart = start + 7
        let nameEnd = try metadataName(from: nameStart, kind: kind)
        guard nameEnd < lineEnd else {
            throw fail("\(kind.keyword) line for \(snippet(nameStart, nameEnd)) has no text after the name")
        }
        let textStart = nameEnd + 1
        switch kind {
        case .type:
            let type = try typeWord(from: textStart, to: lineEnd)
            let family = try familyForMetadata(.type, nameStart: nameStart, nameEnd: nameEnd)
            if families[family].unit != nil, type == .info || type == .stateset {
                throw fail("\(type.rawValue) family \(families[family].name.debugDescription) must not have a unit")
            }
            setCurrentType(type)
        case .unit:
            var index = textStart
            while index < lineEnd, classes.test(bytes[index], ByteClasses.metricNameChar) {
                index += 1
            }
            guard index == lineEnd else {
                throw fail("invalid unit \(snippet(textStart, lineEnd))")
            }
            let unitCount = lineEnd - textStart
            let nameCount = nameEnd - nameStart
            if unitCount > 0 {
                guard nameCount > unitCount,
                    bytes[nameEnd - unitCount - 1] == UInt8(ascii: "_"),
                    bytesEqual(bytes + nameEnd - unitCount, bytes + textStart, count: unitCount)
                else {
                    throw fail(
                        "unit \(snippet(textStart, lineEnd)) is not a suffix of the metric name "
                            + "\(snippet(nameStart, nameEnd)) (expected the name to end with \"_<unit>\")"
                    )
                }
            }
            let family = try familyForMetadata(.unit, nameStart: nameStart, nameEnd: nameEnd)
            if unitCount > 0 {
                let type = families[family].type
                if type == .info || type == .stateset {
                    throw fail("\(type.rawValue) family \(families[family].name.debugDescription) must not have a unit")
                }
                families[family].unit = StringInterner.makeString(bytes + textStart, count: unitCount)
            }
        default:
            let help = try openMetricsHelp(from: textStart)
            let family = try familyForMetadata(.help, nameStart: nameStart, nameEnd: nameEnd)
            families[family].help = help
        }
        return false
    }

    /// Validates the metric name of a metadata line; returns its end, which is followed by a
    /// separator or the end of the line.
    private func metadataName(from start: Int, kind: MetadataKinds) throws(ExpositionError) -> Int {
        guard let end = metricNameEnd(from: start) else {
            throw fail("expected a metric name after \"# \(kind.keyword)\", found \(found(at: start))")
        }
        guard end == lineEnd || isSeparator(bytes[end]) else {
            throw fail("invalid metric name in \(kind.keyword) line: \(snippet(start, tokenEnd(from: start)))")
        }
        return end
    }

    /// The metric type spelled by `bytes[start..<end]`.
    private func typeWord(from start: Int, to end: Int) throws(ExpositionError) -> MetricType {
        guard end > start else {
            throw fail("TYPE line without a metric type")
        }
        let word = StringInterner.makeString(bytes + start, count: end - start)
        guard let type = MetricType(typeWord: word, openMetrics: openMetrics) else {
            throw fail("unknown metric type \(word.debugDescription)")
        }
        return type
    }

    /// An OpenMetrics HELP text (escaped-string up to the end of the line); `nil` when empty.
    private mutating func openMetricsHelp(from start: Int) throws(ExpositionError) -> String? {
        var index = start
        var escaped = false
        while index < lineEnd {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < lineEnd else {
                        throw fail("bad escape: backslash at the end of the HELP text")
                    }
                    escaped = true
                    index += bytes[index + 1] < 0x80 ? 2 : 1
                } else {
                    index += 1
                }
                continue
            }
            guard let length = utf8SequenceLength(bytes, at: index, end: lineEnd) else {
                throw fail("invalid UTF-8 in HELP text")
            }
            index += length
        }
        guard lineEnd > start else { return nil }
        if escaped {
            return unescapedString(from: start, to: lineEnd, unescapesQuote: true, interned: false)
        }
        return StringInterner.makeString(bytes + start, count: lineEnd - start)
    }
}
