/// A label set: names unique; kept sorted by name.
///
/// Names are ordered and compared by their UTF-8 bytes, as Prometheus does. A label whose value is empty is
/// absent: initialisers skip it and assigning `""` or `nil` through the subscript removes the label.
///
/// Storage is one UTF-8 buffer holding every name and value plus a table of entries sorted by name, so
/// relabeling reads and compares bytes without creating strings. Mutation appends to the buffer; space left
/// by replaced values is reclaimed when it outgrows the live bytes.
public struct LabelSet: Sendable {
    struct Entry: Sendable {
        /// Offset of the name in `bytes`; the value follows the name.
        var start: UInt32
        var nameCount: UInt32
        var valueCount: UInt32

        @inline(__always) var nameRange: Range<Int> { Int(start)..<Int(start + nameCount) }
        @inline(__always) var valueRange: Range<Int> { Int(start + nameCount)..<Int(start + nameCount + valueCount) }
    }

    private(set) var bytes: [UInt8]
    /// Sorted by name bytes; names unique; values non-empty.
    private(set) var entries: [Entry]

    /// An empty label set.
    public init() {
        bytes = []
        entries = []
    }

    /// Builds a set from name/value pairs; a later pair with the same name wins, and empty values are skipped.
    public init(_ pairs: [(String, String)]) {
        self.init()
        bytes.reserveCapacity(pairs.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count })
        entries.reserveCapacity(pairs.count)
        for (name, value) in pairs {
            self[name] = value
        }
    }

    /// Builds a set from labels; a later label with the same name wins, and empty values are skipped.
    public init(_ labels: [PromLabel]) {
        self.init(labels.map { ($0.name, $0.value) })
    }

    /// The value of `name`, or `nil` when absent. Setting `nil` or `""` removes the label.
    public subscript(name: String) -> String? {
        get {
            name.withUTF8Bytes { key in
                let (index, found) = position(of: key)
                return found ? string(entries[index].valueRange) : nil
            }
        }
        set {
            name.withUTF8Bytes { key in
                if let newValue, !newValue.isEmpty {
                    newValue.withUTF8Bytes { set(key, $0) }
                } else {
                    remove(key)
                }
            }
        }
    }

    /// The labels in name order.
    public var pairs: [(name: String, value: String)] {
        entries.map { (string($0.nameRange), string($0.valueRange)) }
    }

    /// The labels in name order.
    public var labels: [PromLabel] {
        entries.map { PromLabel(name: string($0.nameRange), value: string($0.valueRange)) }
    }

    public var count: Int { entries.count }

    public var isEmpty: Bool { entries.isEmpty }

    private func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }
}

// MARK: Byte-level access for relabeling

extension LabelSet {
    /// Binary search by name bytes: the entry index of `name`, or where it would be inserted.
    @inline(__always)
    func position(of name: UnsafeBufferPointer<UInt8>) -> (index: Int, found: Bool) {
        bytes.withUnsafeBufferPointer { buffer in
            entries.withUnsafeBufferPointer { entries in
                var low = 0
                var high = entries.count
                while low < high {
                    let middle = (low + high) >> 1
                    let order = UnsafeBufferPointer(rebasing: buffer[entries[middle].nameRange]).compareBytes(name)
                    if order == 0 { return (middle, true) }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return (low, false)
            }
        }
    }

    /// Calls `body` with the value bytes of `name`, empty when absent (Prometheus' `Get`).
    @inline(__always)
    func withValue<R>(of name: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let (index, found) = position(of: name)
        guard found else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        let range = entries[index].valueRange
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Calls `body` with each label's name and value bytes, in name order.
    @inline(__always)
    func forEachLabel(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            for entry in entries {
                body(UnsafeBufferPointer(rebasing: buffer[entry.nameRange]),
                     UnsafeBufferPointer(rebasing: buffer[entry.valueRange]))
            }
        }
    }

    /// Sets `name` to `value` (removing it when `value` is empty). Neither may point into this set's storage.
    mutating func set(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) {
        guard !value.isEmpty else {
            remove(name)
            return
        }
        let (index, found) = position(of: name)
        compactIfWasteful()
        let entry = Entry(start: UInt32(bytes.count), nameCount: UInt32(name.count), valueCount: UInt32(value.count))
        bytes.append(contentsOf: name)
        bytes.append(contentsOf: value)
        if found {
            entries[index] = entry
        } else {
            entries.insert(entry, at: index)
        }
    }

    /// Removes `name` if present.
    mutating func remove(_ name: UnsafeBufferPointer<UInt8>) {
        let (index, found) = position(of: name)
        if found { entries.remove(at: index) }
    }

    /// Removes every label whose name satisfies `shouldRemove` (asked once per label), without copying when
    /// none does.
    mutating func removeAll(whereName shouldRemove: (UnsafeBufferPointer<UInt8>) -> Bool) {
        let kept: [Entry]? = bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            while index < entries.count,
                !shouldRemove(UnsafeBufferPointer(rebasing: buffer[entries[index].nameRange]))
            {
                index += 1
            }
            guard index < entries.count else { return nil }
            var kept: [Entry] = []
            kept.reserveCapacity(entries.count - 1)
            kept += entries[..<index]
            for entry in entries[(index + 1)...]
            where !shouldRemove(UnsafeBufferPointer(rebasing: buffer[entry.nameRange])) {
                kept.append(entry)
            }
            return kept
        }
        if let kept { entries = kept }
    }

    /// Rewrites the buffer without replaced or removed bytes once they outnumber the live ones.
    private mutating func compactIfWasteful() {
        let live = entries.reduce(0) { $0 + Int($1.nameCount + $1.valueCount) }
        guard bytes.count > 256, bytes.count > 2 * live else { return }
        var compacted: [UInt8] = []
        compacted.reserveCapacity(live * 2)
        for index in entries.indices {
            let entry = entries[index]
            let start = compacted.count
            compacted.append(contentsOf: bytes[Int(entry.start)..<Int(entry.start + entry.nameCount + entry.valueCount)])
            entries[index].start = UInt32(start)
        }
        bytes = compacted
    }
}

extension LabelSet: Equatable {
    /// Byte-wise equality of all names and values.
    public static func == (lhs: LabelSet, rhs: LabelSet) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        return lhs.bytes.withUnsafeBufferPointer { left in
            rhs.bytes.withUnsafeBufferPointer { right in
                for (a, b) in zip(lhs.entries, rhs.entries) {
                    guard a.nameCount == b.nameCount, a.valueCount == b.valueCount,
                        UnsafeBufferPointer(rebasing: left[a.nameRange])
                            .compareBytes(UnsafeBufferPointer(rebasing: right[b.nameRange])) == 0,
                        UnsafeBufferPointer(rebasing: left[a.valueRange])
                            .compareBytes(UnsafeBufferPointer(rebasing: right[b.valueRange])) == 0
                    else { return false }
                }
                return true
            }
        }
    }
}

extension LabelSet: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }
}

extension LabelSet: CustomStringConvertible {
    /// `{a="1", b="2"}`.
    public var description: String {
        "{" + labels.map { "\($0.name)=\($0.value.debugDescription)" }.joined(separator: ", ") + "}"
    }
}

extension LabelSet: Sequence {
    public func makeIterator() -> IndexingIterator<[PromLabel]> {
        labels.makeIterator()
    }
}
