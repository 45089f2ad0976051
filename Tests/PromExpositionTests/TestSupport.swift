import PromExposition
import Testing

/// Parses `bytes` as `format`.
func parse(_ bytes: [UInt8], _ format: ExpositionFormat) throws(ExpositionError) -> Exposition {
    let result: Result<Exposition, ExpositionError> = bytes.withUnsafeBytes { buffer in
        do throws(ExpositionError) {
            return .success(try parseExposition(buffer, format: format))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// Parses `text` as `format`.
func parse(_ text: String, _ format: ExpositionFormat) throws(ExpositionError) -> Exposition {
    try parse(Array(text.utf8), format)
}

/// Parses and returns the error, or `nil` if the input was accepted.
func parseError(_ bytes: [UInt8], _ format: ExpositionFormat) -> ExpositionError? {
    do {
        _ = try parse(bytes, format)
        return nil
    } catch {
        return error
    }
}

/// A sample as the tests expect it.
struct ExpectedSample: Sendable, CustomStringConvertible {
    var family: Int
    var name: String
    var labels: KeyValuePairs<String, String> = [:]
    var value: Double
    var timestampMs: Int64?
    var exemplar: Exemplar?

    var labelList: [Label] { labels.map { Label(name: $0.key, value: $0.value) } }

    var description: String {
        "\(name)\(labels) \(value) \(timestampMs.map(String.init) ?? "-") family=\(family)"
    }
}

/// Bitwise equality, with every NaN equal to every NaN.
func sameValue(_ lhs: Double, _ rhs: Double) -> Bool {
    (lhs.isNaN && rhs.isNaN) || lhs.bitPattern == rhs.bitPattern
}

func sameExemplar(_ lhs: Exemplar?, _ rhs: Exemplar?) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): return true
    case (let lhs?, let rhs?):
        return lhs.labels == rhs.labels && sameValue(lhs.value, rhs.value)
            && lhs.timestamp?.bitPattern == rhs.timestamp?.bitPattern
    default: return false
    }
}

/// Records an issue for every difference between `actual` and `expected`.
func expectSamples(_ actual: [Sample], _ expected: [ExpectedSample], sourceLocation: SourceLocation = #_sourceLocation)
{
    #expect(actual.count == expected.count, "sample count", sourceLocation: sourceLocation)
    for (index, (got, want)) in zip(actual, expected).enumerated() {
        #expect(got.family == want.family, "sample \(index) family: \(want)", sourceLocation: sourceLocation)
        #expect(got.name == want.name, "sample \(index) name", sourceLocation: sourceLocation)
        #expect(got.labels == want.labelList, "sample \(index) labels: \(want)", sourceLocation: sourceLocation)
        #expect(
            sameValue(got.value, want.value),
            "sample \(index) value \(got.value) != \(want.value): \(want)",
            sourceLocation: sourceLocation
        )
        #expect(
            got.timestampMs == want.timestampMs, "sample \(index) timestamp: \(want)", sourceLocation: sourceLocation)
        #expect(
            sameExemplar(got.exemplar, want.exemplar), "sample \(index) exemplar: \(want)",
            sourceLocation: sourceLocation)
    }
}

