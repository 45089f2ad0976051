import Foundation
import Yams

/// What the responder does, read from YAML:
///
/// ```yaml
/// listen: 127.0.0.1:9095
/// dry_run: false
/// audit_log: /var/log/responder/audit.jsonl
/// max_actions: {count: 5, window: 10m}
/// rules:
///   - name: reset-payment-faults
///     match: {alertname: AvailabilityFastBurn, service: payment}
///     cooldown: 5m
///     http: {method: POST, url: "http://payment:8084/admin/faults/reset"}
/// ```
///
/// Each rule has one action: `http` (a request; any 2xx is success), `command` (argv; exit 0 is
/// success) or `restart` (SIGTERM to the processes of that name, then `start` if given).
public struct ResponderConfig: Sendable, Equatable {
    public var listen = "127.0.0.1:9095"
    public var dryRun = false
    public var auditLog: String?
    /// At most `maxActions` actions in any `window`, over all rules.
    public var maxActions = 5
    public var window: Duration = .seconds(600)
    public var rules: [Rule] = []

    public init() {}

    public struct Rule: Sendable, Equatable {
        public var name: String
        /// Labels the alert must carry with exactly these values.
        public var match: [String: String]
        /// After acting for an alert, the rule does not act again for the same alert this long.
        public var cooldown: Duration
        public var action: Action

        public init(name: String, match: [String: String], cooldown: Duration = .seconds(300), action: Action) {
            self.name = name
            self.match = match
            self.cooldown = cooldown
            self.action = action
        }

        func matches(_ labels: [String: String]) -> Bool {
            match.allSatisfy { labels[$0.key] == $0.value }
        }
    }

    public enum Action: Sendable, Equatable, CustomStringConvertible {
        case http(method: String, url: String, body: String?)
        case command([String])
        case restart(process: String, start: [String]?)

        public var description: String {
            switch self {
            case .http(let method, let url, _): "http \(method) \(url)"
            case .command(let argv): "command \(argv.joined(separator: " "))"
            case .restart(let process, _): "restart \(process)"
            }
        }
    }

    public struct Error: Swift.Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Parses YAML; every problem is an error naming the rule and the key.
    public static func parse(_ text: String) throws -> ResponderConfig {
        guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw Error(description: "the responder config must be a mapping") }
        var c = ResponderConfig()
        try check(root, known: ["listen", "dry_run", "audit_log", "max_actions", "rules"], in: "the top level")
        if let v = root["listen"] { c.listen = try string(v, "listen") }
        if let v = root["dry_run"] {
            guard let b = v as? Bool else { throw Error(description: "'dry_run' must be true or false") }
            c.dryRun = b
        }
        if let v = root["audit_log"] { c.auditLog = try string(v, "audit_log") }
        if let v = root["max_actions"] {
            guard let m = v as? [String: Any] else { throw Error(description: "'max_actions' must be a mapping with count and window") }
            try check(m, known: ["count", "window"], in: "max_actions")
            if let n = m["count"] {
                guard let n = n as? Int, n >= 0 else { throw Error(description: "'max_actions.count' must be a number of actions") }
                c.maxActions = n
            }
            if let w = m["window"] { c.window = try duration(w, "max_actions.window") }
        }
        for (i, item) in ((root["rules"] as? [Any]) ?? []).enumerated() {
            guard let r = item as? [String: Any] else { throw Error(description: "rules[\(i)] must be a mapping") }
            let name = try string(r["name"] ?? "rule-\(i)", "rules[\(i)].name")
            let place = "rule '\(name)'"
            try check(r, known: ["name", "match", "cooldown", "http", "command", "restart"], in: place)
            guard let match = r["match"] as? [String: Any], !match.isEmpty else { throw Error(description: "\(place): 'match' must map label names to values") }
            let labels = try match.mapValues { try string($0, "\(place) match") }
            let cooldown = try r["cooldown"].map { try duration($0, "\(place) cooldown") } ?? .seconds(300)
            let actions = ["http", "command", "restart"].filter { r[$0] != nil }
            guard actions.count == 1 else { throw Error(description: "\(place): give exactly one action (http, command or restart)") }
            let action: Action
            switch actions[0] {
            case "http":
                guard let h = r["http"] as? [String: Any] else { throw Error(description: "\(place): 'http' must be a mapping") }
                try check(h, known: ["method", "url", "body"], in: "\(place) http")
                let url = try string(h["url"] ?? "", "\(place) http.url")
                guard URL(string: url)?.scheme?.hasPrefix("http") == true else { throw Error(description: "\(place): http.url must be an http(s) URL, got '\(url)'") }
                action = .http(method: try string(h["method"] ?? "POST", "\(place) http.method").uppercased(), url: url, body: try h["body"].map { try string($0, "\(place) http.body") })
            case "command":
                guard let argv = r["command"] as? [Any], !argv.isEmpty else { throw Error(description: "\(place): 'command' must be a non-empty list (argv)") }
                action = .command(try argv.map { try string($0, "\(place) command") })
            default:
                guard let rs = r["restart"] as? [String: Any] else { throw Error(description: "\(place): 'restart' must be a mapping") }
                try check(rs, known: ["process", "start"], in: "\(place) restart")
                let process = try string(rs["process"] ?? "", "\(place) restart.process")
                guard !process.isEmpty else { throw Error(description: "\(place): restart.process names the process to restart") }
                action = .restart(process: process, start: try (rs["start"] as? [Any])?.map { try string($0, "\(place) restart.start") })
            }
            c.rules.append(Rule(name: name, match: labels, cooldown: cooldown, action: action))
        }
        return c
    }

    private static func check(_ m: [String: Any], known: Set<String>, in place: String) throws {
        if let unknown = m.keys.sorted().first(where: { !known.contains($0) }) {
            throw Error(description: "unknown key '\(unknown)' in \(place) (valid: \(known.sorted().joined(separator: ", ")))")
        }
    }

    private static func string(_ v: Any, _ key: String) throws -> String {
        switch v {
        case let s as String: return s
        case let i as Int: return String(i)
        case let d as Double: return String(d)
        case let b as Bool: return String(b)
        default: throw Error(description: "'\(key)' must be a string")
        }
    }

    /// `300ms`, `5s`, `10m`, `1h`.
    static func duration(_ v: Any, _ key: String) throws -> Duration {
        let text = try string(v, key)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let n = Double(text.dropLast(suffix.count)), n >= 0 { return .milliseconds(Int64(n * scale * 1000)) }
        }
        throw Error(description: "'\(key)' must be a duration such as 30s or 5m, got '\(text)'")
    }
}
