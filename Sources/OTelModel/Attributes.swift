/// The attributes of a resource, scope, span, event, link, log record, data point or exemplar.
///
/// Decoded from protobuf, attributes stay in their encoded form (a view into the request) until
/// someone reads them, and are written back with one copy when nobody changed them: most data
/// passes through the agent without its attributes ever being decoded. Reading iterates and decodes
/// on the fly; changing them (``append(_:)``, ``set(_:_:)``, ``list``) switches to a plain array.
public struct Attributes: Sendable, Equatable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    enum Representation: Sendable {
        case list([KeyValue])
        /// `count` consecutive protobuf fields with tag `fieldTag`, each a length-delimited `KeyValue`
        /// holding only fields we know (checked when decoded).
        case encoded(ByteString, count: Int, fieldTag: UInt32)
    }

    var representation: Representation

    public init() { representation = .list([]) }
    public init(_ list: [KeyValue]) { representation = .list(list) }
    public init(arrayLiteral elements: KeyValue...) { representation = .list(elements) }

    public var count: Int {
        switch representation {
        case .list(let l): l.count
        case .encoded(_, let n, _): n
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// The attributes as an array; setting replaces them.
    public var list: [KeyValue] {
        get {
            switch representation {
            case .list(let l): return l
            case .encoded: return Array(self)
            }
        }
        set { representation = .list(newValue) }
    }

    /// The value of the first attribute named `key`.
    public subscript(key key: ByteString) -> AnyValue? {
        for kv in self where kv.key == key { return kv.value }
        return nil
    }

    public mutating func append(_ kv: KeyValue) {
        var l = list
        l.append(kv)
        representation = .list(l)
    }

    /// Sets `key` to `value`, replacing an existing attribute of that name or appending one.
    public mutating func set(_ key: ByteString, _ value: AnyValue) {
        var l = list
        if let i = l.firstIndex(where: { $0.key == key }) {
            l[i].value = value
        } else {
            l.append(KeyValue(key: key, value: value))
        }
        representation = .list(l)
    }

    public mutating func removeAll(where predicate: (KeyValue) throws -> Bool) rethrows {
        var l = list
        try l.removeAll(where: predicate)
        representation = .list(l)
    }

    public struct Iterator: IteratorProtocol {
        enum Source {
            case list(IndexingIterator<[KeyValue]>)
            case encoded(ProtoReader)
        }
        var source: Source

        public mutating func next() -> KeyValue? {
            switch source {
            case .list(var it):
                defer { source = .list(it) }
                return it.next()
            case .encoded(var r):
                defer { source = .encoded(r) }
                // The bytes were validated when decoded (one KeyValue field after another), so reading
                // them again cannot fail.
                guard !r.isAtEnd, (try? r.readTag()) != nil, var m = try? r.readMessage() else { return nil }
                return (try? KeyValue.decode(&m)) ?? KeyValue(key: .empty, value: .unset)
            }
        }
    }

    public func makeIterator() -> Iterator {
        switch representation {
        case .list(let l): return Iterator(source: .list(l.makeIterator()))
        case .encoded(let bytes, _, _): return Iterator(source: .encoded(ProtoReader(view: bytes)))
        }
    }

    public var underestimatedCount: Int { count }

    /// About how many bytes the attributes take: their encoded size when they are still encoded,
    /// otherwise keys and values plus a fixed cost per attribute. For memory budgets.
    public var estimatedBytes: Int {
        switch representation {
        case .encoded(let bytes, _, _): return bytes.count
        case .list(let l): return l.reduce(0) { $0 + 16 + $1.key.count + $1.value.estimatedBytes }
        }
    }

    public static func == (a: Attributes, b: Attributes) -> Bool {
        guard a.count == b.count else { return false }
        if case .list(let x) = a.representation, case .list(let y) = b.representation {
            // The same array storage holds the same attributes (copies of one value share it).
            let same = x.withUnsafeBufferPointer { p in y.withUnsafeBufferPointer { q in p.baseAddress == q.baseAddress } }
            if same { return true }
        }
        if case .encoded(let x, _, let tx) = a.representation, case .encoded(let y, _, let ty) = b.representation, tx == ty, x == y {
            return true
        }
        return a.elementsEqual(b)
    }

    public var description: String {
        "[" + map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "]"
    }
}
