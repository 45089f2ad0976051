import OTelModel

/// What operators work on: one log record and the attributes of the resource it belongs to.
public struct LogEntry: Sendable, Equatable {
    public var record: LogRecord
    /// The resource attributes, which `resource.*` fields read and write.
    public var resource: Attributes

    public init(record: LogRecord = LogRecord(), resource: Attributes = []) {
        self.record = record
        self.resource = resource
    }

    /// An entry whose body is `body`.
    public init(body: AnyValue, attributes: Attributes = [], resource: Attributes = []) {
        record = LogRecord()
        record.body = body
        record.attributes = attributes
        self.resource = resource
    }

    @inline(__always)
    public func get(_ field: FieldPath) -> AnyValue? {
        field.get(record: record, resource: resource)
    }

    public mutating func set(_ field: FieldPath, _ value: AnyValue) throws(FieldPathError) {
        try field.set(value, record: &record, resource: &resource)
    }

    @discardableResult
    public mutating func delete(_ field: FieldPath) -> AnyValue? {
        field.delete(record: &record, resource: &resource)
    }
}
