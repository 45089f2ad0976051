/// An OTLP `AnyValue`: the value of an attribute or a log body.
///
/// `.unset` is a value field that is absent on the wire; `.empty` is an `AnyValue` message present with
/// none of its oneof members set. Both mean "no value"; the codecs keep the difference so a round trip
/// is exact. (opentelemetry-proto `common/v1/common.proto`)
public enum AnyValue: Sendable, Equatable {
    case unset
    case empty
    case string(ByteString)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case array([AnyValue])
    case kvlist([KeyValue])
    case bytes(ByteString)

    /// About how many bytes the value takes beyond its fixed size, for memory budgets.
    public var estimatedBytes: Int {
        switch self {
        case .unset, .empty, .bool, .int, .double: 0
        case .string(let s), .bytes(let s): s.count
        case .array(let a): a.reduce(0) { $0 + 24 + $1.estimatedBytes }
        case .kvlist(let l): l.reduce(0) { $0 + 40 + $1.key.count + $1.value.estimatedBytes }
        }
    }

    /// The value as a string when it is one.
    public var stringValue: ByteString? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// One attribute: a key and its value.
public struct KeyValue: Sendable, Equatable {
    public var key: ByteString
    public var value: AnyValue

    public init(key: ByteString, value: AnyValue) {
        self.key = key
        self.value = value
    }

    public init(_ key: String, _ value: String) {
        self.key = ByteString(key)
        self.value = .string(ByteString(value))
    }
}

extension Array where Element == KeyValue {
    /// The value of the first attribute named `key`.
    public subscript(key key: ByteString) -> AnyValue? {
        for kv in self where kv.key == key { return kv.value }
        return nil
    }
}

/// The entity that produced telemetry. (`resource/v1/resource.proto`)
public struct Resource: Sendable, Equatable {
    public var attributes: Attributes
    public var droppedAttributesCount: UInt32
    public var entityRefs: [EntityRef]

    public init(attributes: Attributes = [], droppedAttributesCount: UInt32 = 0, entityRefs: [EntityRef] = []) {
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.entityRefs = entityRefs
    }
}

/// A reference from a resource to an entity (development status in OTLP).
public struct EntityRef: Sendable, Equatable {
    public var schemaURL: ByteString = .empty
    public var type: ByteString = .empty
    public var idKeys: [ByteString] = []
    public var descriptionKeys: [ByteString] = []

    public init() {}
}

/// The library that produced telemetry. (`common/v1/common.proto`)
public struct InstrumentationScope: Sendable, Equatable {
    public var name: ByteString
    public var version: ByteString
    public var attributes: Attributes
    public var droppedAttributesCount: UInt32

    public init(name: ByteString = .empty, version: ByteString = .empty, attributes: Attributes = [], droppedAttributesCount: UInt32 = 0) {
        self.name = name
        self.version = version
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}
