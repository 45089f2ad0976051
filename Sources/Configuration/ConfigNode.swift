import Foundation
import Yams

/// A YAML value with the place it came from, after `${env:...}` substitution.
public struct ConfigNode: Sendable {
    public enum Value: Sendable {
        case null
        /// A scalar's text; `quoted` when it was written in quotes (never a number, bool or null then).
        case scalar(String, quoted: Bool)
        case mapping([(key: String, keyLocation: SourceLocation, value: ConfigNode)])
        case sequence([ConfigNode])
    }

    public var value: Value
    public var location: SourceLocation

    public init(value: Value, location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// What kind of YAML value this is, for error messages.
    public var kindDescription: String {
        switch value {
        case .null: "null"
        case .scalar(let s, _): "'\(s)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// The value as one line of text that ignores layout, comments, locations and the order of
    /// mapping keys: equal exactly when the values are.
    public var canonicalText: String {
        var out = ""
        writeCanonical(into: &out)
        return out
    }

    private func writeCanonical(into out: inout String) {
        switch value {
        case .null:
            out += "~"
        case .scalar(let text, let quoted):
            out += quoted ? "'" : "="
            out += "\(text.utf8.count):"
            out += text
        case .mapping(let pairs):
            out += "{"
            for pair in pairs.sorted(by: { $0.key < $1.key }) {
                out += "\(pair.key.utf8.count):"
                out += pair.key
                pair.value.writeCanonical(into: &out)
            }
            out += "}"
        case .sequence(let items):
            out += "["
            for item in items { item.writeCanonical(into: &out) }
            out += "]"
        }
    }
}

/// Parses YAML text into ``ConfigNode``s, substituting `${env:VAR}` and `${env:VAR:-default}` in scalars.
public enum ConfigParser {
    /// Returns the root node, or nil with diagnostics in `sink` when the text is not valid YAML.
    public static func parse(
        _ text: String,
        file: String,
        environment: [String: String],
        sink: DiagnosticSink
    ) -> ConfigNode? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            report(error, file: file, sink: sink)
            return nil
        } catch {
            sink.error("invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
            return nil
        }
        guard let root else {
            return ConfigNode(value: .null, location: SourceLocation(file: file, line: 1, column: 1))
        }
        return convert(root, file: file, environment: environment, sink: sink)
    }

    private static func report(_ error: YamlError, file: String, sink: DiagnosticSink) {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            sink.error("invalid YAML: \(problem)\(ctx)", at: at(mark))
        case .reader(let problem, let offset, _, let yaml):
            var location = SourceLocation(file: file, line: 1, column: 1)
            if let offset {
                // The reader counts characters, as the other marks' columns do.
                let prefix = yaml.unicodeScalars.prefix(offset)
                let line = prefix.reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }
                let column = prefix.count - (prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
                location = SourceLocation(file: file, line: line, column: column)
            }
            sink.error("invalid YAML: \(problem)", at: location)
        case .duplicatedKeysInMapping(let duplicates, let context):
            sink.error("duplicate keys \(duplicates.joined(separator: ", "))", at: at(context.mark))
        default:
            sink.error("invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    private static func convert(_ node: Node, file: String, environment: [String: String], sink: DiagnosticSink) -> ConfigNode {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            let isNull = !quoted && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            if isNull { return ConfigNode(value: .null, location: location) }
            let text = substitute(scalar.string, environment: environment, location: location, sink: sink)
            return ConfigNode(value: .scalar(text, quoted: quoted), location: location)
        case .mapping(let mapping):
            var pairs: [(key: String, keyLocation: SourceLocation, value: ConfigNode)] = []
            var seen: [String: SourceLocation] = [:]
            for (k, v) in mapping {
                let keyLocation = SourceLocation(file: file, line: k.mark?.line ?? location.line, column: k.mark?.column ?? location.column)
                let key = k.string ?? ""
                if case .scalar = k {} else {
                    sink.error("mapping keys must be plain strings", at: keyLocation)
                    continue
                }
                if let first = seen[key] {
                    sink.error("duplicate key '\(key)' (first defined at line \(first.line))", at: keyLocation)
                    continue
                }
                seen[key] = keyLocation
                pairs.append((key, keyLocation, convert(v, file: file, environment: environment, sink: sink)))
            }
            return ConfigNode(value: .mapping(pairs), location: location)
        case .sequence(let sequence):
            return ConfigNode(value: .sequence(sequence.map { convert($0, file: file, environment: environment, sink: sink) }), location: location)
        case .alias:
            sink.error("YAML aliases are not supported", at: location)
            return ConfigNode(value: .null, location: location)
        }
    }

    /// Replaces `${env:NAME}` and `${env:NAME:-default}`; `$$` stands for a literal `$`.
    static func substitute(_ text: String, environment: [String: String], location: SourceLocation, sink: DiagnosticSink) -> String {
        guard text.contains("$") else { return text }
        var out = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("$") {
                out += "$"
                rest = after.dropFirst()
                continue
            }
            guard after.hasPrefix("{"), let close = after.firstIndex(of: "}") else {
                out += "$"
                rest = after
                continue
            }
            let body = after[after.index(after: after.startIndex)..<close]
            rest = after[after.index(after: close)...]
            var reference = body
            if reference.hasPrefix("env:") { reference = reference.dropFirst(4) }
            let name: Substring
            var fallback: Substring?
            if let range = reference.range(of: ":-") {
                name = reference[..<range.lowerBound]
                fallback = reference[range.upperBound...]
            } else {
                name = reference
            }
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }), !name.first!.isNumber else {
                sink.error("invalid environment reference '${\(body)}': expected ${env:NAME} or ${env:NAME:-default}", at: location)
                continue
            }
            if let value = environment[String(name)] {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                sink.warning("environment variable \(name) is not set; using an empty value", at: location)
            }
        }
        out += rest
        return out
    }
}
