extension PromNaming {
    /// The Prometheus unit word for a UCUM unit (`s` → `seconds`, `By/s` → `bytes_per_second`), or `nil` for none.
    ///
    /// Implements the unit rules of the spec's "OTLP Metric points to Prometheus" / Metric Metadata:
    /// - table units become their plural word; the part after the first `/` becomes `per_` + a singular word
    ///   (`s` second, `m` minute, `h` hour, `d` day, `w` week, `mo` month, `y` year);
    /// - everything in `{…}` is dropped (an unclosed `{` drops the rest), so `{request}` has no word and
    ///   `{packet}/s` is `per_second`; blanks around the unit and around each side of `/` are ignored;
    /// - `1` has no word, except for a ``PromMetricKind/gauge`` where it is `ratio`; `1/s` is `per_second`;
    /// - other units are sanitised: runs of characters outside `[a-zA-Z0-9]` become one `_`, trimmed at the ends.
    ///
    /// Known units, `1` and braces-only units are answered without allocating.
    public static func unitWord(_ ucum: String, kind: PromMetricKind) -> String? {
        if ucum.isEmpty { return nil }
        return ucum.withUTF8Bytes { bytes in
            if bytes.count == 1, bytes[0] == UInt8(ascii: "1") { return kind == .gauge ? "ratio" : nil }
            return UnitTable.directWord(bytes) ?? composedUnitWord(bytes, kind: kind)
        }
    }

    /// The UCUM unit for a Prometheus unit word (`seconds` → `s`, `bytes_per_second` → `By/s`, `ratio` → `1`),
    /// for `# UNIT` lines and name suffixes read by a receiver.
    ///
    /// `X_per_Y` becomes `X/Y` with each side translated when known (the singular per-unit words first, then
    /// the plural table words); a missing `X` (`per_second`) becomes `1`. Unknown words are returned unchanged.
    /// The older spelling `tibibytes` is read as `TiBy`.
    public static func ucumUnit(_ word: String) -> String {
        if let unit = UnitTable.unitByWord[ByteKey(word)] { return unit }
        guard let (numerator, denominator) = splitRate(word) else { return word }
        let top = numerator.isEmpty ? "1" : (UnitTable.unitByWord[ByteKey(numerator)] ?? numerator)
        let bottom = UnitTable.perUnitByWord[ByteKey(denominator)]
            ?? UnitTable.unitByWord[ByteKey(denominator)]
            ?? denominator
        return top + "/" + bottom
    }

    /// Splits `X_per_Y` (or `per_Y`) at the first `per` token with a non-empty right side.
    private static func splitRate(_ word: String) -> (String, String)? {
        word.withUTF8Bytes { bytes -> (String, String)? in
            var tokens = TokenIterator(bytes, allowsColon: true)
            while let token = tokens.next() {
                guard bytes.bytes(in: token, equal: "per") else { continue }
                let leftEnd = token.lowerBound == 0 ? 0 : token.lowerBound - 1
                let rightStart = token.upperBound + 1
                guard token.lowerBound == 0 || bytes[leftEnd] == ASCII.underscore,
                    token.upperBound < bytes.count, bytes[token.upperBound] == ASCII.underscore,
                    rightStart < bytes.count
                else { continue }
                let left = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<leftEnd]), as: UTF8.self)
                let right = String(decoding: UnsafeBufferPointer(rebasing: bytes[rightStart...]), as: UTF8.self)
                return (left, right)
            }
            return nil
        }
    }

    /// The general path of ``unitWord(_:kind:)``: braces, blanks, `1`, rates and unknown units.
    private static func composedUnitWord(_ unit: UnsafeBufferPointer<UInt8>, kind: PromMetricKind) -> String? {
        let stripped = withoutAnnotations(unit)
        if stripped.isEmpty { return nil }
        if equalUTF8(stripped, "1") { return kind == .gauge ? "ratio" : nil }
        return stripped.withUTF8Bytes { bytes -> String? in
            if let word = UnitTable.directWord(bytes) { return word }
            let slash = bytes.firstIndex(of: ASCII.slash)
            let mainRange = trimmed(bytes, 0..<(slash ?? bytes.count))
            var main: String?
            if !mainRange.isEmpty, !bytes.bytes(in: mainRange, equal: "1") {
                let part = String(decoding: UnsafeBufferPointer(rebasing: bytes[mainRange]), as: UTF8.self)
                main = UnitTable.mainWordByUnit[ByteKey(part)] ?? sanitizedUnitWord(bytes, mainRange)
            }
            var per: String?
            if let slash {
                let perRange = trimmed(bytes, (slash + 1)..<bytes.count)
                if !perRange.isEmpty {
                    let part = String(decoding: UnsafeBufferPointer(rebasing: bytes[perRange]), as: UTF8.self)
                    per = UnitTable.perWordByUnit[ByteKey(part)] ?? sanitizedUnitWord(bytes, perRange)
                }
            }
            switch (main, per) {
            case (nil, nil): return nil
            case (let main?, nil): return main
            case (nil, let per?): return "per_" + per
            case (let main?, let per?): return main + "_per_" + per
            }
        }
    }

    /// The unit without `{…}` annotations and surrounding blanks; short results stay in small-string storage.
    private static func withoutAnnotations(_ unit: UnsafeBufferPointer<UInt8>) -> String {
        let range = trimmed(unit, 0..<unit.count)
        guard unit[range].contains(ASCII.openBrace) else {
            return String(decoding: UnsafeBufferPointer(rebasing: unit[range]), as: UTF8.self)
        }
        let kept = String(unsafeUninitializedCapacity: range.count) { output in
            var writer = ByteWriter(output)
            var depth = 0
            for index in range {
                let byte = unit[index]
                if byte == ASCII.openBrace {
                    depth = 1
                } else if depth > 0 {
                    if byte == ASCII.closeBrace { depth = 0 }
                } else {
                    writer.append(byte)
                }
            }
            return writer.count
        }
        return kept.withUTF8Bytes { bytes in
            let inner = trimmed(bytes, 0..<bytes.count)
            return inner.count == bytes.count
                ? kept : String(decoding: UnsafeBufferPointer(rebasing: bytes[inner]), as: UTF8.self)
        }
    }

    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, ASCII.isBlank(bytes[lower]) { lower += 1 }
        while upper > lower, ASCII.isBlank(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// An unknown unit as a suffix: alphanumeric runs joined by `_`, `nil` when none remain.
    private static func sanitizedUnitWord(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
        let part = UnsafeBufferPointer(rebasing: bytes[range])
        let word = String(unsafeUninitializedCapacity: part.count) { output in
            var writer = ByteWriter(output)
            var tokens = TokenIterator(part, allowsColon: false)
            while let token = tokens.next() {
                writer.appendToken(part, token)
            }
            return writer.count
        }
        return word.isEmpty ? nil : word
    }
}
