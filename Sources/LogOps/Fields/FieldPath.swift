import OTelModel

/// A reference to a value in a log entry, written like the collector's stanza fields:
/// `body`, `body.a.b`, `attributes.x`, `attributes["k8s.pod.name"]`, `resource.host`.
///
/// Keys are `.`-separated; a key holding dots (or any other character) goes in brackets with single
/// or double quotes, where `\` escapes the quote or itself. A path that does not start with
/// `body`, `attributes` or `resource` is in the body (`message` is `body.message`). A `$` before the
/// root (`$body`) is accepted for older configurations. (stanza `docs/types/field.md`)
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public enum Root: String, Sendable, Hashable {
        case body
        case attributes
        case resource
    }

    public var root: Root
    /// The map keys below the root, outermost first; empty for the root itself.
    public var keys: [ByteString]

    public init(_ root: Root, _ keys: [ByteString] = []) {
        self.root = root
        self.keys = keys
    }

    public static let body = FieldPath(.body)
    public static let attributes = FieldPath(.attributes)
    public static let resource = FieldPath(.resource)

    public static func body(_ keys: String...) -> FieldPath { FieldPath(.body, keys.map { ByteString($0) }) }
    public static func attributes(_ keys: String...) -> FieldPath { FieldPath(.attributes, keys.map { ByteString($0) }) }
    public static func resource(_ keys: String...) -> FieldPath { FieldPath(.resource, keys.map { ByteString($0) }) }

    /// Parses the textual form.
    public init(parsing text: String) throws(FieldPathError) {
        var segments = try Self.segments(of: text)
        guard !segments.isEmpty else { throw FieldPathError(path: text, reason: "empty field") }
        var root = Root.body
        if !segments[0].bracketed {
            var first = segments[0].key
            if first.hasPrefix("$") { first.removeFirst() }
            if let r = Root(rawValue: first) {
                root = r
                segments.removeFirst()
            }
        }
        self.root = root
        self.keys = segments.map { ByteString($0.key) }
    }

    private struct Segment {
        var key: String
        var bracketed: Bool
    }

    private static func segments(of text: String) throws(FieldPathError) -> [Segment] {
        let chars = Array(text.unicodeScalars)
        var out: [Segment] = []
        var i = 0
        var current = ""
        var expectKey = true  // at the start, or just after a '.'
        func fail(_ reason: String) -> FieldPathError { FieldPathError(path: text, reason: reason) }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case ".":
                if expectKey { throw fail("empty key before '.' at offset \(i)") }
                if !current.isEmpty {
                    out.append(Segment(key: current, bracketed: false))
                    current = ""
                }
                expectKey = true
                i += 1
            case "[":
                if !current.isEmpty {
                    out.append(Segment(key: current, bracketed: false))
                    current = ""
                } else if expectKey && !out.isEmpty {
                    throw fail("'.' followed by '[' at offset \(i)")
                }
                i += 1
                guard i < chars.count, chars[i] == "\"" || chars[i] == "'" else { throw fail("expected a quoted key after '['") }
                let quote = chars[i]
                i += 1
                var key = ""
                var closed = false
                while i < chars.count {
                    let k = chars[i]
                    if k == "\\", i + 1 < chars.count {
                        key.unicodeScalars.append(chars[i + 1])
                        i += 2
                        continue
                    }
                    if k == quote {
                        closed = true
                        i += 1
                        break
                    }
                    key.unicodeScalars.append(k)
                    i += 1
                }
                guard closed, i < chars.count, chars[i] == "]" else { throw fail("unterminated bracketed key") }
                i += 1
                out.append(Segment(key: key, bracketed: true))
                expectKey = false
                if i < chars.count && chars[i] != "." && chars[i] != "[" {
                    throw fail("expected '.' or '[' after ']' at offset \(i)")
                }
            case "]", "\"", "'":
                throw fail("unexpected '\(c)' at offset \(i)")
            default:
                if !expectKey && current.isEmpty {
                    throw fail("expected '.' or '[' at offset \(i)")
                }
                current.unicodeScalars.append(c)
                expectKey = false
                i += 1
            }
        }
        if expectKey && !out.isEmpty { throw fail("path ends with '.'") }
        if !current.isEmpty { out.append(Segment(key: current, bracketed: false)) }
        return out
    }

    public var description: String {
        var s = root.rawValue
        for key in keys {
            let k = key.string
            if !k.isEmpty && k.unicodeScalars.allSatisfy({ $0 != "." && $0 != "[" && $0 != "]" && $0 != "\"" && $0 != "'" && $0 != "\\" }) {
                s += "." + k
            } else {
                s += "[\"" + k.replacingBackslashQuotes() + "\"]"
            }
        }
        return s
    }
}

extension String {
    fileprivate func replacingBackslashQuotes() -> String {
        var out = ""
        for c in unicodeScalars {
            if c == "\\" || c == "\"" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out
    }
}

/// A field path that cannot be parsed, or a value that cannot be set at it.
public struct FieldPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "field \(path): \(reason)" }
}
