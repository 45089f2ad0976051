extension PromNaming {
    /// The Prometheus label name for an attribute key (spec "OTLP Metric points to Prometheus", Metric Attributes).
    ///
    /// Every character outside `[a-zA-Z0-9_]` becomes `_` and runs of `_` collapse to one (so a `__` prefix never
    /// survives: only the names a translator sets itself, like `__name__`, may use it). Then a leading digit gets a
    /// `key_` prefix and a leading `_` a `key` prefix (`_foo` → `key_foo`), as Prometheus' translator and the
    /// Collector do. Trailing `_` is kept. An empty key stays empty; ``LabelSetBuilder`` drops it.
    ///
    /// A key already in that form comes back as the same string without allocating.
    public static func labelName(_ key: String) -> String {
        key.withUTF8Bytes { bytes in
            if bytes.isEmpty || isCanonicalLabelName(bytes) { return key }
            return builtLabelName(bytes)
        }
    }

    /// `[a-zA-Z][a-zA-Z0-9_]*` without `__`.
    static func isCanonicalLabelName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, ASCII.isLetter(first) else { return false }
        var previous = first
        for byte in bytes {
            if byte == ASCII.underscore {
                if previous == ASCII.underscore { return false }
            } else if !ASCII.isAlphanumeric(byte) {
                return false
            }
            previous = byte
        }
        return true
    }

    private static func builtLabelName(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count + 4) { output in
            var writer = ByteWriter(output)
            let first = bytes[0]
            if ASCII.isDigit(first) {
                writer.append("key_")
            } else if !ASCII.isLetter(first) {
                writer.append("key")
            }
            var afterUnderscore = false
            for byte in bytes {
                if ASCII.isAlphanumeric(byte) {
                    writer.append(byte)
                    afterUnderscore = false
                } else if !afterUnderscore {
                    writer.append(ASCII.underscore)
                    afterUnderscore = true
                }
            }
            return writer.count
        }
    }
}
