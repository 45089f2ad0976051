/// An OTLP traces payload; the same message as `ExportTraceServiceRequest`. (`trace/v1/trace.proto`)
public struct TracesData: Sendable, Equatable {
    /// The payload's resources. Any change, in place or by assignment, forgets the source request.
    /// (A `_modify` accessor rather than `didSet`, so that changing one item deep inside changes it
    /// in place instead of copying the arrays around it.)
    public var resourceSpans: [ResourceSpans] {
        get { storedResourceSpans }
        set {
            storedResourceSpans = newValue
            source = SourceEncoding()
        }
        _modify {
            source = SourceEncoding()
            yield &storedResourceSpans
        }
    }
    private var storedResourceSpans: [ResourceSpans]
    /// The request this payload was decoded from, while it is unchanged (see ``SourceEncoding``).
    public internal(set) var source = SourceEncoding()

    public init(resourceSpans: [ResourceSpans] = []) { storedResourceSpans = resourceSpans }

    /// The number of spans in the payload.
    public var spanCount: Int {
        var n = 0
        for rs in resourceSpans { for ss in rs.scopeSpans { n += ss.spans.count } }
        return n
    }
}

public struct ResourceSpans: Sendable, Equatable {
    public var resource: Resource?
    public var scopeSpans: [ScopeSpans]
    public var schemaURL: ByteString

    public init(resource: Resource? = nil, scopeSpans: [ScopeSpans] = [], schemaURL: ByteString = .empty) {
        self.resource = resource
        self.scopeSpans = scopeSpans
        self.schemaURL = schemaURL
    }
}

public struct ScopeSpans: Sendable, Equatable {
    public var scope: InstrumentationScope?
    public var spans: [Span]
    public var schemaURL: ByteString

    public init(scope: InstrumentationScope? = nil, spans: [Span] = [], schemaURL: ByteString = .empty) {
        self.scope = scope
        self.spans = spans
        self.schemaURL = schemaURL
    }
}

/// `Span.SpanKind`. Unknown numbers are kept as they are.
public struct SpanKind: RawRepresentable, Sendable, Hashable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let unspecified = SpanKind(rawValue: 0)
    public static let `internal` = SpanKind(rawValue: 1)
    public static let server = SpanKind(rawValue: 2)
    public static let client = SpanKind(rawValue: 3)
    public static let producer = SpanKind(rawValue: 4)
    public static let consumer = SpanKind(rawValue: 5)
}

/// `Status.StatusCode`.
public struct StatusCode: RawRepresentable, Sendable, Hashable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let unset = StatusCode(rawValue: 0)
    public static let ok = StatusCode(rawValue: 1)
    public static let error = StatusCode(rawValue: 2)
}

public struct SpanStatus: Sendable, Equatable {
    public var message: ByteString
    public var code: StatusCode

    public init(code: StatusCode = .unset, message: ByteString = .empty) {
        self.code = code
        self.message = message
    }
}

public struct Span: Sendable, Equatable {
    public var traceID: TraceID = .zero
    public var spanID: SpanID = .zero
    public var traceState: ByteString = .empty
    public var parentSpanID: SpanID = .zero
    /// W3C trace flags in bits 0–7, is-remote bits 8–9. (`SpanFlags`)
    public var flags: UInt32 = 0
    public var name: ByteString = .empty
    public var kind: SpanKind = .unspecified
    public var startTimeUnixNano: UInt64 = 0
    public var endTimeUnixNano: UInt64 = 0
    public var attributes: Attributes = []
    public var droppedAttributesCount: UInt32 = 0
    public var events: [SpanEvent] = []
    public var droppedEventsCount: UInt32 = 0
    public var links: [SpanLink] = []
    public var droppedLinksCount: UInt32 = 0
    public var status: SpanStatus?

    public init() {}
}

public struct SpanEvent: Sendable, Equatable {
    public var timeUnixNano: UInt64 = 0
    public var name: ByteString = .empty
    public var attributes: Attributes = []
    public var droppedAttributesCount: UInt32 = 0

    public init() {}
}

public struct SpanLink: Sendable, Equatable {
    public var traceID: TraceID = .zero
    public var spanID: SpanID = .zero
    public var traceState: ByteString = .empty
    public var attributes: Attributes = []
    public var droppedAttributesCount: UInt32 = 0
    public var flags: UInt32 = 0

    public init() {}
}
