import Foundation
/// Reads typed fields out of one YAML mapping, reporting every problem to a ``DiagnosticSink``.
///
/// Each getter marks its key as known and returns the default when the key is absent or wrong.
/// ``finish()`` then reports every key nobody asked for, so typos never pass silently.
public final class ConfigReader {
    public let node: ConfigNode
    public let sink: DiagnosticSink
    /// What this mapping is, for messages: "receiver 'otlp'", "otlp.protocols.http".
    public let context: String
    /// The context of the document's root mapping; its sections are named by their key alone.
    public static let topLevel = "the top level"
    private var known: [String] = []
    private let pairs: [(key: String, keyLocation: SourceLocation, value: ConfigNode)]

    /// Where the mapping's owner is named (the component's key); errors about the whole mapping point here.
    let ownerLocation: SourceLocation?

    public init(node: ConfigNode, sink: DiagnosticSink, context: String, ownerLocation: SourceLocation? = nil) {
        self.node = node
        self.ownerLocation = ownerLocation
        self.sink = sink
        self.context = context
        switch node.value {
        case .mapping(let p): pairs = p
        case .null: pairs = []
        default:
            pairs = []
            sink.error("\(context) must be a mapping, got \(node.kindDescription)", at: node.location)
        }
    }

    public var location: SourceLocation { ownerLocation ?? node.location }

    /// The raw node for `key`, marking the key as known.
    public func raw(_ key: String) -> ConfigNode? {
        known.append(key)
        return pairs.first { $0.key == key }?.value
    }

    public func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// The keys present in this mapping, in file order.
    public var keys: [(key: String, location: SourceLocation)] { pairs.map { ($0.key, $0.keyLocation) } }

    public func error(_ message: String, at location: SourceLocation? = nil) {
        sink.error(message, at: location ?? self.location)
    }

    /// Reports a problem with `key`: at its value when present, else at the mapping's owner.
    public func error(_ message: String, key: String) {
        sink.error(message, at: pairs.first { $0.key == key }?.value.location ?? location)
    }

    private func scalar(_ key: String) -> (String, Bool, SourceLocation)? {
        guard let n = raw(key) else { return nil }
        switch n.value {
        case .null: return nil
        case .scalar(let s, let quoted): return (s, quoted, n.location)
        default:
            sink.error("'\(key)' must be a single value, got \(n.kindDescription)", at: n.location)
            return nil
        }
    }

    public func string(_ key: String, default value: String = "") -> String {
        scalar(key)?.0 ?? value
    }

    public func optionalString(_ key: String) -> String? { scalar(key)?.0 }

    public func bool(_ key: String, default value: Bool) -> Bool {
        guard let (s, _, loc) = scalar(key) else { return value }
        switch s {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            sink.error("'\(key)' must be true or false, got '\(s)'", at: loc)
            return value
        }
    }

    public func int(_ key: String, default value: Int, min: Int? = nil, max: Int? = nil) -> Int {
        guard let (s, _, loc) = scalar(key) else { return value }
        guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else {
            sink.error("'\(key)' must be an integer, got '\(s)'", at: loc)
            return value
        }
        if let min, v < min {
            sink.error("'\(key)' must be at least \(min), got \(v)", at: loc)
            return value
        }
        if let max, v > max {
            sink.error("'\(key)' must be at most \(max), got \(v)", at: loc)
            return value
        }
        return v
    }

    public func double(_ key: String, default value: Double, min: Double? = nil, max: Double? = nil) -> Double {
        guard let (s, _, loc) = scalar(key) else { return value }
        guard let v = Double(s), v.isFinite else {
            sink.error("'\(key)' must be a number, got '\(s)'", at: loc)
            return value
        }
        if let min, v < min {
            sink.error("'\(key)' must be at least \(min), got \(s)", at: loc)
            return value
        }
        if let max, v > max {
            sink.error("'\(key)' must be at most \(max), got \(s)", at: loc)
            return value
        }
        return v
    }

    /// A Go-style duration: `200ms`, `5s`, `1m30s`, `1h`; a bare `0` is zero.
    public func duration(_ key: String, default value: Duration) -> Duration {
        guard let (s, _, loc) = scalar(key) else { return value }
        guard let d = parseDuration(s) else {
            sink.error("'\(key)' must be a duration such as 200ms, 5s or 1m30s, got '\(s)'", at: loc)
            return value
        }
        return d
    }

    /// One of `choices`.
    public func choice(_ key: String, _ choices: [String], default value: String) -> String {
        guard let (s, _, loc) = scalar(key) else { return value }
        guard choices.contains(s) else {
            sink.error("'\(key)' must be one of \(choices.joined(separator: ", ")), got '\(s)'", at: loc)
            return value
        }
        return s
    }

    public func stringList(_ key: String) -> [String] {
        guard let n = raw(key) else { return [] }
        switch n.value {
        case .null: return []
        case .sequence(let items):
            return items.compactMap { item in
                if case .scalar(let s, _) = item.value { return s }
                sink.error("'\(key)' must be a list of strings, got \(item.kindDescription)", at: item.location)
                return nil
            }
        default:
            sink.error("'\(key)' must be a list, got \(n.kindDescription)", at: n.location)
            return []
        }
    }

    /// A mapping of strings to strings, such as `headers`.
    public func stringMap(_ key: String) -> [(String, String)] {
        guard let n = raw(key) else { return [] }
        switch n.value {
        case .null: return []
        case .mapping(let p):
            return p.compactMap { pair in
                switch pair.value.value {
                case .scalar(let s, _): return (pair.key, s)
                case .null: return (pair.key, "")
                default:
                    sink.error("'\(key).\(pair.key)' must be a string, got \(pair.value.kindDescription)", at: pair.value.location)
                    return nil
                }
            }
        default:
            sink.error("'\(key)' must be a mapping, got \(n.kindDescription)", at: n.location)
            return []
        }
    }

    /// A nested mapping, or nil when absent. The nested reader must be finished by the caller.
    public func section(_ key: String) -> ConfigReader? {
        guard let n = raw(key) else { return nil }
        let keyLocation = pairs.first { $0.key == key }?.keyLocation
        return ConfigReader(node: n, sink: sink, context: path(key), ownerLocation: keyLocation)
    }

    /// A list of mappings (`scrape_configs`, `static_configs`); each reader must be finished by the caller.
    public func sectionList(_ key: String) -> [ConfigReader] {
        guard let n = raw(key) else { return [] }
        switch n.value {
        case .null: return []
        case .sequence(let items):
            return items.enumerated().map { i, item in
                ConfigReader(node: item, sink: sink, context: "\(path(key))[\(i)]", ownerLocation: item.location)
            }
        default:
            sink.error("'\(key)' must be a list, got \(n.kindDescription)", at: n.location)
            return []
        }
    }

    /// How a key of this mapping is named in messages.
    private func path(_ key: String) -> String {
        context == Self.topLevel ? key : "\(context).\(key)"
    }

    /// A nested mapping whose presence matters even when empty (`http:` with no fields enables HTTP).
    public func presentSection(_ key: String) -> ConfigReader? {
        guard has(key) else {
            known.append(key)
            return nil
        }
        return section(key)
    }

    /// Accepts `key` (and whatever it holds) so that Collector configs load unchanged, and warns when
    /// it is set that it has no effect in otelsw, saying why; returns whether it was set.
    @discardableResult
    public func noEffect(_ key: String, _ why: String) -> Bool {
        guard let n = raw(key) else { return false }
        sink.warning("'\(key)' in \(context) has no effect: \(why)", at: n.location)
        return true
    }

    /// Reports keys that no getter asked for.
    public func finish() {
        let valid = Set(known)
        for pair in pairs where !valid.contains(pair.key) {
            let names = known.isEmpty ? "none" : Array(Set(known)).sorted().joined(separator: ", ")
            sink.error("unknown key '\(pair.key)' in \(context) (valid keys: \(names))", at: pair.keyLocation)
        }
    }
}

/// Parses a Go-style duration (`300ms`, `1.5s`, `2m`, `1h30m`, `0`).
public func parseDuration(_ text: String) -> Duration? {
    if text == "0" { return .zero }
    var rest = Substring(text)
    var negative = false
    if rest.hasPrefix("-") {
        negative = true
        rest = rest.dropFirst()
    }
    guard !rest.isEmpty else { return nil }
    var total: Double = 0
    let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
    while !rest.isEmpty {
        let numberEnd = rest.firstIndex { !($0.isNumber || $0 == ".") } ?? rest.endIndex
        guard numberEnd != rest.startIndex, let number = Double(rest[..<numberEnd]) else { return nil }
        rest = rest[numberEnd...]
        let unitEnd = rest.firstIndex { $0.isNumber || $0 == "." } ?? rest.endIndex
        let unit = String(rest[..<unitEnd])
        guard let scale = units.first(where: { $0.0 == unit })?.1 else { return nil }
        total += number * scale
        rest = rest[unitEnd...]
    }
    // Beyond what an Int64 of nanoseconds holds (about 292 years) is refused, not trapped on.
    let nanos = (total * 1e9).rounded()
    guard nanos.isFinite, nanos < 9.2e18 else { return nil }
    let d = Duration.nanoseconds(Int64(nanos))
    return negative ? .zero - d : d
}
