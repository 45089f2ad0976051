import OTelModel

/// Parses one JSON object, typically a whole log line, into attributes.
///
/// Strings become `.string`, integers that fit an `Int64` `.int`, other numbers `.double`, `true`
/// and `false` `.bool`, `null` `.empty`, objects `.kvlist` and arrays `.array`. A number too large
/// for a `Double` keeps its text as a `.string` rather than turning into infinity.
///
/// The input is copied once into a new ``ByteStorage``; every key and string value is a view into
/// it. Escaped strings are unescaped in place (the result is never longer than the escaped text), so
/// they are views too. Invalid UTF-8 inside strings and lone surrogate escapes become U+FFFD; those
/// strings (rare) get storage of their own. Duplicate keys keep the last value at the first key's
/// position. Objects and arrays nested deeper than ``maxDepth`` are rejected, so hostile input
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

    public func parse(_ text: ByteString, prefix: [KeyValue] = []) throws(JSONParseError) -> [KeyValue] {
        let result = text.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try parse(raw, prefix: prefix) } }
        return try result.get()
    }

    public func parse(_ text: String) throws(JSONParseError) -> [KeyValue] {
        var text = text
        let result = text.withUTF8 { buffer in Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(buffer)) } }
        return try result.get()
    }
}
