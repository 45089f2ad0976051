/// Builds one series' label set from attributes and the labels the translator sets itself.
///
/// Implements spec "OTLP Metric points to Prometheus", Metric Attributes:
/// - attribute keys go through ``PromNaming/labelName(_:)``; values are used as given (the caller stringifies
///   non-string values per the attribute spec);
/// - attributes whose names collide after sanitising become one label whose values are joined with `;` in
///   byte-wise lexicographic order of the original keys; a key repeated byte for byte keeps its first value;
/// - a reserved label (``setReserved(_:_:)``: `__name__`, `job`, `instance`, `otel_scope_*`, `le`, `quantile`,
///   whatever the caller decides) replaces every attribute with the same name;
/// - labels with an empty name or an empty value are left out: Prometheus reads `""` as "label absent" and
///   Remote Write forbids it;
/// - the result is sorted by name, byte-wise, as Remote Write requires.
///
/// Reuse one builder per exporter with ``removeAll()`` between series to keep its storage.
public struct LabelSetBuilder: Sendable {
    private struct Attribute: Sendable {
        /// The first 8 bytes of `name`, big-endian and zero-padded: comparing these orders names the way
        /// comparing their bytes does, and only ties need the strings.
        var prefix: UInt64
        var name: String
        var key: String
        var value: String
        var order: Int
    }

    private struct Reserved: Sendable {
        var prefix: UInt64
        var label: PromLabel
    }

    private var attributes: [Attribute] = []
    private var reserved: [Reserved] = []

    public init() {}

    public init(minimumCapacity: Int) {
        attributes.reserveCapacity(minimumCapacity)
        reserved.reserveCapacity(Swift.min(minimumCapacity, 8))
    }

    /// Sets a label the translator owns; the name is used verbatim and a later call with the same name wins.
    public mutating func setReserved(_ name: String, _ value: String) {
        if let index = reserved.firstIndex(where: { equalUTF8($0.label.name, name) }) {
            reserved[index].label.value = value
        } else {
            let prefix = name.withUTF8Bytes(Self.sortPrefix)
            reserved.append(Reserved(prefix: prefix, label: PromLabel(name: name, value: value)))
        }
    }

    /// Adds an attribute; its key is sanitised with ``PromNaming/labelName(_:)``.
    public mutating func addAttribute(_ key: String, value: String) {
        addAttribute(key, labelName: PromNaming.labelName(key), value: value)
    }

    /// Adds an attribute, sanitising its key through `names`.
    public mutating func addAttribute(_ key: String, value: String, names: NameCache) {
        addAttribute(key, labelName: names.labelName(key), value: value)
    }

    private mutating func addAttribute(_ key: String, labelName: String, value: String) {
        let prefix = labelName.withUTF8Bytes(Self.sortPrefix)
        attributes.append(
            Attribute(prefix: prefix, name: labelName, key: key, value: value, order: attributes.count))
    }

    /// Forgets everything added, keeping the storage.
    public mutating func removeAll() {
        attributes.removeAll(keepingCapacity: true)
        reserved.removeAll(keepingCapacity: true)
    }

    /// The label set, sorted by name.
    public mutating func build() -> [PromLabel] {
        sortAttributes()
        sortReserved()

        var labels: [PromLabel] = []
        labels.reserveCapacity(attributes.count + reserved.count)
        var nextReserved = 0
        var groupStart = 0
        while groupStart < attributes.count {
            let name = attributes[groupStart].name
            let prefix = attributes[groupStart].prefix
            var groupEnd = groupStart + 1
            while groupEnd < attributes.count, attributes[groupEnd].prefix == prefix,
                equalUTF8(attributes[groupEnd].name, name)
            {
                groupEnd += 1
            }
            while nextReserved < reserved.count,
                Self.compare(reserved[nextReserved].prefix, reserved[nextReserved].label.name, prefix, name) < 0
            {
                appendIfPresent(reserved[nextReserved].label, to: &labels)
                nextReserved += 1
            }
            let shadowed = nextReserved < reserved.count
                && Self.compare(reserved[nextReserved].prefix, reserved[nextReserved].label.name, prefix, name) == 0
            if !shadowed, !name.isEmpty {
                appendIfPresent(PromLabel(name: name, value: joinedValues(groupStart..<groupEnd)), to: &labels)
            }
            groupStart = groupEnd
        }
        while nextReserved < reserved.count {
            appendIfPresent(reserved[nextReserved].label, to: &labels)
            nextReserved += 1
        }
        return labels
    }

    /// The values of one collision group, already in key order, joined with `;`.
    private func joinedValues(_ group: Range<Int>) -> String {
        if group.count == 1 { return attributes[group.lowerBound].value }
        var joined = attributes[group.lowerBound].value
        var previousKey = attributes[group.lowerBound].key
        for index in group.dropFirst() {
            let attribute = attributes[index]
            if equalUTF8(attribute.key, previousKey) { continue }
            joined += ";"
            joined += attribute.value
            previousKey = attribute.key
        }
        return joined
    }

    /// Orders by name, then original key, then insertion: the key order the spec asks for when values are joined,
    /// and the first of byte-identical keys first. Insertion sort in place: label sets are small, and moving
    /// elements by swapping avoids copying their strings; large sets use the library sort.
    private mutating func sortAttributes() {
        guard attributes.count > 1 else { return }
        if attributes.count > 32 {
            attributes.sort { lhs, rhs in
                let byName = Self.compare(lhs.prefix, lhs.name, rhs.prefix, rhs.name)
                if byName != 0 { return byName < 0 }
                let byKey = compareUTF8(lhs.key, rhs.key)
                return byKey != 0 ? byKey < 0 : lhs.order < rhs.order
            }
            return
        }
        attributes.withUnsafeMutableBufferPointer { buffer in
            for index in 1..<buffer.count {
                var current = index
                while current > 0, Self.precedes(buffer, current, current - 1) {
                    buffer.swapAt(current, current - 1)
                    current -= 1
                }
            }
        }
    }

    private static func precedes(_ buffer: UnsafeMutableBufferPointer<Attribute>, _ lhs: Int, _ rhs: Int) -> Bool {
        let byName = compare(buffer[lhs].prefix, buffer[lhs].name, buffer[rhs].prefix, buffer[rhs].name)
        if byName != 0 { return byName < 0 }
        let byKey = compareUTF8(buffer[lhs].key, buffer[rhs].key)
        if byKey != 0 { return byKey < 0 }
        return buffer[lhs].order < buffer[rhs].order
    }

    private mutating func sortReserved() {
        guard reserved.count > 1 else { return }
        reserved.withUnsafeMutableBufferPointer { buffer in
            for index in 1..<buffer.count {
                var current = index
                while current > 0,
                    Self.compare(buffer[current].prefix, buffer[current].label.name,
                        buffer[current - 1].prefix, buffer[current - 1].label.name) < 0
                {
                    buffer.swapAt(current, current - 1)
                    current -= 1
                }
            }
        }
    }

    /// Byte-wise three-way comparison of two names, by their sort prefixes first.
    @inline(__always)
    private static func compare(_ lhsPrefix: UInt64, _ lhs: String, _ rhsPrefix: UInt64, _ rhs: String) -> Int {
        if lhsPrefix != rhsPrefix { return lhsPrefix < rhsPrefix ? -1 : 1 }
        return compareUTF8(lhs, rhs)
    }

    private static func sortPrefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var prefix: UInt64 = 0
        var shift: UInt64 = 56
        for byte in bytes.prefix(8) {
            prefix |= UInt64(byte) << shift
            shift &-= 8
        }
        return prefix
    }

    private func appendIfPresent(_ label: PromLabel, to labels: inout [PromLabel]) {
        if !label.value.isEmpty, !label.name.isEmpty {
            labels.append(label)
        }
    }
}
