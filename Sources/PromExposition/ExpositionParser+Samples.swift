/// Sample lines: `name[{labels}] value [timestamp] [# {labels} value [timestamp]]`.
extension ExpositionParser {
    /// Parses the sample line whose metric name starts at `start` and appends the sample.
    mutating func parseSample(from start: Int) throws(ExpositionError) {
        guard let nameEnd = metricNameEnd(from: start) else {
            throw fail("expected a metric name, found \(found(at: start))")
        }
        let (family, suffix) = try resolveFamily(nameStart: start, nameEnd: nameEnd)
        let name = sampleName(from: start, to: nameEnd)

        var index = nameEnd
        var labels: [Label] = []
        if openMetrics {
            if index < lineEnd, bytes[index] == UInt8(ascii: "{") {
                index = try parseLabelSet(from: index + 1, cached: true)
                labels = labelBuffer.take()
            }
            guard index < lineEnd, bytes[index] == UInt8(ascii: " ") else {
                throw fail(
                    "expected a single space and the value after \(snippet(start, index)), found \(found(at: index))")
            }
            index += 1
        } else {
            var separated = index
            index = skipBlanks(from: index)
            if index < lineEnd, bytes[index] == UInt8(ascii: "{") {
                index = try parseLabelSet(from: index + 1, cached: true)
                labels = labelBuffer.take()
                separated = index
                index = skipBlanks(from: index)
            }
            guard index > separated, index < lineEnd else {
                throw fail(
                    "expected whitespace and the value after \(snippet(start, separated)), "
                        + "found \(found(at: separated))"
                )
            }
        }
        let valueStart = index
        index = tokenEnd(from: index)
        let value = try number(from: valueStart, to: index, what: "value")

        var timestamp: Int64?
        var exemplar: Exemplar?
        if openMetrics {
            if index < lineEnd {
                index += 1  // the single space
                if index < lineEnd, bytes[index] != UInt8(ascii: "#") {
                    let timestampStart = index
                    index = tokenEnd(from: index)
                    timestamp = try openMetricsTimestamp(from: timestampStart, to: index)
                    if index < lineEnd {
                        index += 1
                    }
                }
                if index < lineEnd || bytes[index - 1] == UInt8(ascii: " ") {
                    exemplar = try parseExemplar(from: index, family: family, suffix: suffix, sampleName: name)
                }
            }
        } else {
            index = skipBlanks(from: index)
            if index < lineEnd {
                let timestampStart = index
                index = tokenEnd(from: index)
                timestamp = try prometheusTimestamp(from: timestampStart, to: index)
                index = skipBlanks(from: index)
                guard index == lineEnd else {
                    throw fail("unexpected text after the timestamp: \(snippet(index, lineEnd))")
                }
            }
        }
        let sample = Sample(
            family: family,
            name: consume name,
            labels: consume labels,
            value: value,
            timestampMs: timestamp,
            exemplar: consume exemplar
        )
        samples.append(consume sample)
    }

    /// The string for a sample name, reusing the previous line's when the bytes are equal.
    @inline(__always)
    private mutating func sampleName(from start: Int, to end: Int) -> String {
        let count = end - start
        if count == lastSampleNameCount, bytesEqual(bytes + start, bytes + lastSampleNameStart, count: count) {
            return lastSampleName
        }
        let name = interner.intern(bytes + start, count: count)
        lastSampleNameStart = start
        lastSampleNameCount = count
        lastSampleName = name
        return name
    }

    /// A sample or exemplar value.
    @inline(__always)
    private func number(from start: Int, to end: Int, what: String) throws(ExpositionError) -> Double {
        do {
            return try NumberParser.double(bytes, from: start, to: end)
        } catch {
            throw numberFailure(error, start, end, what: what)
        }
    }

    @inline(never)
    private func numberFailure(_ error: NumberError, _ start: Int, _ end: Int, what: String) -> ExpositionError {
        guard start < end else {
            return fail("missing \(what)")
        }
        switch error {
        case .range:
            return fail("\(what) \(snippet(start, end)) is out of the float64 range")
        case .syntax:
            return fail("invalid \(what) \(snippet(start, end))")
        }
    }

    private func prometheusTimestamp(from start: Int, to end: Int) throws(ExpositionError) -> Int64 {
        do {
            return try NumberParser.integerMilliseconds(bytes, from: start, to: end)
        } catch {
            if bytes[start] == UInt8(ascii: "#") {
                throw fail("exemplars are not supported in the Prometheus text format: \(snippet(start, lineEnd))")
            }
            if bytes[start] == UInt8(ascii: "-") {
                throw fail(
                    "negative timestamp \(snippet(start, end)) "
                        + "(Prometheus text timestamps are unsigned integer milliseconds)"
                )
            }
            if error == .range {
                throw fail("timestamp \(snippet(start, end)) overflows Int64 milliseconds")
            }
            throw fail("invalid timestamp \(snippet(start, end)) (expected integer milliseconds)")
        }
    }

    private func openMetricsTimestamp(from start: Int, to end: Int) throws(ExpositionError) -> Int64 {
        do {
            return try NumberParser.secondsAsMilliseconds(bytes, from: start, to: end)
        } catch {
            if start == end {
                throw fail("expected a timestamp or exemplar after the value, found a second space")
            }
            if error == .range {
                throw fail("timestamp \(snippet(start, end)) is out of range")
            }
            throw fail("invalid timestamp \(snippet(start, end)) (expected finite float seconds)")
        }
    }

    /// Parses `# {labels} value [timestamp]` at `start` up to the end of the line.
    private mutating func parseExemplar(
        from start: Int,
        family: Int,
        suffix: SampleSuffix,
        sampleName: String
    ) throws(ExpositionError) -> Exemplar {
        guard start < lineEnd else {
            throw fail("trailing space at the end of the sample line")
        }
        guard matches(start, "# {") else {
            throw fail("expected \"# {\" to start an exemplar, found \(found(at: start))")
        }
        let type = families[family].type
        let allowed =
            (type == .counter && suffix == .total)
            || ((type == .histogram || type == .gaugehistogram) && suffix == .bucket)
        guard allowed else {
            throw fail(
                "exemplar on \(sampleName.debugDescription) of \(type.rawValue) family "
                    + "\(families[family].name.debugDescription); exemplars are only allowed on counter _total "
                    + "and histogram _bucket samples"
            )
        }
        var index = try parseLabelSet(from: start + 3, cached: false)
        let labels = labelBuffer.take()
        var codePoints = 0
        for label in labels {
            codePoints += label.name.utf8.count
            for byte in label.value.utf8 where byte & 0xC0 != 0x80 {
                codePoints += 1
            }
        }
        guard codePoints <= 128 else {
            throw fail("exemplar labels have \(codePoints) code points; at most 128 are allowed")
        }
        guard index < lineEnd, bytes[index] == UInt8(ascii: " ") else {
            throw fail("expected a single space and the exemplar value, found \(found(at: index))")
        }
        index += 1
        let valueStart = index
        index = tokenEnd(from: index)
        let value = try number(from: valueStart, to: index, what: "exemplar value")
        var timestamp: Double?
        if index < lineEnd {
            index += 1
            let timestampStart = index
            index = tokenEnd(from: index)
            do {
                timestamp = try NumberParser.seconds(bytes, from: timestampStart, to: index)
            } catch {
                throw fail("invalid exemplar timestamp \(snippet(timestampStart, index))")
            }
            guard index == lineEnd else {
                throw fail("unexpected text after the exemplar timestamp: \(snippet(index, lineEnd))")
            }
        }
        return Exemplar(labels: labels, value: value, timestamp: timestamp)
    }
}
