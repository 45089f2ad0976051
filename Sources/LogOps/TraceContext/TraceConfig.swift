import OTelModel

/// Where to read a trace context: the `trace` block of parsers and the fields of `trace_parser`.
/// (stanza `docs/types/trace.md`)
public struct TraceConfig: Sendable, Equatable {
    /// One `<id>.parse_from` setting.
    public struct Field: Sendable, Equatable {
        public var parseFrom: String
        public init(parseFrom: String) { self.parseFrom = parseFrom }
    }

    /// `trace_id.parse_from`, default `attributes.trace_id`.
    public var traceID: Field
    /// `span_id.parse_from`, default `attributes.span_id`.
    public var spanID: Field
    /// `trace_flags.parse_from`, default `attributes.trace_flags`.
    public var traceFlags: Field

    public init(
        traceID: Field = Field(parseFrom: "attributes.trace_id"),
        spanID: Field = Field(parseFrom: "attributes.span_id"),
        traceFlags: Field = Field(parseFrom: "attributes.trace_flags")
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceFlags = traceFlags
    }

    func build(for operatorType: String) throws(OperatorConfigError) -> TraceStep {
        func path(_ f: Field, _ name: String) throws(OperatorConfigError) -> FieldPath {
            do { return try FieldPath(parsing: f.parseFrom) } catch {
                throw OperatorConfigError(operatorType: operatorType, reason: "\(name).parse_from: \(error)")
            }
        }
        return TraceStep(traceID: try path(traceID, "trace_id"), spanID: try path(spanID, "span_id"), traceFlags: try path(traceFlags, "trace_flags"))
    }
}

/// A built ``TraceConfig``. Missing fields are skipped; present ones must all be valid, else the
/// record is unchanged and the step fails. Found values replace the record's, as in the collector.
struct TraceStep: Sendable {
    let traceID: FieldPath
    let spanID: FieldPath
    let traceFlags: FieldPath

    func apply(_ entry: inout LogEntry) throws(StepError) {
        let c = TraceContext.Candidate(traceID: entry.get(traceID), spanID: entry.get(spanID), traceFlags: entry.get(traceFlags))
        switch TraceContext.apply(c, from: .fields, to: &entry.record, overwrite: true) {
        case .invalidTraceID: throw StepError(.invalidTraceID, "\(traceID) is not a trace id (32 hex digits, not all zero)")
        case .invalidSpanID: throw StepError(.invalidSpanID, "\(spanID) is not a span id (16 hex digits, not all zero)")
        case .invalidTraceFlags: throw StepError(.invalidTraceFlags, "\(traceFlags) is not trace flags (2 hex digits)")
        case .invalidTraceparent: throw StepError(.parseFailed, "invalid traceparent")
        case .alreadySet, .notFound, .extracted: return
        }
    }
}
