import Foundation
import OTelModel
import PromTranslation
import Synchronization

/// OTLP metrics → Prometheus series, by the OpenTelemetry specification's compatibility rules
/// (`prometheus_and_openmetrics.md`): names with unit and type suffixes, `_bucket`/`_sum`/`_count`
/// with `le`, summary `quantile`, `job`/`instance` from the resource, `target_info`, scope labels,
/// exemplars with trace ids, and `NO_RECORDED_VALUE` as the staleness marker.
final class RemoteWriteTranslator: Sendable {
    struct Settings: Sendable {
        var namespace: String?
        var addMetricSuffixes = true
        var resourceToTelemetry = false
        var targetInfo = true
        /// Added to every series that does not have the label already.
        var externalLabels: [PromLabel] = []
    }

    /// Data points that cannot be sent as Prometheus series, by reason.
    struct Dropped: Equatable {
        /// Delta sums and histograms: Prometheus only has cumulative counters.
        var deltaTemporality = 0
        /// Exponential histograms (native histograms are not sent) and metrics without data.
        var unsupportedType = 0
        var total: Int { deltaTemporality + unsupportedType }
    }

    let settings: Settings
    /// Name translations and label-set building keep caches and buffers; one export at a time uses them.
    private let work: Mutex<Work>

    private struct Work {
        var names: NameCache
        var builder = LabelSetBuilder(minimumCapacity: 16)
        /// Base label sets by context (resource and scope) and attributes: the same series come back
        /// in every batch, and their labels need building only once.
        var bases: [BaseKey: BaseLabels] = [:]
        var contexts: [[PromLabel]: Int] = [:]
        var series = SeriesTable()
    }

    /// A point's attributes in one context, as bytes of their own: a key must not keep alive the
    /// request buffer that decoded attributes point into.
    struct BaseKey: Hashable {
        let context: Int
        let hash: UInt64
        let attributes: [UInt8]
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (a: BaseKey, b: BaseKey) -> Bool {
            guard a.hash == b.hash, a.context == b.context, a.attributes.count == b.attributes.count else { return false }
            return a.attributes.withUnsafeBytes { x in b.attributes.withUnsafeBytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
        }
    }

    /// Bounds the caches (base label sets, and series); they are emptied when they grow past this.
    static let cacheLimit = 200_000

    init(settings: Settings) {
        self.settings = settings
        work = Mutex(Work(names: NameCache(capacity: 8192, addSuffixes: settings.addMetricSuffixes, namespace: settings.namespace)))
    }

    /// Every series of `data`, each with its samples in time order, and the points that were dropped.
    func translate(_ data: MetricsData) -> (series: [RemoteWrite.TimeSeries], hashes: [UInt64], dropped: Dropped) {
        work.withLock { work in
            if work.bases.count > Self.cacheLimit || work.series.count > Self.cacheLimit {
                work.bases.removeAll(keepingCapacity: true)
                work.contexts.removeAll()
                work.series.removeAll()
            }
            var pass = Pass(settings: settings, names: work.names, builder: work.builder, bases: work.bases, contexts: work.contexts, table: work.series)
            work.bases = [:]
            work.series = SeriesTable()
            for rm in data.resourceMetrics { pass.add(rm) }
            let result = pass.out.finish(&pass.table)
            work.builder = pass.builder
            work.bases = pass.bases
            work.contexts = pass.contexts
            work.series = pass.table
            return (result.series, result.hashes, pass.dropped)
        }
    }

    /// One translation: the series so far, the drop counts, and the caches it borrows.
    private struct Pass {
        let settings: Settings
        let names: NameCache
        var builder: LabelSetBuilder
        var bases: [BaseKey: BaseLabels]
        var contexts: [[PromLabel]: Int]
        var table: SeriesTable
        /// The attributes of the point at hand, written out for the base-label cache.
        var key: [UInt8] = []
        var out = SeriesSet()
        var dropped = Dropped()

        init(settings: Settings, names: NameCache, builder: LabelSetBuilder, bases: [BaseKey: BaseLabels], contexts: [[PromLabel]: Int], table: SeriesTable) {
            self.settings = settings
            self.names = names
            self.builder = builder
            self.bases = bases
            self.contexts = contexts
            self.table = table
        }

        mutating func add(_ rm: ResourceMetrics) {
            // job and instance from the service attributes; the rest for target_info (or every series).
            var serviceName: String?
            var serviceNamespace: String?
            var instance: String?
            var others: [(key: String, value: String)] = []
            for kv in rm.resource?.attributes ?? [] {
                let key = kv.key.string
                switch key {
                case "service.name": serviceName = RemoteWriteTranslator.labelValue(kv.value)
                case "service.namespace": serviceNamespace = RemoteWriteTranslator.labelValue(kv.value)
                case "service.instance.id": instance = RemoteWriteTranslator.labelValue(kv.value)
                default: others.append((key, RemoteWriteTranslator.labelValue(kv.value)))
                }
            }
            var identity: [PromLabel] = []
            if let serviceName, !serviceName.isEmpty {
                identity.append(PromLabel("job", serviceNamespace.map { $0.isEmpty ? serviceName : "\($0)/\(serviceName)" } ?? serviceName))
            }
            if let instance, !instance.isEmpty { identity.append(PromLabel("instance", instance)) }
            let resource = Resource(identity: identity, attributes: settings.resourceToTelemetry ? others : [])

            var newest: Int64 = 0
            for sm in rm.scopeMetrics {
                let scope = scopeLabels(sm.scope)
                let context = context(resource, scope)
                for metric in sm.metrics {
                    newest = max(newest, add(metric, resource: resource, scope: scope, context: context))
                }
            }
            if settings.targetInfo, !others.isEmpty, newest > 0 {
                builder.removeAll()
                for (key, value) in others { builder.addAttribute(key, value: value, names: names) }
                for l in identity { builder.setReserved(l.name, l.value) }
                let name = (settings.namespace.map { PromNaming.labelName($0) + "_" } ?? "") + "target_info"
                let labels = finish(builder.build(), [PromLabel("__name__", name)])
                out.add(table.series(labels), RemoteWrite.Sample(value: 1, timestampMs: newest), &table)
            }
        }

        struct Resource {
            var identity: [PromLabel]
            var attributes: [(key: String, value: String)]
        }

        /// A number for the labels a point gets from its resource and scope, for the base-label cache.
        private mutating func context(_ resource: Resource, _ scope: [PromLabel]) -> Int {
            let key = resource.identity + scope + resource.attributes.map { PromLabel($0.key, $0.value) }
            if let id = contexts[key] { return id }
            let id = contexts.count
            contexts[key] = id
            return id
        }

        private func scopeLabels(_ scope: InstrumentationScope?) -> [PromLabel] {
            guard let scope, !scope.name.isEmpty else { return [] }
            var labels = [PromLabel("otel_scope_name", scope.name.string)]
            if !scope.version.isEmpty { labels.append(PromLabel("otel_scope_version", scope.version.string)) }
            for kv in scope.attributes {
                let key = "otel_scope_" + names.labelName(kv.key.string)
                if key == "otel_scope_name" || key == "otel_scope_version" || key == "otel_scope_schema_url" { continue }
                labels.append(PromLabel(key, RemoteWriteTranslator.labelValue(kv.value)))
            }
            return labels
        }

        /// The labels of a point without its name: attributes (colliding keys joined with `;`), the
        /// resource's when asked for, then scope labels and job/instance, which win over attributes.
        private mutating func base(_ attributes: Attributes, resource: Resource, scope: [PromLabel], context: Int) -> BaseLabels {
            guard Self.write(attributes, to: &key) else { return BaseLabels(buildBase(attributes, resource: resource, scope: scope)) }
            var h = WordHash()
            key.withUnsafeBytes { h.add(bytes: $0) }
            let cacheKey = BaseKey(context: context, hash: h.value, attributes: key)
            if let cached = bases[cacheKey] {
                cached.rewind()
                return cached
            }
            let built = BaseLabels(buildBase(attributes, resource: resource, scope: scope))
            bases[cacheKey] = built
            return built
        }

        /// Writes scalar attributes to `out` as length-prefixed keys and tagged values; false when
        /// one is an array, map or bytes (those are not cached).
        private static func write(_ attributes: Attributes, to out: inout [UInt8]) -> Bool {
            out.removeAll(keepingCapacity: true)
            func append(_ word: UInt64, tag: UInt8) {
                out.append(tag)
                withUnsafeBytes(of: word.littleEndian) { out.append(contentsOf: $0) }
            }
            for kv in attributes {
                append(UInt64(kv.key.count), tag: 0)
                kv.key.withUnsafeBytes { out.append(contentsOf: $0) }
                switch kv.value {
                case .string(let v):
                    append(UInt64(v.count), tag: 1)
                    v.withUnsafeBytes { out.append(contentsOf: $0) }
                case .int(let i): append(UInt64(bitPattern: i), tag: 2)
                case .double(let d): append(d.bitPattern, tag: 3)
                case .bool(let b): append(b ? 1 : 0, tag: 4)
                case .unset, .empty: out.append(5)
                default: return false
                }
            }
            return true
        }

        /// The series of `base` under `family` (with a suffix and `le`/`quantile` for some roles).
        private mutating func series(_ base: BaseLabels, _ family: String, _ role: BaseLabels.Role, bound: Double = 0) -> SeriesTable.Entry {
            if let known = base.series(family, role, bound) { return known }
            var extras = [PromLabel("__name__", role.suffix.isEmpty ? family : family + role.suffix)]
            switch role {
            case .bucket: extras.append(PromLabel("le", PromFloat.format(bound)))
            case .quantile: extras.append(PromLabel("quantile", PromFloat.format(bound)))
            default: break
            }
            let entry = table.series(finish(base.labels, extras))
            base.remember(entry, family, role, bound)
            return entry
        }

        private mutating func buildBase(_ attributes: Attributes, resource: Resource, scope: [PromLabel]) -> [PromLabel] {
            builder.removeAll()
            for kv in attributes { builder.addAttribute(kv.key.string, value: RemoteWriteTranslator.labelValue(kv.value), names: names) }
            for (key, value) in resource.attributes { builder.addAttribute(key, value: value, names: names) }
            for l in scope { builder.setReserved(l.name, l.value) }
            for l in resource.identity { builder.setReserved(l.name, l.value) }
            return builder.build()
        }

        /// `base` (sorted) with `extras` (sorted; they win) merged in, then external labels where absent.
        private func finish(_ base: [PromLabel], _ extras: [PromLabel]) -> [PromLabel] {
            var out: [PromLabel] = []
            out.reserveCapacity(base.count + extras.count + settings.externalLabels.count)
            var i = 0
            var j = 0
            while i < base.count || j < extras.count {
                if j == extras.count || (i < base.count && base[i].name < extras[j].name) {
                    out.append(base[i])
                    i += 1
                } else {
                    if i < base.count && base[i].name == extras[j].name { i += 1 }
                    out.append(extras[j])
                    j += 1
                }
            }
            guard !settings.externalLabels.isEmpty else { return out }
            for l in settings.externalLabels where !out.contains(where: { $0.name == l.name }) { out.append(l) }
            out.sort { $0.name < $1.name }
            return out
        }

        /// Adds the series of one metric; returns the newest timestamp seen (ms), 0 for none.
        private mutating func add(_ metric: Metric, resource: Resource, scope: [PromLabel], context: Int) -> Int64 {
            let name = metric.name.string
            let unit = metric.unit.string
            var newest: Int64 = 0
            func ms(_ nanos: UInt64) -> Int64 {
                let t = Int64(clamping: nanos / 1_000_000)
                newest = max(newest, t)
                return t
            }
            switch metric.data {
            case .none:
                break
            case .gauge(let g):
                let family = names.metricName(name, unit: unit, kind: .gauge)
                for p in g.dataPoints {
                    let series = series(base(p.attributes, resource: resource, scope: scope, context: context), family, .plain)
                    out.add(series, sample(p.value.doubleValue, flags: p.flags, at: ms(p.timeUnixNano)), &table)
                }
            case .sum(let s):
                guard s.aggregationTemporality != .delta else {
                    dropped.deltaTemporality += s.dataPoints.count
                    break
                }
                let counter = s.isMonotonic
                let family = names.metricName(name, unit: unit, kind: counter ? .counter : .gauge)
                for p in s.dataPoints {
                    let series = series(base(p.attributes, resource: resource, scope: scope, context: context), family, .plain)
                    out.add(series, sample(p.value.doubleValue, flags: p.flags, at: ms(p.timeUnixNano)), &table,
                            exemplars: counter && !p.exemplars.isEmpty ? p.exemplars.suffix(1).map(exemplar) : [])
                }
            case .histogram(let h):
                guard h.aggregationTemporality != .delta else {
                    dropped.deltaTemporality += h.dataPoints.count
                    break
                }
                let family = names.metricName(name, unit: unit, kind: .histogram)
                for p in h.dataPoints {
                    let t = ms(p.timeUnixNano)
                    let common = base(p.attributes, resource: resource, scope: scope, context: context)
                    var cumulative: UInt64 = 0
                    var exemplars = p.exemplars
                    for (i, bound) in p.explicitBounds.enumerated() {
                        cumulative &+= i < p.bucketCounts.count ? p.bucketCounts[i] : 0
                        // One exemplar per bucket (the latest that falls in it).
                        var mine: [RemoteWrite.Exemplar] = []
                        if !exemplars.isEmpty {
                            mine = exemplars.filter { $0.value.doubleValue <= bound }.suffix(1).map(exemplar)
                            exemplars.removeAll { $0.value.doubleValue <= bound }
                        }
                        out.add(series(common, family, .bucket, bound: bound), sample(Double(cumulative), flags: p.flags, at: t), &table, exemplars: mine)
                    }
                    out.add(series(common, family, .bucket, bound: .infinity), sample(Double(p.count), flags: p.flags, at: t), &table,
                            exemplars: exemplars.suffix(1).map(exemplar))
                    if let sum = p.sum {
                        out.add(series(common, family, .sum), sample(sum, flags: p.flags, at: t), &table)
                    }
                    out.add(series(common, family, .count), sample(Double(p.count), flags: p.flags, at: t), &table)
                }
            case .exponentialHistogram(let e):
                dropped.unsupportedType += e.dataPoints.count
            case .summary(let s):
                let family = names.metricName(name, unit: unit, kind: .summary)
                for p in s.dataPoints {
                    let t = ms(p.timeUnixNano)
                    let common = base(p.attributes, resource: resource, scope: scope, context: context)
                    for q in p.quantileValues.sorted(by: { $0.quantile < $1.quantile }) {
                        out.add(series(common, family, .quantile, bound: q.quantile), sample(q.value, flags: p.flags, at: t), &table)
                    }
                    out.add(series(common, family, .sum), sample(p.sum, flags: p.flags, at: t), &table)
                    out.add(series(common, family, .count), sample(Double(p.count), flags: p.flags, at: t), &table)
                }
            }
            return newest
        }

        private func sample(_ value: Double, flags: UInt32, at t: Int64) -> RemoteWrite.Sample {
            RemoteWrite.Sample(value: flags & DataPointFlags.noRecordedValue != 0 ? RemoteWrite.staleNaN : value, timestampMs: t)
        }

        private func exemplar(_ e: Exemplar) -> RemoteWrite.Exemplar {
            var labels: [PromLabel] = []
            var runes = 0
            if !e.traceID.isZero {
                labels.append(PromLabel("trace_id", e.traceID.hex))
                runes += 8 + 32
            }
            if !e.spanID.isZero {
                labels.append(PromLabel("span_id", e.spanID.hex))
                runes += 7 + 16
            }
            // OpenMetrics allows 128 code points of exemplar labels; the ids come first.
            for kv in e.filteredAttributes {
                let name = names.labelName(kv.key.string)
                guard !name.isEmpty, name != "trace_id", name != "span_id" else { continue }
                let value = RemoteWriteTranslator.labelValue(kv.value)
                let n = name.unicodeScalars.count + value.unicodeScalars.count
                guard !value.isEmpty, runes + n <= 128 else { continue }
                runes += n
                labels.append(PromLabel(name, value))
            }
            return RemoteWrite.Exemplar(labels: labels.sorted(), value: e.value.doubleValue, timestampMs: Int64(clamping: e.timeUnixNano / 1_000_000))
        }
    }

    /// An attribute value as a label value: the Collector's text for it (`AsString`): strings as
    /// they are, other values as the attribute specification spells them (JSON for arrays and maps).
    static func labelValue(_ v: AnyValue) -> String { v.collectorString }
}

/// The base labels of one attribute set in one context, and the series made from them under each
/// metric family it was seen with. Points of a scrape come in the same order every time, so the next
/// series asked for is usually the one after the last: that one is tried first.
final class BaseLabels {
    enum Role: UInt8 {
        case plain, bucket, quantile, sum, count
        var suffix: String {
            switch self {
            case .plain, .quantile: ""
            case .bucket: "_bucket"
            case .sum: "_sum"
            case .count: "_count"
            }
        }
    }

    private struct Made {
        let family: String
        let role: Role
        let bound: UInt64
        let series: SeriesTable.Entry
        func matches(_ family: String, _ role: Role, _ bound: UInt64) -> Bool {
            self.role == role && self.bound == bound && self.family == family
        }
    }

    let labels: [PromLabel]
    private var made: [Made] = []
    private var next = 0

    /// Bounds `made`: past it, series are looked up by their labels instead.
    static let madeLimit = 64

    init(_ labels: [PromLabel]) { self.labels = labels }

    /// A new point with these labels starts: its first series is the first one made.
    func rewind() { next = 0 }

    func series(_ family: String, _ role: Role, _ bound: Double) -> SeriesTable.Entry? {
        let bits = bound.bitPattern
        if next < made.count, made[next].matches(family, role, bits) {
            next += 1
            return made[next - 1].series
        }
        for (i, m) in made.enumerated() where m.matches(family, role, bits) {
            next = i + 1
            return m.series
        }
        return nil
    }

    func remember(_ series: SeriesTable.Entry, _ family: String, _ role: Role, _ bound: Double) {
        guard made.count < Self.madeLimit else { return }
        made.append(Made(family: family, role: role, bound: bound.bitPattern, series: series))
        next = made.count
    }
}

/// Every series the translator has made, one entry per distinct label set: points that reach the
/// same labels by different ways (two attribute spellings that sanitise alike, two resources with
/// one job and instance) share the entry, and with it their `TimeSeries`.
struct SeriesTable {
    final class Entry {
        let labelSet: RemoteWrite.LabelSet
        let hash: UInt64
        /// Numbers entries from 0, to index `slots`.
        let id: Int
        init(labelSet: RemoteWrite.LabelSet, hash: UInt64, id: Int) {
            self.labelSet = labelSet
            self.hash = hash
            self.id = id
        }
    }

    private struct Key: Hashable {
        let labels: [PromLabel]
        let hash: UInt64
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (a: Key, b: Key) -> Bool { a.hash == b.hash && a.labels == b.labels }
    }

    private var entries: [Key: Entry] = [:]
    /// Per entry id, where its series is in the batch being built (-1: not in it).
    fileprivate var slots: [Int32] = []

    var count: Int { entries.count }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
    }

    /// The entry of `labels` (sorted), made when new.
    mutating func series(_ labels: [PromLabel]) -> Entry {
        var h = WordHash()
        for l in labels {
            h.add(l.name)
            h.add(l.value)
        }
        let key = Key(labels: labels, hash: h.value)
        if let known = entries[key] { return known }
        let entry = Entry(labelSet: RemoteWrite.LabelSet(labels), hash: h.value, id: slots.count)
        entries[key] = entry
        slots.append(-1)
        return entry
    }
}

/// The series of one batch, so that the points of one series become one `TimeSeries` with its
/// samples in time order. The series' hash also picks its shard.
struct SeriesSet {
    private var list: [RemoteWrite.TimeSeries] = []
    private var ids: [Int] = []
    private var hashes: [UInt64] = []

    mutating func add(_ entry: SeriesTable.Entry, _ sample: RemoteWrite.Sample, _ table: inout SeriesTable, exemplars: [RemoteWrite.Exemplar] = []) {
        let slot = Int(table.slots[entry.id])
        if slot >= 0 {
            list[slot].samples.append(sample)
            list[slot].exemplars += exemplars
        } else {
            table.slots[entry.id] = Int32(list.count)
            list.append(RemoteWrite.TimeSeries(labelSet: entry.labelSet, samples: [sample], exemplars: exemplars))
            ids.append(entry.id)
            hashes.append(entry.hash)
        }
    }

    /// The batch's series, and their hashes; frees the table's slots for the next batch.
    func finish(_ table: inout SeriesTable) -> (series: [RemoteWrite.TimeSeries], hashes: [UInt64]) {
        for id in ids { table.slots[id] = -1 }
        var out = list
        for i in out.indices where out[i].samples.count > 1 {
            out[i].samples.sort { $0.timestampMs < $1.timestampMs }
            // Two points of a series at the same millisecond: Prometheus keeps one; so do we (the last).
            var unique: [RemoteWrite.Sample] = []
            for s in out[i].samples {
                if unique.last?.timestampMs == s.timestampMs { unique[unique.count - 1] = s } else { unique.append(s) }
            }
            out[i].samples = unique
        }
        return (out, hashes)
    }
}
