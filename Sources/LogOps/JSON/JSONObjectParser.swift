import OTelModel

/// Parses one JSON object, typically a whole log line, into attributes.
///
/// Strings become `.string`, integers that fit an `Int64` `.int`, other numbers `.double`, `true`
/// and `false` `.bool`, `null` `.empty`, objects `.kvlist` and arrays `.array`. A number too large
/// for a `Double` keeps its text as a `.string` rather than turning into infinity.
///
/// Keys and string values are views, not copies: into the storage of a ``ByteString`` input, or
/// into one copy of a raw input. Escaped strings are unescaped (the result is never longer than the
/// escaped text); from a ``ByteString`` input they get storage of their own. Invalid UTF-8 inside
/// strings and lone surrogate escapes become U+FFFD; those strings (rare) get storage of their own.
/// Duplicate keys keep the last value at the first key's position. Objects and arrays nested deeper than ``maxDepth`` are rejected, so hostile input
/// cannot exhaust the stack. (RFC 8259)
public struct JSONObjectParser: Sendable {
    /// Deepest nesting of objects and arrays accepted; the top-level object counts as 1.
    public var maxDepth: Int

    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    /// Parses `bytes`, which must hold one JSON object and nothing but whitespace around it.
    ///
    /// The members of `prefix` come first in the result, as if the object were merged into them:
    /// a key in both keeps its place in `prefix` and takes the parsed value.
    public func parse(_ bytes: UnsafeRawBufferPointer, prefix: [KeyValue] = []) throws(JSONParseError) -> [KeyValue] {
        var cursor = JSONCursor(copying: bytes, maxDepth: maxDepth)
        defer { cursor.release() }
        return try cursor.readDocument(prefix: prefix)
    }

    /// Parses `text`; the strings of the result are views into `text`'s storage where they can be
    /// (those without escapes or invalid UTF-8), so only a scratch copy is made.
    public func parse(_ text: ByteString, prefix: [KeyValue] = []) throws(JSONParseError) -> [KeyValue] {
        guard let (storage, offset) = text.backing else { return try parse(UnsafeRawBufferPointer(start: nil, count: 0), prefix: prefix) }
        let n = text.count
        let padded = n + JSONCursor.padding
        let result = withUnsafeTemporaryAllocation(byteCount: padded, alignment: 16) { scratch in
            let p = scratch.baseAddress!
            text.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: n) }
            (p + n).initializeMemory(as: UInt8.self, repeating: 0, count: JSONCursor.padding)
            var cursor = JSONCursor(
                scratch: p.bindMemory(to: UInt8.self, capacity: padded), count: n,
                viewing: storage, offset: offset, maxDepth: maxDepth)
            defer { cursor.release() }
            return Result { () throws(JSONParseError) in try cursor.readDocument(prefix: prefix) }
        }
        withExtendedLifetime(storage) {}
        return try result.get()
    }

    public func parse(_ text: String) throws(JSONParseError) -> [KeyValue] {
        var text = text
        let result = text.withUTF8 { buffer in Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(buffer)) } }
        return try result.get()
    }
}
