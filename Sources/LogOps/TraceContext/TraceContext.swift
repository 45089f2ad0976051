import OTelModel

/// Finds the trace context of a log record in its attributes or body and sets the record's
/// `traceID`, `spanID` and `flags`. (filelog.md §9; OTel "Trace Context in non-OTLP Log Formats")
public enum TraceContext {
    /// Which keys to look for and where.
    public struct Settings: Sendable, Equatable {
        public private(set) var traceIDKeys: [String]
        public private(set) var spanIDKeys: [String]
        public private(set) var traceFlagsKeys: [String]
        public private(set) var traceparentKeys: [String]
        /// Look in the record's attributes.
        public var fromAttributes: Bool
        /// Look in the body when it is a map.
        public var fromBodyMap: Bool
        /// Look in a string body: a JSON object, logfmt pairs, or a traceparent anywhere in the text.
        public var fromBodyText: Bool
        /// Longest string body searched (longer ones are searched only this far).
        public var maxBodyTextBytes: Int

        let keys: KeySet

        public init(
            traceIDKeys: [String] = ["trace_id", "traceId", "traceID", "trace.id"],
            spanIDKeys: [String] = ["span_id", "spanId", "spanID", "span.id"],
            traceFlagsKeys: [String] = ["trace_flags", "traceFlags"],
            traceparentKeys: [String] = ["traceparent"],
            fromAttributes: Bool = true,
            fromBodyMap: Bool = true,
            fromBodyText: Bool = true,
            maxBodyTextBytes: Int = 64 * 1024
        ) {
            self.traceIDKeys = traceIDKeys
            self.spanIDKeys = spanIDKeys
            self.traceFlagsKeys = traceFlagsKeys
            self.traceparentKeys = traceparentKeys
            self.fromAttributes = fromAttributes
            self.fromBodyMap = fromBodyMap
            self.fromBodyText = fromBodyText
            self.maxBodyTextBytes = maxBodyTextBytes
            keys = KeySet(traceID: traceIDKeys, spanID: spanIDKeys, flags: traceFlagsKeys, traceparent: traceparentKeys)
        }

        public static func == (a: Settings, b: Settings) -> Bool {
            a.traceIDKeys == b.traceIDKeys && a.spanIDKeys == b.spanIDKeys && a.traceFlagsKeys == b.traceFlagsKeys
                && a.traceparentKeys == b.traceparentKeys && a.fromAttributes == b.fromAttributes
                && a.fromBodyMap == b.fromBodyMap && a.fromBodyText == b.fromBodyText && a.maxBodyTextBytes == b.maxBodyTextBytes
        }
    }

    /// Where a trace context was found.
    public enum Source: String, Sendable, Hashable {
        case attributes
        case bodyMap = "body_map"
        case bodyJSON = "body_json"
        case bodyLogfmt = "body_logfmt"
        case bodyText = "body_text"
        /// The fields named by a `trace_parser`.
        case fields
    }

    /// What ``extract(from:settings:)`` did.
    public enum Outcome: Sendable, Hashable {
        /// The record already had a trace id; nothing was looked at.
        case alreadySet
        case notFound
        case extracted(Source)
        /// A trace context was found but a value in it is bad; the record is unchanged.
        case invalidTraceID(Source)
        case invalidSpanID(Source)
        case invalidTraceFlags(Source)
        case invalidTraceparent(Source)

        /// A name for counting outcomes: `extracted`, `invalid_trace_id`, ….
        public var name: String {
            switch self {
            case .alreadySet: "already_set"
            case .notFound: "not_found"
            case .extracted: "extracted"
            case .invalidTraceID: "invalid_trace_id"
            case .invalidSpanID: "invalid_span_id"
            case .invalidTraceFlags: "invalid_trace_flags"
            case .invalidTraceparent: "invalid_traceparent"
            }
        }
    }

    /// The raw values of one trace context, before validation.
    public struct Candidate: Sendable {
        public var traceID: AnyValue?
        public var spanID: AnyValue?
        public var traceFlags: AnyValue?
        public var traceparent: AnyValue?

        public init(traceID: AnyValue? = nil, spanID: AnyValue? = nil, traceFlags: AnyValue? = nil, traceparent: AnyValue? = nil) {
            self.traceID = traceID
            self.spanID = spanID
            self.traceFlags = traceFlags
            self.traceparent = traceparent
        }

        /// A context is there when a trace id or a traceparent is; a lone span id is ignored.
        var isPresent: Bool { traceID != nil || traceparent != nil }
    }

    /// Sets `traceID`, `spanID` and `flags` of a record that has no trace id yet, from the first
    /// place with a trace context, in this order: attributes, body map, string body (JSON object,
    /// then logfmt, then a traceparent token anywhere). In each place explicit `trace_id` /
    /// `span_id` / `trace_flags` keys win over `traceparent`.
    ///
    /// Either everything found is valid and set, or nothing is changed and the outcome says why.
    @discardableResult
    public static func extract(from record: inout LogRecord, settings: Settings = Settings()) -> Outcome {
        guard record.traceID.isZero else { return .alreadySet }
        let keys = settings.keys
        if settings.fromAttributes && !record.attributes.isEmpty {
            let c = keys.candidate(in: record.attributes.list)
            if c.isPresent { return apply(c, from: .attributes, to: &record, overwrite: false) }
        }
        switch record.body {
        case .kvlist(let members) where settings.fromBodyMap:
            let c = keys.candidate(in: members)
            if c.isPresent { return apply(c, from: .bodyMap, to: &record, overwrite: false) }
        case .string(let text) where settings.fromBodyText:
            if let (c, source) = candidate(inText: text, keys: keys, limit: settings.maxBodyTextBytes) {
                return apply(c, from: source, to: &record, overwrite: false)
            }
        default:
            break
        }
        return .notFound
    }

    /// Validates a candidate and sets what it holds. Without `overwrite`, ids already in the
    /// record stay. Nothing changes unless every present value is valid.
    public static func apply(_ c: Candidate, from source: Source, to record: inout LogRecord, overwrite: Bool) -> Outcome {
        var traceID: TraceID?
        var spanID: SpanID?
        var flags: UInt8?
        if let v = c.traceID {
            guard let id = Self.traceID(from: v) else { return .invalidTraceID(source) }
            traceID = id
            if let failed = spanAndFlags(c, source, &spanID, &flags) { return failed }
        } else if let v = c.traceparent {
            guard case .string(let text) = v else { return .invalidTraceparent(source) }
            switch Traceparent.parse(text) {
            case .success(let tp):
                traceID = tp.traceID
                spanID = tp.spanID
                flags = tp.flags
            case .failure(.zeroTraceID): return .invalidTraceID(source)
            case .failure(.zeroSpanID): return .invalidSpanID(source)
            case .failure(.malformed): return .invalidTraceparent(source)
            }
        } else {
            // Only span id and/or flags (a trace_parser with no trace id field present).
            if let failed = spanAndFlags(c, source, &spanID, &flags) { return failed }
            if spanID == nil && flags == nil { return .notFound }
        }
        if let traceID, overwrite || record.traceID.isZero { record.traceID = traceID }
        if let spanID, overwrite || record.spanID.isZero { record.spanID = spanID }
        if let flags, overwrite || record.flags & 0xFF == 0 { record.flags = record.flags & ~0xFF | UInt32(flags) }
        return .extracted(source)
    }

    /// Reads the candidate's span id and flags when present; the outcome when one is invalid.
    private static func spanAndFlags(_ c: Candidate, _ source: Source, _ spanID: inout SpanID?, _ flags: inout UInt8?) -> Outcome? {
        if let s = c.spanID {
            guard let id = Self.spanID(from: s) else { return .invalidSpanID(source) }
            spanID = id
        }
        if let f = c.traceFlags {
            guard let v = traceFlags(from: f) else { return .invalidTraceFlags(source) }
            flags = v
        }
        return nil
    }

    /// A candidate from a string body.
    static func candidate(inText text: ByteString, keys: KeySet, limit: Int) -> (Candidate, Source)? {
        text.withUnsafeBytes { whole in
            let raw = UnsafeRawBufferPointer(rebasing: whole[..<min(whole.count, limit)])
            var i = 0
            while i < raw.count && (raw[i] == 0x20 || raw[i] == 0x09) { i += 1 }
            if i < raw.count && raw[i] == UInt8(ascii: "{"), raw.count == whole.count,
                let members = try? JSONObjectParser().parse(raw)
            {
                let c = keys.candidate(in: members)
                if c.isPresent { return (c, .bodyJSON) }
            }
            if raw.contains(UInt8(ascii: "=")) {
                let c = keys.candidate(in: Logfmt.parse(raw))
                if c.isPresent { return (c, .bodyLogfmt) }
            }
            if let range = Traceparent.findToken(in: raw) {
                let token = ByteString(bytes: UnsafeRawBufferPointer(rebasing: raw[range]))
                return (Candidate(traceparent: .string(token)), .bodyText)
            }
            return nil
        }
    }
}

/// The keys of ``TraceContext/Settings``, ready for lookups.
struct KeySet: Sendable {
    struct Key: Sendable {
        let flat: ByteString
        /// The key split at dots, when it has any (`trace.id` is also `{"trace": {"id": …}}`).
        let nested: [ByteString]?

        init(_ s: String) {
            flat = ByteString(s)
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            nested = parts.count > 1 && !parts.contains(where: \.isEmpty) ? parts.map { ByteString(String($0)) } : nil
        }
    }

    let traceID: [Key]
    let spanID: [Key]
    let flags: [Key]
    let traceparent: [Key]

    init(traceID: [String], spanID: [String], flags: [String], traceparent: [String]) {
        self.traceID = traceID.map(Key.init)
        self.spanID = spanID.map(Key.init)
        self.flags = flags.map(Key.init)
        self.traceparent = traceparent.map(Key.init)
    }

    func candidate(in members: [KeyValue]) -> TraceContext.Candidate {
        var c = TraceContext.Candidate()
        c.traceID = find(traceID, in: members)
        c.traceparent = find(traceparent, in: members)
        guard c.isPresent else { return c }
        c.spanID = find(spanID, in: members)
        c.traceFlags = find(flags, in: members)
        return c
    }

    func candidate(in pairs: [LogfmtPair]) -> TraceContext.Candidate {
        func find(_ keys: [Key]) -> AnyValue? {
            for k in keys {
                for p in pairs where p.key == k.flat {
                    if let v = p.value { return .string(v) }
                }
            }
            return nil
        }
        var c = TraceContext.Candidate()
        c.traceID = find(traceID)
        c.traceparent = find(traceparent)
        guard c.isPresent else { return c }
        c.spanID = find(spanID)
        c.traceFlags = find(flags)
        return c
    }

    private func find(_ keys: [Key], in members: [KeyValue]) -> AnyValue? {
        for k in keys {
            if let i = members.index(ofKey: k.flat) { return members[i].value }
        }
        for k in keys {
            if let nested = k.nested, let v = FieldPath.lookup(members, nested[...]) { return v }
        }
        return nil
    }
}
