import OTelModel

/// What every complex parser shares: read `parse_from`, write the parsed map to `parse_to`, then
/// run the embedded `timestamp`, `severity` and `trace` steps. (stanza `docs/types/parsers.md`)
///
/// The embedded steps run only after a successful parse, each independently of the others; the
/// first of their failures is thrown after all have run, with the parsed result kept.
struct ParserCore: Sendable {
    let type: String
    let parseFrom: FieldPath
    let parseTo: FieldPath
    let onError: OnError
    let timestamp: TimestampStep?
    let severity: SeverityStep?
    let trace: TraceStep?

    init(
        type: String, parseFrom: String, parseTo: String, onError: OnError,
        timestamp: TimestampConfig?, severity: SeverityConfig?, trace: TraceConfig?
    ) throws(OperatorConfigError) {
        self.type = type
        self.parseFrom = try parseField(parseFrom, "parse_from", type)
        self.parseTo = try parseField(parseTo, "parse_to", type)
        self.onError = onError
        self.timestamp = try timestamp?.build(for: type)
        self.severity = try severity?.build(for: type)
        self.trace = try trace?.build(for: type)
    }

    /// The text to parse: a string or bytes value at `parse_from`.
    func text(of entry: LogEntry) throws(OperatorError) -> ByteString {
        guard let value = entry.get(parseFrom) else {
            throw OperatorError(.missingField, operatorType: type, message: "entry is missing the parse_from field \(parseFrom)", onError: onError)
        }
        switch value {
        case .string(let s), .bytes(let s): return s
        default:
            throw OperatorError(.unsupportedType, operatorType: type, message: "a \(value.typeName) value at \(parseFrom) cannot be parsed", onError: onError)
        }
    }

    /// `parse_to: attributes`, where a parser can build the new attributes itself.
    var parsesToAttributes: Bool { parseTo.root == .attributes && parseTo.keys.isEmpty }

    /// Writes the parsed map and runs the embedded steps.
    func finish(_ entry: inout LogEntry, parsed: consuming [KeyValue]) throws(OperatorError) {
        if parsesToAttributes {
            // The common case, `parse_to: attributes`: the parsed array (ours alone) becomes the
            // attributes, with the ones already there in front, so nothing is copied one by one.
            entry.record.attributes = Attributes(Self.prepend(entry.record.attributes.list, to: parsed))
        } else {
            do {
                try entry.set(parseTo, .kvlist(parsed))
            } catch {
                throw OperatorError(.setFailed, operatorType: type, message: error.description, onError: onError)
            }
        }
        try runSteps(&entry)
    }

    /// Runs the embedded steps on an entry that already holds the parsed result.
    func runSteps(_ entry: inout LogEntry) throws(OperatorError) {
        var failure: StepError?
        do { try timestamp?.apply(&entry) } catch { failure = failure ?? error }
        do { try severity?.apply(&entry) } catch { failure = failure ?? error }
        do { try trace?.apply(&entry) } catch { failure = failure ?? error }
        if let failure { throw failure.tagged(type, onError) }
    }
}

extension ParserCore {
    /// `existing` followed by `parsed`, where a key in both keeps its old position with the new value
    /// (the merge of ``FieldPath/merge(_:into:)``).
    static func prepend(_ existing: [KeyValue], to parsed: consuming [KeyValue]) -> [KeyValue] {
        guard !existing.isEmpty else { return parsed }
        var result = parsed
        var old = existing
        var overlap = false
        for i in old.indices {
            if let j = result.index(ofKey: old[i].key) {
                old[i].value = result[j].value
                result.remove(at: j)
                overlap = true
            }
        }
        result.insert(contentsOf: overlap ? old : existing, at: 0)
        return result
    }
}

/// Parses a configured field path; a bad one is a configuration error of operator `type`.
func parseField(_ text: String, _ name: String, _ type: String) throws(OperatorConfigError) -> FieldPath {
    do { return try FieldPath(parsing: text) } catch { throw OperatorConfigError(operatorType: type, reason: "\(name): \(error)") }
}
