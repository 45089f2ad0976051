/// The parsed content of one scrape: metric families and their samples in exposition order.
public struct Exposition: Sendable {
    /// Families in the order they were first declared or first sampled.
    public var families: [Family]
    /// Samples in exposition order; ``Sample/family`` indexes ``families``.
    public var samples: [Sample]

    public init(families: [Family] = [], samples: [Sample] = []) {
        self.families = families
        self.samples = samples
    }
}

/// Parses a complete Prometheus text 0.0.4 or OpenMetrics 1.0 exposition.
///
/// The parse is all-or-nothing: the first violation throws with its line number and nothing is
/// returned. The bytes are only read during the call. See ``ExpositionParser`` for the rules applied
/// where the specifications leave room.
///
/// - Throws: ``ExpositionError`` for any syntax or structure violation.
public func parseExposition(
    _ bytes: UnsafeRawBufferPointer,
    format: ExpositionFormat
) throws(ExpositionError) -> Exposition {
    let outcome: Result<Exposition, ExpositionError> = bytes.withMemoryRebound(to: UInt8.self) { buffer in
        guard let base = buffer.baseAddress, !buffer.isEmpty else {
            return format == .openMetrics
                ? .failure(ExpositionError(line: 1, message: ExpositionParser.missingEOFMessage))
                : .success(Exposition())
        }
        var parser = ExpositionParser(bytes: base, count: buffer.count, format: format)
        do throws(ExpositionError) {
            return .success(try parser.parse())
        } catch {
            return .failure(error)
        }
    }
    return try outcome.get()
}
