import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import OTelModel
import PipelineCore
import PromTranslation
import Prometheus
import Synchronization
import Telemetry
import Yams

/// The `prometheus` receiver: scrapes the targets of every job (static and file-discovered, after
/// `relabel_configs`) and pushes what it scrapes into the metrics pipelines as OTLP.
final class PrometheusReceiver: Component, Sendable {
    let config: PrometheusReceiverConfig
    let context: ComponentContext
    let next: any Consumer<MetricsData>
    private let jobs: [Job]
    /// Running loops by job and target identity.
    private let loops = Mutex<[String: ScrapeLoop]>([:])
    private let discovery = Mutex<[Task<Void, Never>]>([])

    struct Job: Sendable {
        var config: PrometheusReceiverConfig.ScrapeConfig
        var targetRules: [RelabelRule]
        var metricRules: [RelabelRule]
    }

    init(config: PrometheusReceiverConfig, context: ComponentContext, next: any Consumer<MetricsData>) throws {
        self.config = config
        self.context = context
        self.next = next
        jobs = try config.scrapeConfigs.map { c in
            Job(config: c, targetRules: try c.relabelConfigs.map { try $0.rule() }, metricRules: try c.metricRelabelConfigs.map { try $0.rule() })
        }
    }

    func start() async throws {
        for job in jobs {
            let staticGroups = job.config.staticConfigs.map { TargetGroup(targets: $0.targets, labels: $0.labels) }
            if job.config.fileSDConfigs.isEmpty {
                apply(job, groups: staticGroups)
                continue
            }
            // Re-read the files every refresh interval (and at once), keeping unchanged targets running.
            let refresh = job.config.fileSDConfigs.map(\.refreshInterval).min() ?? .seconds(300)
            let task = Task { [self] in
                var lastGroups: [TargetGroup]?
                while !Task.isCancelled {
                    let groups = staticGroups + job.config.fileSDConfigs.flatMap { readFiles($0.files, job: job.config.jobName) }
                    if groups != lastGroups {
                        apply(job, groups: groups)
                        lastGroups = groups
                    }
                    do { try await Task.sleep(for: refresh) } catch { return }
                }
            }
            discovery.withLock { $0.append(task) }
        }
    }

    func shutdown() async {
        let tasks = discovery.withLock { t in
            defer { t = [] }
            return t
        }
        for t in tasks { t.cancel() }
        for t in tasks { await t.value }
        let all = loops.withLock { l in
            defer { l = [:] }
            return Array(l.values)
        }
        for loop in all { await loop.stop() }
    }

    // MARK: Targets

    struct TargetGroup: Sendable, Equatable {
        var targets: [String]
        var labels: [(String, String)]
        static func == (a: TargetGroup, b: TargetGroup) -> Bool {
            a.targets == b.targets && a.labels.map(\.0) == b.labels.map(\.0) && a.labels.map(\.1) == b.labels.map(\.1)
        }
    }

    /// Starts loops for new targets and stops those no longer present (their series go stale).
    private func apply(_ job: Job, groups: [TargetGroup]) {
        var wanted: [String: ScrapeLoop.Settings] = [:]
        for group in groups {
            for address in group.targets {
                guard let settings = targetSettings(job, address: address, labels: group.labels) else { continue }
                wanted["\(job.config.jobName)\u{0}\(settings.target.instance)\u{0}\(settings.path)\u{0}\(settings.target.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ","))"] = settings
            }
        }
        let prefix = job.config.jobName + "\u{0}"
        let (started, stopped): ([ScrapeLoop], [ScrapeLoop]) = loops.withLock { running in
            var stopped: [ScrapeLoop] = []
            for (key, loop) in running where key.hasPrefix(prefix) && wanted[key] == nil {
                stopped.append(loop)
                running[key] = nil
            }
            var started: [ScrapeLoop] = []
            for (key, settings) in wanted where running[key] == nil {
                let loop = makeLoop(job, settings: settings)
                running[key] = loop
                started.append(loop)
            }
            return (started, stopped)
        }
        context.telemetry.scrapeTargets(context.id, job: job.config.jobName).set(Double(loops.withLock { $0.keys.filter { $0.hasPrefix(prefix) }.count }))
        if !started.isEmpty || !stopped.isEmpty {
            context.logger.info("prometheus receiver targets", metadata: [
                "job": "\(job.config.jobName)", "started": "\(started.map(\.settings.target.instance))",
                "stopped": "\(stopped.map(\.settings.target.instance))", "interval": "\(job.config.interval)",
            ])
        }
        for loop in started { loop.start() }
        if !stopped.isEmpty { Task { for loop in stopped { await loop.stop() } } }
    }

    private func makeLoop(_ job: Job, settings: ScrapeLoop.Settings) -> ScrapeLoop {
        let rules = job.metricRules
        @Sendable func apply(_ labels: [PromLabel]) -> [PromLabel]? {
            guard let set = Relabeler.apply(rules, to: LabelSet(labels.map { ($0.name, $0.value) })) else { return nil }
            return set.pairs.map { PromLabel(name: $0.name, value: $0.value) }
        }
        let relabel: (@Sendable ([PromLabel]) -> [PromLabel]?)? = rules.isEmpty ? nil : apply
        let converter = ScrapeConverter(target: settings.target, scopeVersion: context.telemetry.version, relabel: relabel)
        return ScrapeLoop(settings: settings, receiverID: context.id, converter: converter, group: context.eventLoopGroup,
                          next: next, telemetry: context.telemetry, logger: context.logger)
    }

    /// A target's labels through `relabel_configs`, as Prometheus builds them: `__address__`,
    /// `__scheme__`, `__metrics_path__`, `__param_<name>`, `job` and the group's labels in; `instance`
    /// defaults to the address, and labels starting with `__` are removed afterwards. Nil when dropped.
    func targetSettings(_ job: Job, address: String, labels: [(String, String)]) -> ScrapeLoop.Settings? {
        let c = job.config
        var input: [(String, String)] = [
            ("__address__", address), ("__scheme__", c.scheme), ("__metrics_path__", c.metricsPath),
            ("__scrape_interval__", Self.format(c.interval)), ("__scrape_timeout__", Self.format(c.timeout)), ("job", c.jobName),
        ]
        for (name, values) in c.params { if let first = values.first { input.append(("__param_\(name)", first)) } }
        for (name, value) in labels where !input.contains(where: { $0.0 == name }) { input.append((name, value)) }
        for (name, value) in labels { if let i = input.firstIndex(where: { $0.0 == name }) { input[i].1 = value } }
        guard let relabeled = Relabeler.apply(job.targetRules, to: LabelSet(input)) else { return nil }
        var out: [String: String] = [:]
        for p in relabeled.pairs { out[p.name] = p.value }
        guard let addr = out["__address__"], let endpoint = HostPort.parseTarget(addr) else {
            context.logger.warning("target dropped: no valid __address__ after relabeling", metadata: ["job": "\(c.jobName)", "target": "\(address)"])
            return nil
        }
        // A target relabeled to https is not scraped in plain text (with its credentials) instead.
        guard (out["__scheme__"] ?? c.scheme) == "http" else {
            context.logger.warning("target dropped: only http targets can be scraped (https is not supported yet)",
                                   metadata: ["job": "\(c.jobName)", "target": "\(address)", "scheme": "\(out["__scheme__"] ?? "")"])
            return nil
        }
        var params = c.params
        for (name, value) in out where name.hasPrefix("__param_") {
            let key = String(name.dropFirst("__param_".count))
            if let i = params.firstIndex(where: { $0.0 == key }) { params[i].1 = [value] } else { params.append((key, [value])) }
        }
        var path = out["__metrics_path__"] ?? c.metricsPath
        if !params.isEmpty {
            var components = URLComponents()
            components.queryItems = params.flatMap { name, values in values.map { URLQueryItem(name: name, value: $0) } }
            path += (path.contains("?") ? "&" : "?") + (components.percentEncodedQuery ?? "")
        }
        let instance = out["instance"] ?? addr
        let targetLabels = out.filter { !$0.key.hasPrefix("__") && $0.key != "job" && $0.key != "instance" && !$0.value.isEmpty }
            .map { PromLabel(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
        let target = ScrapeTarget(job: out["job"] ?? c.jobName, instance: instance, scheme: out["__scheme__"] ?? c.scheme, host: endpoint.host, port: endpoint.port,
                                  labels: targetLabels, honorLabels: c.honorLabels, honorTimestamps: c.honorTimestamps)
        return ScrapeLoop.Settings(target: target, path: path, interval: c.interval, timeout: c.timeout,
                                   bodySizeLimit: c.bodySizeLimit > 0 ? c.bodySizeLimit : PrometheusReceiverConfig.defaultBodySizeLimit,
                                   sampleLimit: c.sampleLimit, authorization: c.authorization)
    }

    static func format(_ d: Duration) -> String {
        let ms = Int64(d.seconds * 1000)
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }

    /// Target groups from `file_sd_configs` files (JSON or YAML lists of `{targets, labels}`); files
    /// that cannot be read or parsed are logged and skipped.
    private func readFiles(_ patterns: [String], job: String) -> [TargetGroup] {
        var groups: [TargetGroup] = []
        for pattern in patterns {
            // A plain path that is missing is still tried, so that it is reported.
            let matched = FileGlob(pattern).expand()
            for path in matched.isEmpty && !pattern.contains(where: { "*?[".contains($0) }) ? [pattern] : matched {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    context.logger.warning("file_sd: cannot read file", metadata: ["job": "\(job)", "file": "\(path)"])
                    continue
                }
                guard let list = (try? Yams.load(yaml: text)) as? [Any] else {
                    context.logger.warning("file_sd: not a list of target groups", metadata: ["job": "\(job)", "file": "\(path)"])
                    continue
                }
                for item in list {
                    guard let entry = item as? [String: Any], let targets = entry["targets"] as? [Any] else { continue }
                    let labels = (entry["labels"] as? [String: Any] ?? [:]).map { ($0.key, "\($0.value)") }.sorted { $0.0 < $1.0 }
                    groups.append(TargetGroup(targets: targets.map { "\($0)" }, labels: labels + [("__meta_filepath", path)]))
                }
            }
        }
        return groups
    }
}
