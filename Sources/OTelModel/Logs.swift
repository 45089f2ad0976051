/// An OTLP logs payload; the same message as `ExportLogsServiceRequest`. (`logs/v1/logs.proto`)
public struct LogsData: Sendable, Equatable {
    /// The payload's resources. Any change, in place or by assignment, forgets the source request.
    /// (A `_modify` accessor rather than `didSet`, so that changing one item deep inside changes it
    /// in place instead of copying the arrays around it.)
    public var resourceLogs: [ResourceLogs] {
        get { storedResourceLogs }
        set {
            storedResourceLogs = newValue
            source = SourceEncoding()
        }
        _modify {
            source = SourceEncoding()
            yield &storedResourceLogs
        }
    }
    private var storedResourceLogs: [ResourceLogs]
    /// The request this payload was decoded from, while it is unchanged (see ``SourceEncoding``).
    public internal(set) var source = SourceEncoding()

    public init(resourceLogs: [ResourceLogs] = []) { storedResourceLogs = resourceLogs }

    /// The number of log records in the payload.
    public var logRecordCount: Int {
        var n = 0
        for rl in resourceLogs { for sl in rl.scopeLogs { n += sl.logRecords.count } }
        return n
    }
}

public struct ResourceLogs: Sendable, Equatable {
    public var resource: Resource?
    public var scopeLogs: [ScopeLogs]
    public var schemaURL: ByteString

    public init(resource: Resource? = nil, scopeLogs: [ScopeLogs] = [], schemaURL: ByteString = .empty) {
        self.resource = resource
        self.scopeLogs = scopeLogs
        self.schemaURL = schemaURL
    }
}

public struct ScopeLogs: Sendable, Equatable {
    public var scope: InstrumentationScope?
    public var logRecords: [LogRecord]
    public var schemaURL: ByteString

    public init(scope: InstrumentationScope? = nil, logRecords: [LogRecord] = [], schemaURL: ByteString = .empty) {
        self.scope = scope
        self.logRecords = logRecords
        self.schemaURL = schemaURL
    }
}

/// `SeverityNumber` (1–24; 0 unspecified). Unknown numbers are kept.
public struct SeverityNumber: RawRepresentable, Sendable, Hashable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let unspecified = SeverityNumber(rawValue: 0)
    public static let trace = SeverityNumber(rawValue: 1)
    public static let debug = SeverityNumber(rawValue: 5)
    public static let info = SeverityNumber(rawValue: 9)
    public static let warn = SeverityNumber(rawValue: 13)
    public static let error = SeverityNumber(rawValue: 17)
    public static let fatal = SeverityNumber(rawValue: 21)
}

public struct LogRecord: Sendable, Equatable {
    public var timeUnixNano: UInt64 = 0
    public var observedTimeUnixNano: UInt64 = 0
    public var severityNumber: SeverityNumber = .unspecified
    public var severityText: ByteString = .empty
    public var body: AnyValue = .unset
    public var attributes: Attributes = []
    public var droppedAttributesCount: UInt32 = 0
    /// W3C trace flags in bits 0–7. (`LogRecordFlags`)
    public var flags: UInt32 = 0
    public var traceID: TraceID = .zero
    public var spanID: SpanID = .zero
    public var eventName: ByteString = .empty

    public init() {}
}
