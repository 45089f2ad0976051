import Configuration
import Factories
import Foundation
import PipelineCore
import PromTranslation

/// `prometheus` receiver settings: the collector's shape, a Prometheus configuration under `config`
/// (`global` and `scrape_configs`).
public struct PrometheusReceiverConfig: ComponentConfig {
    public struct ScrapeConfig: Sendable {
        public var jobName = ""
        public var interval: Duration = .seconds(60)
        public var timeout: Duration = .seconds(10)
        public var metricsPath = "/metrics"
        public var scheme = "http"
        public var params: [(String, [String])] = []
        public var honorLabels = false
        public var honorTimestamps = true
        public var staticConfigs: [StaticConfig] = []
        public var fileSDConfigs: [FileSDConfig] = []
        /// `Authorization` header value, from `basic_auth` or `authorization`.
        public var authorization: String?
        public var relabelConfigs: [RelabelSettings] = []
        public var metricRelabelConfigs: [RelabelSettings] = []
        /// Largest uncompressed body accepted; 0 = the receiver's default.
        public var bodySizeLimit = 0
        /// Most samples per scrape; 0 = no limit.
        public var sampleLimit = 0
    }

    public struct StaticConfig: Sendable {
        public var targets: [String] = []
        public var labels: [(String, String)] = []
    }

    public struct FileSDConfig: Sendable {
        public var files: [String] = []
        public var refreshInterval: Duration = .seconds(300)
    }

    /// One `relabel_config`, as written; turned into a rule when the receiver is built.
    public struct RelabelSettings: Sendable {
        func rule() throws(RelabelError) -> RelabelRule {
            try RelabelRule(sourceLabels: sourceLabels, separator: separator, targetLabel: targetLabel, regex: regex,
                            modulus: modulus, replacement: replacement, action: action)
        }

        public var sourceLabels: [String] = []
        public var separator = ";"
        public var targetLabel: String?
        public var regex = "(.*)"
        public var modulus: UInt64?
        public var replacement = "$1"
        public var action = "replace"
    }

    public var scrapeConfigs: [ScrapeConfig] = []
    /// The receiver's default body size limit (Prometheus has none; an agent must bound its memory).
    public static let defaultBodySizeLimit = 64 << 20

    init(reading r: ConfigReader) {
        guard let config = r.section("config") else {
            r.error("'config' is required: a Prometheus configuration with 'scrape_configs'")
            r.finish()
            return
        }
        var globalInterval: Duration = .seconds(60)
        var globalTimeout: Duration = .seconds(10)
        if let g = config.section("global") {
            globalInterval = g.duration("scrape_interval", default: globalInterval)
            globalTimeout = g.duration("scrape_timeout", default: globalTimeout)
            _ = g.duration("evaluation_interval", default: .seconds(60))
            if g.has("external_labels") {
                g.error("'external_labels' of the scrape configuration are not applied by this receiver; set them on the exporter", key: "external_labels")
                _ = g.raw("external_labels")
            }
            g.finish()
        }
        var names: Set<String> = []
        for sc in config.sectionList("scrape_configs") {
            var c = ScrapeConfig()
            c.jobName = sc.string("job_name")
            if c.jobName.isEmpty { sc.error("'job_name' is required") }
            if !names.insert(c.jobName).inserted { sc.error("job_name '\(c.jobName)' is used twice", key: "job_name") }
            c.interval = sc.duration("scrape_interval", default: globalInterval)
            c.timeout = sc.duration("scrape_timeout", default: min(globalTimeout, c.interval))
            if c.interval <= .zero { sc.error("'scrape_interval' must be positive", key: "scrape_interval") }
            if c.timeout <= .zero || c.timeout > c.interval {
                sc.error("'scrape_timeout' must be positive and not longer than 'scrape_interval'", key: "scrape_timeout")
            }
            c.metricsPath = sc.string("metrics_path", default: "/metrics")
            c.scheme = sc.choice("scheme", ["http", "https"], default: "http")
            if c.scheme == "https" { sc.error("'scheme: https' is not supported yet", key: "scheme") }
            if let p = sc.section("params") {
                for (key, _) in p.keys { c.params.append((key, p.stringList(key))) }
                p.finish()
            }
            c.honorLabels = sc.bool("honor_labels", default: false)
            c.honorTimestamps = sc.bool("honor_timestamps", default: true)
            for st in sc.sectionList("static_configs") {
                var s = StaticConfig()
                s.targets = st.stringList("targets")
                s.labels = st.stringMap("labels")
                for t in s.targets where HostPort.parseTarget(t) == nil {
                    st.error("target '\(t)' must be host:port", key: "targets")
                }
                for (name, _) in s.labels where !PromNaming.isValidLabelName(name) {
                    st.error("'\(name)' is not a valid label name", key: "labels")
                }
                st.finish()
                c.staticConfigs.append(s)
            }
            for fs in sc.sectionList("file_sd_configs") {
                var f = FileSDConfig()
                f.files = fs.stringList("files")
                f.refreshInterval = fs.duration("refresh_interval", default: f.refreshInterval)
                if f.files.isEmpty { fs.error("'files' is required") }
                fs.finish()
                c.fileSDConfigs.append(f)
            }
            if let b = sc.section("basic_auth") {
                let user = b.string("username")
                var password = b.string("password")
                if let file = b.optionalString("password_file") {
                    if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                        password = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    } else {
                        b.error("cannot read password_file '\(file)'", key: "password_file")
                    }
                }
                b.finish()
                c.authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            }
            if let a = sc.section("authorization") {
                let type = a.string("type", default: "Bearer")
                var credentials = a.string("credentials")
                if let file = a.optionalString("credentials_file") {
                    if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                        credentials = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    } else {
                        a.error("cannot read credentials_file '\(file)'", key: "credentials_file")
                    }
                }
                a.finish()
                if c.authorization != nil { sc.error("'basic_auth' and 'authorization' cannot both be set", key: "authorization") }
                c.authorization = "\(type) \(credentials)"
            }
            if let t = sc.section("tls_config") {
                _ = t.bool("insecure_skip_verify", default: false)
                t.finish()
            }
            c.relabelConfigs = Self.relabel(sc, "relabel_configs")
            c.metricRelabelConfigs = Self.relabel(sc, "metric_relabel_configs")
            c.bodySizeLimit = sc.byteSize("body_size_limit", default: 0)
            c.sampleLimit = sc.int("sample_limit", default: 0, min: 0)
            sc.finish()
            if c.staticConfigs.isEmpty && c.fileSDConfigs.isEmpty {
                sc.error("job '\(c.jobName)' has no targets: add 'static_configs' or 'file_sd_configs'")
            }
            scrapeConfigs.append(c)
        }
        if scrapeConfigs.isEmpty { config.error("'scrape_configs' must list at least one job") }
        config.finish()
        r.finish()
    }

    private static func relabel(_ r: ConfigReader, _ key: String) -> [RelabelSettings] {
        r.sectionList(key).map { c in
            var s = RelabelSettings()
            s.sourceLabels = c.stringList("source_labels")
            s.separator = c.string("separator", default: ";")
            s.targetLabel = c.optionalString("target_label")
            s.regex = c.string("regex", default: "(.*)")
            if c.has("modulus") { s.modulus = UInt64(c.int("modulus", default: 0, min: 1)) }
            s.replacement = c.string("replacement", default: "$1")
            s.action = c.string("action", default: "replace").lowercased()
            do {
                _ = try s.rule()
            } catch {
                c.error("\(key): \(error)")
            }
            c.finish()
            return s
        }
    }
}

