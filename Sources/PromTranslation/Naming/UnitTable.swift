/// The UCUM ⇄ Prometheus unit words of the compatibility spec ("OTLP Metric points to Prometheus", Metric
/// Metadata) and the lookups derived from them once.
enum UnitTable {
    /// UCUM unit → plural word used as a name suffix and as `# UNIT`.
    static let mainUnits: KeyValuePairs<String, String> = [
        // Time
        "d": "days",
        "h": "hours",
        "min": "minutes",
        "s": "seconds",
        "ms": "milliseconds",
        "us": "microseconds",
        "ns": "nanoseconds",
        // Bytes
        "By": "bytes",
        "KiBy": "kibibytes",
        "MiBy": "mebibytes",
        "GiBy": "gibibytes",
        "TiBy": "tebibytes",
        "kBy": "kilobytes",
        "MBy": "megabytes",
        "GBy": "gigabytes",
        "TBy": "terabytes",
        // SI
        "m": "meters",
        "V": "volts",
        "A": "amperes",
        "J": "joules",
        "W": "watts",
        "g": "grams",
        // Misc
        "Cel": "celsius",
        "Hz": "hertz",
        "%": "percent",
    ]

    /// UCUM unit after `/` → singular word following `per_`. `m` is a minute here, not a meter, as in the spec.
    static let perUnits: KeyValuePairs<String, String> = [
        "s": "second",
        "m": "minute",
        "h": "hour",
        "d": "day",
        "w": "week",
        "mo": "month",
        "y": "year",
    ]

    /// Words accepted from Prometheus that no UCUM unit produces any more.
    static let legacyWords: KeyValuePairs<String, String> = [
        "tibibytes": "TiBy",
    ]

    /// Every whole unit the table answers directly: the main units, `X/Y`, `1/Y` and `/Y`.
    static var directEntries: [(unit: String, word: String)] {
        var entries: [(unit: String, word: String)] = mainUnits.map { ($0.key, $0.value) }
        for (perUnit, perWord) in perUnits {
            entries.append(("/" + perUnit, "per_" + perWord))
            entries.append(("1/" + perUnit, "per_" + perWord))
            for (unit, word) in mainUnits {
                entries.append((unit + "/" + perUnit, word + "_per_" + perWord))
            }
        }
        return entries
    }

    /// Up to 7 bytes and their count in one integer (never 0 for a non-empty unit); `nil` for longer units, of
    /// which the table has none.
    @inline(__always)
    static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count <= 7 else { return nil }
        var value = UInt64(bytes.count) << 56
        var shift: UInt64 = 0
        for byte in bytes {
            value |= UInt64(byte) << shift
            shift += 8
        }
        return value
    }

    /// The word for a whole unit in the direct table, or `nil`.
    @inline(__always)
    static func directWord(_ unit: UnsafeBufferPointer<UInt8>) -> String? {
        guard let key = packed(unit) else { return nil }
        return DirectUnitTable.shared.word(for: key)
    }

    static let mainWordByUnit: [ByteKey: String] = {
        var table: [ByteKey: String] = [:]
        for (unit, word) in mainUnits { table[ByteKey(unit)] = word }
        return table
    }()

    static let perWordByUnit: [ByteKey: String] = {
        var table: [ByteKey: String] = [:]
        for (unit, word) in perUnits { table[ByteKey(unit)] = word }
        return table
    }()

    /// Prometheus word → UCUM, including `ratio` → `1`.
    static let unitByWord: [ByteKey: String] = {
        var table: [ByteKey: String] = [ByteKey("ratio"): "1"]
        for (unit, word) in mainUnits { table[ByteKey(word)] = unit }
        for (word, unit) in legacyWords { table[ByteKey(word)] = unit }
        return table
    }()

    static let perUnitByWord: [ByteKey: String] = {
        var table: [ByteKey: String] = [:]
        for (unit, word) in perUnits { table[ByteKey(word)] = unit }
        return table
    }()
}
