import Foundation

/// An Alertmanager webhook notification (payload version 4): the fields the responder reads.
public struct WebhookPayload: Decodable, Sendable {
    public struct Alert: Decodable, Sendable {
        public var status: String
        public var labels: [String: String]
        public var fingerprint: String?

        public init(status: String, labels: [String: String], fingerprint: String? = nil) {
            self.status = status
            self.labels = labels
            self.fingerprint = fingerprint
        }
    }

    public var status: String?
    public var alerts: [Alert]

    public init(status: String?, alerts: [Alert]) {
        self.status = status
        self.alerts = alerts
    }
}

/// Runs an action for real; tests use their own.
public protocol ActionRunner: Sendable {
    /// Returns a short note on what happened; throws when the action failed.
    func run(_ action: ResponderConfig.Action) async throws -> String
}

/// What the responder did with one alert.
public struct Decision: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// The action ran and succeeded.
        case acted
        /// The action ran and failed.
        case failed
        /// Dry run: the action would have run.
        case dryRun = "dry_run"
        /// The rule acted for this alert less than its cooldown ago.
        case cooldown
        /// `max_actions` were taken in the window already.
        case rateLimited = "rate_limited"
        /// Resolved alerts are recorded, never acted on.
        case resolved
        /// No rule matches the alert.
        case noRule = "no_rule"
    }

    public var time: Date
    public var alertname: String
    public var labels: [String: String]
    public var status: String
    public var rule: String?
    public var action: String?
    public var outcome: Outcome
    public var detail: String?
}

/// Decides, for each alert of a webhook, whether a rule acts on it, runs the action, and records
/// the decision in the audit log (JSON lines) and the counters.
public actor Responder {
    public let config: ResponderConfig
    let runner: any ActionRunner
    let clock: @Sendable () -> ContinuousClock.Instant
    /// When each (rule, alert) last acted.
    private var lastAction: [String: ContinuousClock.Instant] = [:]
    /// When the actions in the current window were taken.
    private var recent: [ContinuousClock.Instant] = []
    private let audit: FileHandle?
    public private(set) var counts: [String: Int] = [:]
    public private(set) var received: [String: Int] = [:]

    public init(config: ResponderConfig, runner: any ActionRunner, clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) throws {
        self.config = config
        self.runner = runner
        self.clock = clock
        if let path = config.auditLog {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw ResponderConfig.Error(description: "cannot create the audit log \(path)")
                }
            }
            audit = FileHandle(forWritingAtPath: path)
            audit?.seekToEndOfFile()
        } else {
            audit = nil
        }
    }

    /// Handles one notification; returns a decision per alert, in order.
    public func handle(_ payload: WebhookPayload) async -> [Decision] {
        var decisions: [Decision] = []
        for alert in payload.alerts {
            received[alert.status, default: 0] += 1
            let decision = await decide(alert)
            counts["\(decision.rule ?? "") \(decision.outcome.rawValue)", default: 0] += 1
            record(decision)
            decisions.append(decision)
        }
        return decisions
    }

    private func decide(_ alert: WebhookPayload.Alert) async -> Decision {
        var d = Decision(time: Date(), alertname: alert.labels["alertname"] ?? "", labels: alert.labels, status: alert.status,
                         rule: nil, action: nil, outcome: .noRule, detail: nil)
        guard let rule = config.rules.first(where: { $0.matches(alert.labels) }) else { return d }
        d.rule = rule.name
        d.action = rule.action.description
        guard alert.status == "firing" else {
            d.outcome = .resolved
            return d
        }
        let now = clock()
        let key = rule.name + "\u{0}" + (alert.fingerprint ?? alert.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        if let last = lastAction[key], last.duration(to: now) < rule.cooldown {
            d.outcome = .cooldown
            return d
        }
        recent.removeAll { $0.duration(to: now) >= config.window }
        guard recent.count < config.maxActions else {
            d.outcome = .rateLimited
            return d
        }
        lastAction[key] = now
        recent.append(now)
        if config.dryRun {
            d.outcome = .dryRun
            return d
        }
        do {
            d.detail = try await runner.run(rule.action)
            d.outcome = .acted
        } catch {
            d.detail = "\(error)"
            d.outcome = .failed
        }
        return d
    }

    private func record(_ d: Decision) {
        guard let audit else { return }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        guard var line = try? encoder.encode(d) else { return }
        line.append(0x0A)
        audit.write(line)
    }

    /// The counters in Prometheus text format.
    public func metricsText() -> String {
        var out = "# HELP responder_alerts_received_total Alerts received from Alertmanager, by status.\n# TYPE responder_alerts_received_total counter\n"
        for status in ["firing", "resolved"] {
            out += "responder_alerts_received_total{status=\"\(status)\"} \(received[status] ?? 0)\n"
        }
        out += "# HELP responder_decisions_total What the responder did with each alert: acted, failed, dry_run, cooldown, rate_limited, resolved, no_rule.\n"
        out += "# TYPE responder_decisions_total counter\n"
        for key in counts.keys.sorted() {
            let parts = key.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            out += "responder_decisions_total{rule=\"\(parts[0])\",outcome=\"\(parts[1])\"} \(counts[key]!)\n"
        }
        return out
    }
}
