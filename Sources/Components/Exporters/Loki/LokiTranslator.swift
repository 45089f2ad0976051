import Foundation
import LokiPush
import OTelModel

/// OTLP log records → Loki streams, per tenant.
///
/// A record's labels are the configured resource and record attributes, the attributes named by the
/// hints `loki.resource.labels` (on the resource) and `loki.attribute.labels` (on the record), and the
/// default labels `job` (`service.namespace/service.name`), `instance` (`service.instance.id`),
/// `exporter` (`OTLP`) and `level`. Its line is written in the configured format (or the `loki.format`
/// hint's). Trace id, span id and severity travel as structured metadata, with any attributes
/// configured for it. Records with too many labels, or that would open a stream beyond `max_streams`,
/// are dropped and counted.
struct LokiTranslator {
    let config: LokiExporterConfig
    /// Record attributes that become labels, with the attribute names as bytes (looked up per record).
    private let attributeLabels: [(key: ByteString, label: String)]
    private static let formatHint: ByteString = "loki.format"
    private static let attributeLabelsHint: ByteString = "loki.attribute.labels"

    init(config: LokiExporterConfig) {
        self.config = config
        attributeLabels = config.attributeLabels.map { (ByteString($0.attribute), $0.label) }
    }

    /// Records left out, by reason.
    struct Dropped: Equatable {
        var tooManyLabels = 0
        var streamLimit = 0
    }

    /// The streams of one tenant (nil: the configured tenant or none).
    struct Batch {
        var tenant: String?
        var streams: [LokiStream]
        var records: Int
    }

    func translate(_ data: LogsData, streams known: inout StreamLimiter, now: UInt64) -> (batches: [Batch], dropped: Dropped) {
        var dropped = Dropped()
        var batches: [Batch] = []
        var batchIndex: [String: Int] = [:]
        var selectors: [[String: Int]] = []
        for rl in data.resourceLogs {
            let resource = rl.resource?.attributes.list ?? []
            let tenant = tenant(resource)
            let resourceLabels = labels(resourceLabelsOf: resource)
            let resourceFormat = hint(resource, "loki.format")
            let b: Int
            if let i = batchIndex[tenant ?? ""] {
                b = i
            } else {
                b = batches.count
                batchIndex[tenant ?? ""] = b
                batches.append(Batch(tenant: tenant, streams: [], records: 0))
                selectors.append([:])
            }
            for sl in rl.scopeLogs {
                for record in sl.logRecords {
                    var labels = resourceLabels
                    for (name, value) in self.labels(recordLabelsOf: record) { labels[name] = value }
                    let list = labels.filter { !$0.value.isEmpty }.map { LokiLabel(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
                    guard !list.isEmpty else { continue }
                    guard list.count <= config.maxLabelNames else {
                        dropped.tooManyLabels += 1
                        continue
                    }
                    let selector = LokiLabels.selector(list)
                    guard known.admit(selector, now: now) else {
                        dropped.streamLimit += 1
                        continue
                    }
                    let s: Int
                    if let i = selectors[b][selector] {
                        s = i
                    } else {
                        s = batches[b].streams.count
                        selectors[b][selector] = s
                        batches[b].streams.append(LokiStream(labels: list))
                    }
                    let format = record.attributes[key: Self.formatHint].map(LokiLine.text) ?? resourceFormat
                    batches[b].streams[s].entries.append(entry(record, resource: resource, scope: sl.scope, format: format, now: now))
                    batches[b].records += 1
                }
            }
        }
        for b in batches.indices {
            for s in batches[b].streams.indices {
                // Stable: records with one timestamp keep their order.
                let entries = batches[b].streams[s].entries.enumerated().sorted {
                    ($0.element.timestampNanos, $0.offset) < ($1.element.timestampNanos, $1.offset)
                }
                batches[b].streams[s].entries = entries.map(\.element)
            }
        }
        return (batches.filter { $0.records > 0 }, dropped)
    }

    /// `level` from a severity number, the words Loki recognises.
    static func level(_ n: SeverityNumber) -> String {
        switch n.rawValue {
        case 1...4: "trace"
        case 5...8: "debug"
        case 9...12: "info"
        case 13...16: "warn"
        case 17...20: "error"
        case 21...24: "fatal"
        default: "unknown"
        }
    }

    // MARK: Pieces

    private func entry(_ record: LogRecord, resource: [KeyValue], scope: InstrumentationScope?, format: String?, now: UInt64) -> LokiEntry {
        let time = record.timeUnixNano != 0 ? record.timeUnixNano : (record.observedTimeUnixNano != 0 ? record.observedTimeUnixNano : now)
        let line: String
        switch format.flatMap(LokiExporterConfig.LineFormat.init(rawValue:)) ?? config.format {
        case .json: line = LokiLine.json(record, resource: resource, scope: scope)
        case .logfmt: line = LokiLine.logfmt(record)
        case .raw: line = LokiLine.raw(record, traceIDInLine: config.traceIDInLine)
        }
        var metadata: [LokiLabel] = []
        if !record.traceID.isZero { metadata.append(LokiLabel(name: "trace_id", value: record.traceID.hex)) }
        if !record.spanID.isZero { metadata.append(LokiLabel(name: "span_id", value: record.spanID.hex)) }
        if !record.severityText.isEmpty {
            metadata.append(LokiLabel(name: "severity_text", value: record.severityText.string))
        }
        if record.severityNumber != .unspecified {
            metadata.append(LokiLabel(name: "severity_number", value: String(record.severityNumber.rawValue)))
        }
        for name in config.structuredMetadata {
            if let value = record.attributes[key: ByteString(name)] {
                metadata.append(LokiLabel(name: LokiLabels.sanitize(name), value: LokiLine.text(value)))
            }
        }
        return LokiEntry(timestampNanos: Int64(clamping: time), line: line, structuredMetadata: metadata)
    }

    private func labels(resourceLabelsOf resource: [KeyValue]) -> [String: String] {
        var out: [String: String] = [:]
        func value(_ name: String) -> String? { resource.first { $0.key.string == name }.map { LokiLine.text($0.value) } }
        if config.defaultExporter { out["exporter"] = "OTLP" }
        if config.defaultJob, let service = value("service.name") {
            out["job"] = value("service.namespace").map { $0.isEmpty ? service : "\($0)/\(service)" } ?? service
        }
        if config.defaultInstance, let instance = value("service.instance.id") { out["instance"] = instance }
        for (attribute, label) in config.resourceLabels {
            if let v = value(attribute) { out[label] = v }
        }
        for name in hintList(resource, "loki.resource.labels") {
            if let v = value(name) { out[LokiLabels.sanitize(name)] = v }
        }
        return out
    }

    private func labels(recordLabelsOf record: LogRecord) -> [String: String] {
        var out: [String: String] = [:]
        if config.defaultLevel {
            if !record.severityText.isEmpty {
                out["level"] = record.severityText.string.lowercased()
            } else if record.severityNumber != .unspecified {
                out["level"] = Self.level(record.severityNumber)
            }
        }
        let hinted = record.attributes[key: Self.attributeLabelsHint]
        guard !attributeLabels.isEmpty || hinted != nil else { return out }
        for (key, label) in attributeLabels {
            if let v = record.attributes[key: key] { out[label] = LokiLine.text(v) }
        }
        if let hinted {
            for name in Self.list(LokiLine.text(hinted)) {
                if let v = record.attributes[key: ByteString(name)] { out[LokiLabels.sanitize(name)] = LokiLine.text(v) }
            }
        }
        return out
    }

    /// The tenant: the `loki.tenant` hint names the resource attribute holding it; else the config's.
    private func tenant(_ resource: [KeyValue]) -> String? {
        if let attribute = hint(resource, "loki.tenant"),
           let value = resource.first(where: { $0.key.string == attribute }).map({ LokiLine.text($0.value) }), !value.isEmpty {
            return value
        }
        return config.tenantID
    }

    private func hint(_ attributes: [KeyValue], _ name: String) -> String? {
        attributes.first { $0.key.string == name }.map { LokiLine.text($0.value) }
    }

    private func hintList(_ attributes: [KeyValue], _ name: String) -> [String] {
        hint(attributes, name).map(Self.list) ?? []
    }

    /// A hint's comma-separated attribute names.
    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Counts the distinct streams sent in the current hour and refuses new ones past the limit, so that a
/// label with unbounded values (a request id, a trace id) cannot flood Loki with streams.
struct StreamLimiter {
    let limit: Int
    private var seen = Set<String>()
    private var windowStart: UInt64 = 0
    static let window: UInt64 = 3600 * 1_000_000_000

    init(limit: Int) { self.limit = limit }

    mutating func admit(_ selector: String, now: UInt64) -> Bool {
        if now &- windowStart >= Self.window {
            seen.removeAll(keepingCapacity: true)
            windowStart = now
        }
        if seen.contains(selector) { return true }
        guard seen.count < limit else { return false }
        seen.insert(selector)
        return true
    }
}
