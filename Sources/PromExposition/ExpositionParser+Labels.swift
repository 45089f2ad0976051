/// Label sets: `{name="value",...}` for samples and exemplars.
extension ExpositionParser {
    /// Parses the labels after an opening `{` at `start - 1` into ``labelBuffer``; returns the
    /// index after the closing `}`.
    ///
    /// With `cached`, names and values equal to those at the same position of the previous cached
    /// label set reuse its strings without being scanned again (their bytes were validated then).
    @inline(__always)
    mutating func parseLabelSet(from start: Int, cached: Bool) throws(ExpositionError) -> Int {
        var index = start
        var position = cached ? 0 : TokenCache.positions
        while true {
            if !openMetrics {
                index = skipBlanks(from: index)
            }
            guard index < lineEnd else {
                throw fail("unterminated label set (missing '}')")
            }
            if bytes[index] == UInt8(ascii: "}") {
                return index + 1
            }
            let nameStart = index
            let name: String
            if position < TokenCache.positions, let cachedName = cachedLabelName(at: position, from: nameStart) {
                name = cachedName
                index += labelCache.name(at: position).pointee.count
            } else {
                guard classes.test(bytes[index], ByteClasses.labelNameStart) else {
                    throw fail("expected a label name, found \(found(at: index))")
                }
                index += 1
                while index < lineEnd, classes.test(bytes[index], ByteClasses.labelNameChar) {
                    index += 1
                }
                if index - nameStart >= 2, bytes[nameStart] == UInt8(ascii: "_"),
                    bytes[nameStart + 1] == UInt8(ascii: "_")
                {
                    throw fail("label name \(snippet(nameStart, index)) is reserved (names starting with \"__\")")
                }
                name = interner.intern(bytes + nameStart, count: index - nameStart)
                if position < TokenCache.positions {
                    labelCache.name(at: position).pointee = TokenCache.Entry(
                        start: nameStart, count: index - nameStart, string: name)
                }
            }
            let nameEnd = index
            if !openMetrics {
                index = skipBlanks(from: index)
            }
            guard index < lineEnd, bytes[index] == UInt8(ascii: "=") else {
                throw fail("expected '=' after label name \(snippet(nameStart, nameEnd)), found \(found(at: index))")
            }
            index += 1
            if !openMetrics {
                index = skipBlanks(from: index)
            }
            guard index < lineEnd, bytes[index] == UInt8(ascii: "\"") else {
                throw fail(
                    "expected '\"' to open the value of label \(snippet(nameStart, nameEnd)), found \(found(at: index))"
                )
            }
            let value: String
            (value, index) = try parseLabelValue(from: index + 1, position: position, interned: cached)
            position += 1
            try checkUniqueLabelName(start: nameStart, count: nameEnd - nameStart, index: labelBuffer.count)
            labelBuffer.append(Label(name: consume name, value: consume value))
            if !openMetrics {
                index = skipBlanks(from: index)
            }
            guard index < lineEnd else {
                throw fail("unterminated label set (missing '}')")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: ",") {
                index += 1
            } else if byte == UInt8(ascii: "}") {
                return index + 1
            } else {
                throw fail("expected ',' or '}' after a label value, found \(found(at: index))")
            }
        }
    }

    /// Parses a label value after its opening quote at `start - 1`; returns the unescaped value and
    /// the index after the closing quote. Exemplar values (trace ids) are not `interned`: they
    /// rarely repeat.
    @inline(__always)
    private mutating func parseLabelValue(
        from start: Int,
        position: Int,
        interned: Bool
    ) throws(ExpositionError) -> (String, Int) {
        if position < TokenCache.positions {
            let entry = labelCache.value(at: position)
            let count = entry.pointee.count
            if count >= 0, start + count < lineEnd, bytes[start + count] == UInt8(ascii: "\""),
                bytesEqual(bytes + start, bytes + entry.pointee.start, count: count)
            {
                return (entry.pointee.string, start + count + 1)
            }
        }
        var index = start
        var escaped = false
        while true {
            guard index < lineEnd else {
                throw fail("unterminated label value (missing closing '\"')")
            }
            let byte = bytes[index]
            if !classes.test(byte, ByteClasses.stringSpecial) {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                break
            }
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < lineEnd else {
                    throw fail("bad escape: backslash at the end of the line in a label value")
                }
                escaped = true
                index += bytes[index + 1] < 0x80 ? 2 : 1
                continue
            }
            guard let length = utf8SequenceLength(bytes, at: index, end: lineEnd) else {
                throw fail("invalid UTF-8 in label value")
            }
            index += length
        }
        let value: String
        if escaped {
            value = unescapedString(from: start, to: index, unescapesQuote: true, interned: interned)
        } else if interned {
            value = interner.intern(bytes + start, count: index - start)
        } else {
            value = StringInterner.makeString(bytes + start, count: index - start)
        }
        if position < TokenCache.positions {
            labelCache.value(at: position).pointee = TokenCache.Entry(start: start, count: index - start, string: value)
        }
        return (value, index + 1)
    }

    /// The cached name at `position` if the bytes at `start` spell it and the name ends there.
    @inline(__always)
    private func cachedLabelName(at position: Int, from start: Int) -> String? {
        let entry = labelCache.name(at: position)
        let count = entry.pointee.count
        guard count > 0, start + count < lineEnd,
            !classes.test(bytes[start + count], ByteClasses.labelNameChar),
            bytesEqual(bytes + start, bytes + entry.pointee.start, count: count)
        else { return nil }
        return entry.pointee.string
    }

    /// Records the name range of the label at `index` of the current set and fails if an earlier
    /// label of the set has the same name. The first labels are compared one by one (sets are small);
    /// past ``linearLabelChecks`` the names go into a hash table, so a line with a million labels
    /// costs a million lookups, not half a trillion comparisons.
    @inline(__always)
    private mutating func checkUniqueLabelName(start: Int, count: Int, index: Int) throws(ExpositionError) {
        if index >= labelNameRangeCapacity {
            growLabelNameRanges()
        }
        if index < Self.linearLabelChecks {
            var earlier = 0
            while earlier < index {
                let earlierStart = labelNameRanges[2 * earlier]
                if labelNameRanges[2 * earlier + 1] == count, bytesEqual(bytes + earlierStart, bytes + start, count: count)
                {
                    throw fail("duplicate label name \(snippet(start, start + count))")
                }
                earlier += 1
            }
        } else {
            if index == Self.linearLabelChecks {
                labelNameIndex.removeAll(keepingCapacity: true)
                for earlier in 0..<index {
                    labelNameIndex[nameHash(labelNameRanges[2 * earlier], labelNameRanges[2 * earlier + 1]), default: []].append(earlier)
                }
            }
            let hash = nameHash(start, count)
            for earlier in labelNameIndex[hash] ?? [] {
                if labelNameRanges[2 * earlier + 1] == count, bytesEqual(bytes + labelNameRanges[2 * earlier], bytes + start, count: count) {
                    throw fail("duplicate label name \(snippet(start, start + count))")
                }
            }
            labelNameIndex[hash, default: []].append(index)
        }
        labelNameRanges[2 * index] = start
        labelNameRanges[2 * index + 1] = count
    }

    /// Label sets up to this size are checked for duplicate names by comparing each pair.
    static var linearLabelChecks: Int { 32 }

    private func nameHash(_ start: Int, _ count: Int) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(start: bytes + start, count: count))
        return hasher.finalize()
    }

    private mutating func growLabelNameRanges() {
        let capacity = labelNameRangeCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
        grown.update(from: labelNameRanges, count: labelNameRangeCapacity * 2)
        labelNameRanges.deallocate()
        labelNameRanges = grown
        labelNameRangeCapacity = capacity
    }
}
