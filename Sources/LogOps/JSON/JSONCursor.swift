import OTelModel

/// The byte-level cursor behind ``JSONObjectParser``.
///
/// It scans a private, writable copy of the input followed by ``padding`` zero bytes. The zeros
/// act as a sentinel: every scanning loop stops on them (a zero byte is never valid where a loop
/// expects to continue), so loops test for the end only after they stop, and 8-byte loads and
/// look-ahead near the end never leave the allocation.
///
/// Strings become views into ``viewStorage``, which holds the same bytes as the copy at
/// ``viewOffset``. Either the copy is itself that storage (``init(copying:maxDepth:)``), or the
/// copy is scratch memory and the views point into the caller's storage of the input
/// (``init(scratch:viewing:offset:maxDepth:)``), which saves an allocation and a copy per parse.
/// Escaped strings are unescaped in place in the copy (the result is never longer): with an own
/// storage they are views too; with scratch memory they get storage of their own. That is safe
/// for the storage's "written once" promise: a string's bytes are rewritten before any
/// ``ByteString`` views them, no view covers bytes of another string, and the storage does not
/// escape this cursor until parsing is over.
///
/// Members and array elements are collected on two scratch stacks shared by all nesting levels and
/// moved into exactly sized arrays when their object or array closes; appending to a growing array
/// instead costs reallocations and (with the model's opaque types) a retain and release per value.
/// Call ``release()`` when done.
struct JSONCursor {
    static let padding = 16

    /// Where views point. Unmanaged because `owner` or the caller keeps it alive for the cursor's
    /// lifetime: reading a strong reference out of an `inout` cursor makes the compiler retain it
    /// around calls, and this is the hottest path of log parsing.
    let viewRef: Unmanaged<ByteStorage>
    let viewOffset: Int
    /// The copy, when it is the storage views point into.
    let owner: ByteStorage?
    let p: UnsafeMutablePointer<UInt8>
    let end: Int
    var pos = 0
    var depth = 0
    let maxDepth: Int

    var members: UnsafeMutablePointer<KeyValue>?
    var memberCount = 0
    var memberCapacity = 0
    var elements: UnsafeMutablePointer<AnyValue>?
    var elementCount = 0
    var elementCapacity = 0

    /// Copies `bytes` into a new storage that the views share.
    init(copying bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        let n = bytes.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n + Self.padding, alignment: 16)
        if let src = bytes.baseAddress, n > 0 { raw.copyMemory(from: src, byteCount: n) }
        (raw + n).initializeMemory(as: UInt8.self, repeating: 0, count: Self.padding)
        p = raw.bindMemory(to: UInt8.self, capacity: n + Self.padding)
        let storage = ByteStorage(adopting: raw, count: n)
        owner = storage
        viewRef = Unmanaged.passUnretained(storage)
        viewOffset = 0
        end = n
        self.maxDepth = maxDepth
    }

    /// Scans `scratch` (the input's `count` bytes followed by ``padding`` zeros, owned by the
    /// caller); views point into `storage` at `offset`, which must hold the same bytes and outlive
    /// the cursor.
    init(scratch: UnsafeMutablePointer<UInt8>, count: Int, viewing storage: ByteStorage, offset: Int, maxDepth: Int) {
        p = scratch
        owner = nil
        viewRef = Unmanaged.passUnretained(storage)
        viewOffset = offset
        end = count
        self.maxDepth = maxDepth
    }

    /// A view of the input's bytes `start..<start+count`, which hold what they held on input.
    @inline(__always) func view(_ start: Int, _ count: Int) -> ByteString {
        ByteString(storage: viewRef.takeUnretainedValue(), offset: viewOffset &+ start, count: count)
    }

    /// The bytes `start..<start+count` of the copy after they were rewritten.
    func rewritten(_ start: Int, _ count: Int) -> ByteString {
        if owner != nil { return view(start, count) }
        return ByteString(bytes: UnsafeBufferPointer(start: p + start, count: count))
    }

    func error(_ reason: String, at offset: Int) -> JSONParseError {
        JSONParseError(reason: reason, offset: min(offset, end))
    }

    @inline(__always) mutating func skipWhitespace() {
        while true {
            let b = p[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos &+= 1
        }
    }

    /// An error for the byte at `pos`, which the caller did not expect.
    func unexpected(_ expected: String) -> JSONParseError {
        pos >= end ? error("unexpected end of input, expected \(expected)", at: pos)
            : error("expected \(expected)", at: pos)
    }

    // MARK: Structure

    /// Reads the document; `prefix` members go in front of the top-level object's, merged as
    /// duplicates are (a key in both keeps the prefix position and the parsed value).
    mutating func readDocument(prefix: [KeyValue] = []) throws(JSONParseError) -> [KeyValue] {
        if end >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { pos = 3 }
        skipWhitespace()
        guard p[pos] == UInt8(ascii: "{") else {
            throw pos >= end ? error("empty input", at: pos) : error("not a JSON object", at: pos)
        }
        let object = try readObject(prefix: prefix)
        skipWhitespace()
        guard pos >= end else { throw error("unexpected data after the object", at: pos) }
        return object
    }

    /// Reads the object whose `{` is at `pos`. The result starts with copies of `prefix`, in the
    /// same allocation, so adding the parsed members to existing ones moves nothing afterwards.
    mutating func readObject(prefix: [KeyValue] = []) throws(JSONParseError) -> [KeyValue] {
        depth &+= 1
        guard depth <= maxDepth else { throw error("objects and arrays nested deeper than \(maxDepth)", at: pos) }
        pos &+= 1
        skipWhitespace()
        if p[pos] == UInt8(ascii: "}") {
            pos &+= 1
            depth &-= 1
            return prefix
        }
        let base = memberCount
        while true {
            pushMember(try readMember())
            skipWhitespace()
            let c = p[pos]
            if c == UInt8(ascii: ",") {
                pos &+= 1
            } else if c == UInt8(ascii: "}") {
                pos &+= 1
                break
            } else {
                throw unexpected("',' or '}' in an object")
            }
        }
        depth &-= 1
        let n = memberCount &- base
        let source = members! + base
        let k = prefix.count
        var object = [KeyValue](unsafeUninitializedCapacity: k &+ n) { buffer, count in
            if k > 0 { prefix.withUnsafeBufferPointer { buffer.baseAddress!.initialize(from: $0.baseAddress!, count: k) } }
            (buffer.baseAddress! + k).moveInitialize(from: source, count: n)
            count = k &+ n
        }
        memberCount = base
        Self.removeDuplicateKeys(&object)
        return object
    }

    /// Reads the array whose `[` is at `pos`.
    mutating func readArray() throws(JSONParseError) -> [AnyValue] {
        depth &+= 1
        guard depth <= maxDepth else { throw error("objects and arrays nested deeper than \(maxDepth)", at: pos) }
        pos &+= 1
        skipWhitespace()
        if p[pos] == UInt8(ascii: "]") {
            pos &+= 1
            depth &-= 1
            return []
        }
        let base = elementCount
        while true {
            pushElement(try readValue())
            skipWhitespace()
            let c = p[pos]
            if c == UInt8(ascii: ",") {
                pos &+= 1
            } else if c == UInt8(ascii: "]") {
                pos &+= 1
                break
            } else {
                throw unexpected("',' or ']' in an array")
            }
        }
        depth &-= 1
        let n = elementCount &- base
        let source = elements! + base
        let array = [AnyValue](unsafeUninitializedCapacity: n) { buffer, count in
            buffer.baseAddress!.moveInitialize(from: source, count: n)
            count = n
        }
        elementCount = base
        return array
    }

    /// Reads `"key": value`.
    @inline(never)
    mutating func readMember() throws(JSONParseError) -> KeyValue {
        skipWhitespace()
        guard p[pos] == UInt8(ascii: "\"") else { throw unexpected("a quoted key") }
        let key = try readString()
        skipWhitespace()
        guard p[pos] == UInt8(ascii: ":") else { throw unexpected("':' after a key") }
        pos &+= 1
        return KeyValue(key: key, value: try readValue())
    }

    // MARK: Scratch stacks

    @inline(__always) mutating func pushMember(_ member: consuming KeyValue) {
        if memberCount == memberCapacity { growMembers() }
        (members! + memberCount).initialize(to: consume member)
        memberCount &+= 1
    }

    mutating func growMembers() {
        let capacity = Swift.max(16, memberCapacity &* 2)
        let new = UnsafeMutablePointer<KeyValue>.allocate(capacity: capacity)
        if let old = members {
            new.moveInitialize(from: old, count: memberCount)
            old.deallocate()
        }
        members = new
        memberCapacity = capacity
    }

    @inline(__always) mutating func pushElement(_ element: consuming AnyValue) {
        if elementCount == elementCapacity { growElements() }
        (elements! + elementCount).initialize(to: consume element)
        elementCount &+= 1
    }

    mutating func growElements() {
        let capacity = Swift.max(16, elementCapacity &* 2)
        let new = UnsafeMutablePointer<AnyValue>.allocate(capacity: capacity)
        if let old = elements {
            new.moveInitialize(from: old, count: elementCount)
            old.deallocate()
        }
        elements = new
        elementCapacity = capacity
    }

    /// Frees the scratch stacks, including values left on them when parsing failed.
    mutating func release() {
        if let members {
            members.deinitialize(count: memberCount)
            members.deallocate()
        }
        if let elements {
            elements.deinitialize(count: elementCount)
            elements.deallocate()
        }
        members = nil
        elements = nil
        memberCount = 0
        elementCount = 0
    }

    mutating func readValue() throws(JSONParseError) -> AnyValue {
        skipWhitespace()
        switch p[pos] {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "{"): return .kvlist(try readObject())
        case UInt8(ascii: "["): return .array(try readArray())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .empty
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber()
        default:
            throw unexpected("a value")
        }
    }

    /// Consumes `literal` (4 or 5 ASCII letters) at `pos`. The zero padding makes reading past
    /// the end safe: a zero never matches a letter.
    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let n = literal.utf8CodeUnitCount
        let l = literal.utf8Start
        for i in 0..<n where p[pos &+ i] != l[i] {
            throw error("invalid literal, expected \(literal)", at: pos)
        }
        pos &+= n
    }

    /// Keeps the last value of each repeated key, at the position of the key's first occurrence.
    static func removeDuplicateKeys(_ members: inout [KeyValue]) {
        let n = members.count
        guard n > 1 else { return }
        if n <= 16 {
            let duplicate = members.withUnsafeBufferPointer { buf in
                // A 64-bit filter on each key's length, first and last byte: keys that differ
                // there cannot be equal, and with distinct filter bits there is nothing to compare.
                var seen: UInt64 = 0
                var clash = false
                for i in 0..<n {
                    let key = buf[i].key
                    let (first, last) = key.withUnsafeBytes { ($0.first ?? 0, $0.last ?? 0) }
                    let bit: UInt64 = 1 << ((UInt64(key.count) &+ UInt64(first) &* 5 &+ UInt64(last) &* 11) & 63)
                    if seen & bit != 0 { clash = true }
                    seen |= bit
                }
                if !clash { return false }
                for i in 1..<n {
                    let count = buf[i].key.count
                    for j in 0..<i where buf[j].key.count == count && buf[j].key.sameBytes(as: buf[i].key) { return true }
                }
                return false
            }
            if !duplicate { return }
        }
        var firstIndex: [ByteString: Int] = [:]
        firstIndex.reserveCapacity(n)
        var unique: [KeyValue] = []
        unique.reserveCapacity(n)
        for member in members {
            if let at = firstIndex[member.key] {
                unique[at].value = member.value
            } else {
                firstIndex[member.key] = unique.count
                unique.append(member)
            }
        }
        members = unique
    }
}
