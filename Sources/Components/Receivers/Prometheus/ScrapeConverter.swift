import OTelModel
import PromExposition
import PromTranslation

/// Who a scrape's series belong to: the target's labels after relabeling (`job`, `instance` and any
/// static or discovered labels) and where it was scraped from.
struct ScrapeTarget: Sendable, Hashable {
    var job: String
    var instance: String
    var scheme: String
    var host: String
    var port: Int
    /// Target labels other than `job` and `instance`, added to every series.
    var labels: [PromLabel]
    var honorLabels = false
    var honorTimestamps = true
}

/// A scraped exposition turned into OTLP metrics, the way the OpenTelemetry specification maps
/// Prometheus to OTLP: counter → cumulative monotonic sum, gauge and unknown → gauge, histogram →
/// explicit-bucket histogram, summary → summary, info and stateset → non-monotonic sums. The target
/// becomes the resource (`service.name` = job, `service.instance.id` = instance, `server.address`,
/// `server.port`, `url.scheme`); a scraped `target_info` adds its labels there.
///
/// The converter remembers, per target, what it needs between scrapes: the start time of every
/// cumulative series (reset when its value goes down) and which series the last scrape had, so that
/// those that disappear — or all of them when the target goes down — get a staleness marker (a point
/// flagged `NO_RECORDED_VALUE`).
struct ScrapeConverter {
    let target: ScrapeTarget
    let scopeVersion: String
    /// Metric relabeling: the sample's labels (with `__name__`) in, nil to drop the sample.
    let relabel: (@Sendable ([PromLabel]) -> [PromLabel]?)?

    /// One OTLP point identity: metric name and kind with its attributes. It is one reference (copies
    /// cost a retain), and its hash is computed once (the same key is looked up several times).
    struct SeriesKey: Hashable {
        private final class Storage: Sendable {
            let name: String
            let kind: Kind
            let labels: [PromLabel]
            let scope: Scope
            let hash: UInt64

            init(name: String, kind: Kind, labels: [PromLabel], scope: Scope) {
                self.name = name
                self.kind = kind
                self.labels = labels
                self.scope = scope
                var h = WordHash()
                h.add(name)
                h.add(kind.rawValue)
                for l in labels {
                    h.add(l.name)
                    h.add(l.value)
                }
                h.add(scope.name)
                h.add(scope.version)
                hash = h.value
            }
        }

        private let storage: Storage

        init(name: String, kind: Kind, labels: [PromLabel], scope: Scope) {
            storage = Storage(name: name, kind: kind, labels: labels, scope: scope)
        }

        var name: String { storage.name }
        var kind: Kind { storage.kind }
        var labels: [PromLabel] { storage.labels }
        var scope: Scope { storage.scope }

        func hash(into hasher: inout Hasher) { hasher.combine(storage.hash) }

        /// The same key object (not only an equal one).
        func isIdentical(to other: SeriesKey) -> Bool { storage === other.storage }

        /// Whether the two points belong to one OTLP metric (name, kind and scope).
        func sameMetric(as other: SeriesKey) -> Bool {
            storage === other.storage || (storage.kind == other.storage.kind && storage.name == other.storage.name && storage.scope == other.storage.scope)
        }

        static func == (a: SeriesKey, b: SeriesKey) -> Bool {
            if a.storage === b.storage { return true }
            let x = a.storage, y = b.storage
            return x.hash == y.hash && x.kind == y.kind && x.name == y.name && x.labels == y.labels && x.scope == y.scope
        }
    }

    enum Kind: UInt8, Hashable, Sendable { case gauge, counter, histogram, summary, info }

    struct Scope: Hashable, Sendable {
        var name: String
        var version: String
    }

    /// What is remembered of one series between scrapes.
    private struct SeriesState {
        let key: SeriesKey
        /// Its OTLP attributes, built once.
        var attributes: Attributes
        /// Start time and last point of a cumulative series (0 until it has one).
        var start: UInt64 = 0
        var lastTime: UInt64 = 0
        var lastValue: Double = 0
        /// The scrape that last had it without an explicit timestamp (those are staleness-tracked).
        var seen: UInt64?
        /// The scrape that last had it at all, and its group of samples in that scrape.
        var touched: UInt64 = 0
        var group = 0
    }

    /// Every series of the last scrape, found through `seriesIndex`.
    private var states: [SeriesState] = []
    private var seriesIndex: [SeriesKey: Int] = [:]
    /// Numbers the scrapes, from 1.
    private var scrapeNumber: UInt64 = 0
    private var interned: [String: ByteString] = [:]

    /// What a sample line came to the last time it was seen (after target labels and metric
    /// relabeling), found by a hash of its family, name and labels and checked against them in full:
    /// a target serves the same lines scrape after scrape, and each needs working out only once.
    private var prepared: [Prepared] = []
    private var preparedIndex: [UInt64: Int] = [:]

    private struct Prepared {
        let familyName: String
        let familyType: MetricType
        let name: String
        let labels: [Label]
        let outcome: Outcome
        /// Where the point's state was last found in `states` (checked before use).
        var state = -1
        var seen: UInt64 = 0

        func matches(_ sample: Sample, _ family: Family) -> Bool {
            name == sample.name && labels == sample.labels && familyName == family.name && familyType == family.type
        }
    }

    /// What becomes of one sample.
    private enum Outcome {
        /// Metric relabeling dropped it.
        case dropped
        /// Left without a name by relabeling.
        case unnamed
        /// `target_info`: these labels go to the resource.
        case resource([PromLabel])
        case unsupported
        case incomplete
        /// Part of the point `key`, in this role (with its `le` or `quantile` for buckets and quantiles).
        case point(SeriesKey, Role, bound: Double?)
    }

    init(target: ScrapeTarget, scopeVersion: String, relabel: (@Sendable ([PromLabel]) -> [PromLabel]?)?) {
        self.target = target
        self.scopeVersion = scopeVersion
        self.relabel = relabel
    }

    /// What one scrape reports about itself, as Prometheus' synthetic series.
    struct Report {
        var up: Bool
        var duration: Double
        var samplesScraped = 0
        var samplesPostRelabeling = 0
        var seriesAdded = 0
    }

    /// Points the converter had to leave out, by reason.
    struct Skipped: Equatable {
        var unsupportedType = 0
        var incomplete = 0
    }

    // MARK: Converting

    /// Converts a successful scrape taken at `time` (Unix ns); returns the OTLP metrics with the
    /// synthetic series and staleness markers for series that disappeared.
    mutating func convert(_ exposition: Exposition, at time: UInt64, duration: Double) -> (MetricsData, Skipped) {
        var builder = Builder()
        var skipped = Skipped()
        scrapeNumber += 1
        let now = scrapeNumber
        var touched = 0
        var resourceExtra: [PromLabel] = []
        var report = Report(up: true, duration: duration, samplesScraped: exposition.samples.count)

        // 1. Samples → labels after target labels and metric relabeling, grouped per OTLP point.
        var groups: [Group] = []
        groups.reserveCapacity(max(states.count, exposition.samples.count / 2))
        for sample in exposition.samples {
            let family = exposition.families[sample.family]
            let outcome: Outcome
            var slot = lookup(sample, family, now: now)
            if slot >= 0 {
                outcome = prepared[slot].outcome
            } else {
                outcome = prepare(sample, family)
                slot = remember(sample, family, outcome, now: now)
            }
            let key: SeriesKey, role: Role, bound: Double?
            switch outcome {
            case .dropped:
                continue
            case .unnamed:
                report.samplesPostRelabeling += 1
                continue
            case .resource(let labels):
                report.samplesPostRelabeling += 1
                resourceExtra = labels
                continue
            case .unsupported:
                report.samplesPostRelabeling += 1
                skipped.unsupportedType += 1
                continue
            case .incomplete:
                report.samplesPostRelabeling += 1
                skipped.incomplete += 1
                continue
            case .point(let k, let r, let b):
                report.samplesPostRelabeling += 1
                (key, role, bound) = (k, r, b)
            }
            let index = stateIndex(key, slot: slot)
            if states[index].touched != now {
                states[index].touched = now
                states[index].group = groups.count
                groups.append(Group(family: family, state: index))
            }
            let t = target.honorTimestamps ? sample.timestampMs.map { ScrapedNumbers.nanoseconds(milliseconds: $0) } : nil
            groups[states[index].group].add(role: role, bound: bound, value: sample.value, timestamp: t, exemplar: sample.exemplar)
        }
        touched = groups.count

        // 2. Groups → OTLP points, with start times and resets for cumulative series.
        var metric = -1
        var metricKey: SeriesKey?
        for group in groups {
            let index = group.state
            let key = states[index].key
            let t = group.timestamp ?? time
            let attributes = states[index].attributes
            // Points of one metric mostly come one after another.
            if metricKey.map({ !$0.sameMetric(as: key) }) ?? true {
                metric = builder.metric(name: key.name, kind: key.kind, family: group.family, scope: key.scope)
                metricKey = key
            }
            switch key.kind {
            case .gauge, .info:
                guard let v = group.value else { continue }
                var p = NumberDataPoint()
                p.attributes = attributes
                p.timeUnixNano = t
                p.value = .double(v)
                if key.kind == .info { p.startTimeUnixNano = start(&states[index], value: 0, at: t, created: nil) }
                builder.add(p, to: metric)
            case .counter:
                guard let v = group.value else {
                    skipped.incomplete += 1
                    continue
                }
                var p = NumberDataPoint()
                p.attributes = attributes
                p.timeUnixNano = t
                p.value = .double(v)
                p.startTimeUnixNano = start(&states[index], value: v, at: t, created: group.created)
                p.exemplars = group.exemplars.map(exemplar)
                builder.add(p, to: metric)
            case .histogram:
                guard let count = group.count, group.buckets.contains(where: { $0.bound == .infinity }) else {
                    skipped.incomplete += 1
                    continue
                }
                var p = HistogramDataPoint()
                p.attributes = attributes
                p.timeUnixNano = t
                p.count = ScrapedNumbers.count(count)
                p.sum = group.sum
                let sorted = group.buckets.sorted { $0.bound < $1.bound }
                var previousCount = 0.0
                for b in sorted {
                    if b.bound != .infinity { p.explicitBounds.append(b.bound) }
                    p.bucketCounts.append(ScrapedNumbers.count(b.value - previousCount))
                    previousCount = max(previousCount, b.value)
                }
                p.startTimeUnixNano = start(&states[index], value: count, at: t, created: group.created)
                p.exemplars = group.exemplars.map(exemplar)
                builder.add(p, to: metric)
            case .summary:
                guard let count = group.count else {
                    skipped.incomplete += 1
                    continue
                }
                var p = SummaryDataPoint()
                p.attributes = attributes
                p.timeUnixNano = t
                p.count = ScrapedNumbers.count(count)
                p.sum = group.sum ?? 0
                p.quantileValues = group.quantiles.sorted { $0.quantile < $1.quantile }
                    .map { SummaryDataPoint.ValueAtQuantile(quantile: $0.quantile, value: $0.value) }
                p.startTimeUnixNano = start(&states[index], value: count, at: t, created: group.created)
                builder.add(p, to: metric)
            }
            if group.timestamp == nil {
                if states[index].seen != now - 1 { report.seriesAdded += 1 }
                states[index].seen = now
            }
        }

        // 3. Series that were there last time and are gone now end with a staleness marker; series
        //    not in this scrape are forgotten.
        if states.count > touched {
            addStaleMarkers(for: states.filter { $0.seen == now - 1 }, at: time, to: &builder)
            states = states.filter { $0.touched == now }
            seriesIndex = Dictionary(uniqueKeysWithValues: states.enumerated().map { ($0.element.key, $0.offset) })
        }
        addReport(report, at: time, to: &builder)
        prunePrepared(now: now, lines: exposition.samples.count)
        return (builder.finish(resource: resource(extra: resourceExtra), version: scopeVersion), skipped)
    }

    /// A failed scrape: `up` 0, and every series of the last scrape is stale.
    mutating func convertFailure(at time: UInt64, duration: Double) -> MetricsData {
        var builder = Builder()
        scrapeNumber += 1
        addStaleMarkers(for: states.filter { $0.seen == scrapeNumber - 1 }, at: time, to: &builder)
        states = []
        seriesIndex = [:]
        addReport(Report(up: false, duration: duration), at: time, to: &builder)
        return builder.finish(resource: resource(extra: []), version: scopeVersion)
    }

    /// The target is gone (removed from discovery or the receiver stops): staleness markers for all.
    mutating func convertRemoval(at time: UInt64) -> MetricsData? {
        let last = states.filter { $0.seen == scrapeNumber }
        guard !last.isEmpty else { return nil }
        var builder = Builder()
        addStaleMarkers(for: last, at: time, to: &builder)
        states = []
        seriesIndex = [:]
        return builder.finish(resource: resource(extra: []), version: scopeVersion)
    }

    // MARK: Pieces

    private enum Role { case value, bucket, quantile, sum, count, created }

    private struct Group {
        let family: Family
        /// Index of the point's series in `states`.
        let state: Int
        var value: Double?
        var sum: Double?
        var count: Double?
        var created: Double?
        var buckets: [(bound: Double, value: Double)] = []
        var quantiles: [(quantile: Double, value: Double)] = []
        var exemplars: [PromExposition.Exemplar] = []
        var timestamp: UInt64?

        init(family: Family, state: Int) {
            self.family = family
            self.state = state
        }

        mutating func add(role: Role, bound: Double?, value: Double, timestamp: UInt64?, exemplar: PromExposition.Exemplar?) {
            if let timestamp { self.timestamp = timestamp }
            if let exemplar { exemplars.append(exemplar) }
            switch role {
            case .value: self.value = value
            case .bucket: buckets.append((bound ?? .infinity, value))
            case .quantile: quantiles.append((bound ?? 0, value))
            case .sum: sum = value
            case .count: count = value
            case .created: created = value
            }
        }
    }

    /// Works out what becomes of a sample: target labels, metric relabeling, and the OTLP point and
    /// role it takes there.
    private func prepare(_ sample: Sample, _ family: Family) -> Outcome {
        guard var labels = targetLabeled(sample) else { return .dropped }
        if let relabel {
            guard let relabeled = relabel(labels) else { return .dropped }
            labels = relabeled
        }
        guard let nameIndex = labels.firstIndex(where: { $0.name == "__name__" }) else { return .unnamed }
        let name = labels[nameIndex].value
        labels.remove(at: nameIndex)

        if family.name == "target_info" || (family.type == .info && family.name == "target") {
            return .resource(labels.filter { $0.name != "job" && $0.name != "instance" })
        }
        var kind: Kind
        var role = Role.value
        var pointName = name
        switch family.type {
        case .counter:
            kind = .counter
            // OpenMetrics: family `foo`, samples `foo_total` and `foo_created` (the latter's start time).
            if Self.suffix(of: name, after: family.name) == "_created" {
                role = .created
                pointName = family.name + "_total"
            }
        case .gauge, .unknown:
            kind = .gauge
        case .histogram, .summary:
            kind = family.type == .histogram ? .histogram : .summary
            pointName = family.name
            switch Self.suffix(of: name, after: family.name) {
            case "_bucket" where kind == .histogram: role = .bucket
            case "" where kind == .summary: role = .quantile
            case "_sum": role = .sum
            case "_count": role = .count
            case "_created": role = .created
            default:
                kind = .gauge
                pointName = name
            }
        case .info, .stateset:
            kind = .info
        case .gaugehistogram:
            return .unsupported
        }
        var bound: Double?
        if role == .bucket || role == .quantile {
            let label = role == .bucket ? "le" : "quantile"
            guard let i = labels.firstIndex(where: { $0.name == label }), let v = Double(prometheusFloat: labels[i].value) else {
                return .incomplete
            }
            bound = v
            labels.remove(at: i)
        }
        let scope = scopeOf(&labels)
        return .point(SeriesKey(name: pointName, kind: kind, labels: labels, scope: scope), role, bound: bound)
    }

    /// The slot in `prepared` of a sample seen before (marked seen in scrape `now`), or -1.
    private mutating func lookup(_ sample: Sample, _ family: Family, now: UInt64) -> Int {
        guard let slot = preparedIndex[Self.hash(sample, family)], prepared[slot].matches(sample, family) else { return -1 }
        prepared[slot].seen = now
        return slot
    }

    /// Keeps what became of a sample for the next scrapes. (A sample whose hash is taken by another
    /// line is worked out afresh every time, which is only slower.)
    private mutating func remember(_ sample: Sample, _ family: Family, _ outcome: Outcome, now: UInt64) -> Int {
        let hash = Self.hash(sample, family)
        guard preparedIndex[hash] == nil else { return -1 }
        preparedIndex[hash] = prepared.count
        prepared.append(Prepared(familyName: family.name, familyType: family.type, name: sample.name, labels: sample.labels, outcome: outcome, seen: now))
        return prepared.count - 1
    }

    /// Forgets the lines the last scrape did not have, once they are a good part of what is kept.
    private mutating func prunePrepared(now: UInt64, lines: Int) {
        guard prepared.count > lines + lines / 4 + 64 else { return }
        prepared.removeAll { $0.seen != now }
        preparedIndex.removeAll(keepingCapacity: true)
        for (slot, p) in prepared.enumerated() {
            preparedIndex[Self.hash(name: p.name, labels: p.labels, familyName: p.familyName, familyType: p.familyType)] = slot
        }
    }

    private static func hash(_ sample: Sample, _ family: Family) -> UInt64 {
        hash(name: sample.name, labels: sample.labels, familyName: family.name, familyType: family.type)
    }

    private static func hash(name: String, labels: [Label], familyName: String, familyType: MetricType) -> UInt64 {
        var h = WordHash()
        h.add(name)
        for l in labels {
            h.add(l.name)
            h.add(l.value)
        }
        h.add(familyName)
        h.add(familyType.rawValue)
        return h.value
    }

    /// The index in `states` of the point `key`, added when new. The prepared line at `slot`
    /// remembers where it was, which is checked by identity and is right unless states were dropped.
    private mutating func stateIndex(_ key: SeriesKey, slot: Int) -> Int {
        if slot >= 0 {
            let i = prepared[slot].state
            if i >= 0, i < states.count, states[i].key.isIdentical(to: key) { return i }
        }
        let index: Int
        if let i = seriesIndex[key] {
            index = i
        } else {
            index = states.count
            states.append(SeriesState(key: key, attributes: attributes(key.labels)))
            seriesIndex[key] = index
        }
        if slot >= 0 { prepared[slot].state = index }
        return index
    }

    /// What a sample name adds to its family name (`_bucket`, `_sum`, ... or ""), without copying;
    /// nil when it does not start with it.
    private static func suffix(of name: String, after family: String) -> Substring? {
        guard name.hasPrefix(family) else { return nil }
        return Substring(name.utf8.dropFirst(family.utf8.count))
    }

    /// The sample's labels with `__name__` and the target's labels: on a clash the target wins and the
    /// scraped label is kept as `exported_<name>`, unless `honor_labels` lets the scraped one win.
    private func targetLabeled(_ sample: Sample) -> [PromLabel]? {
        var labels: [PromLabel] = []
        labels.reserveCapacity(sample.labels.count + target.labels.count + 3)
        labels.append(PromLabel(name: "__name__", value: sample.name))
        for l in sample.labels where !l.value.isEmpty { labels.append(PromLabel(name: l.name, value: l.value)) }
        func set(_ name: String, _ value: String) {
            guard !value.isEmpty else { return }
            if let i = labels.firstIndex(where: { $0.name == name }) {
                if target.honorLabels { return }
                let scraped = labels[i].value
                labels[i].value = value
                if labels.firstIndex(where: { $0.name == "exported_" + name }) == nil {
                    labels.append(PromLabel(name: "exported_" + name, value: scraped))
                }
            } else {
                labels.append(PromLabel(name: name, value: value))
            }
        }
        set("job", target.job)
        set("instance", target.instance)
        for l in target.labels { set(l.name, l.value) }
        return labels
    }

    /// Takes the scope labels out of a point's labels.
    private func scopeOf(_ labels: inout [PromLabel]) -> Scope {
        var scope = Scope(name: "", version: "")
        if let i = labels.firstIndex(where: { $0.name == "otel_scope_name" }) {
            scope.name = labels[i].value
            labels.remove(at: i)
            if let j = labels.firstIndex(where: { $0.name == "otel_scope_version" }) {
                scope.version = labels[j].value
                labels.remove(at: j)
            }
        }
        return scope
    }

    private mutating func attributes(_ labels: [PromLabel]) -> Attributes {
        var list: [KeyValue] = []
        list.reserveCapacity(labels.count)
        for l in labels where l.name != "job" && l.name != "instance" {
            list.append(KeyValue(key: intern(l.name), value: .string(intern(l.value))))
        }
        return Attributes(list)
    }

    private mutating func intern(_ s: String) -> ByteString {
        if let b = interned[s] { return b }
        if interned.count > 200_000 { interned.removeAll(keepingCapacity: true) }
        let b = ByteString(s)
        interned[s] = b
        return b
    }

    /// The start time of a cumulative series: its `_created` time when given; else the time it was
    /// first seen, moved forward when its value goes down (a reset).
    private func start(_ state: inout SeriesState, value: Double, at t: UInt64, created: Double?) -> UInt64 {
        defer {
            state.lastTime = t
            state.lastValue = value
        }
        if let created, created > 0 {
            state.start = ScrapedNumbers.nanoseconds(seconds: created)
        } else if state.start == 0 {
            state.start = t
        } else if value < state.lastValue || t < state.lastTime {
            let (next, overflow) = state.lastTime.addingReportingOverflow(1_000_000)
            state.start = min(overflow ? .max : next, t)
        }
        return state.start
    }

    private func exemplar(_ e: PromExposition.Exemplar) -> OTelModel.Exemplar {
        var x = OTelModel.Exemplar()
        x.value = .double(e.value)
        x.timeUnixNano = e.timestamp.map { ScrapedNumbers.nanoseconds(seconds: $0) } ?? 0
        var rest: [KeyValue] = []
        for l in e.labels {
            if l.name == "trace_id", l.value.utf8.count == 32, let id = TraceID(hex: l.value) {
                x.traceID = id
            } else if l.name == "span_id", l.value.utf8.count == 16, let id = SpanID(hex: l.value) {
                x.spanID = id
            } else {
                rest.append(KeyValue(l.name, l.value))
            }
        }
        x.filteredAttributes = Attributes(rest)
        return x
    }

    private mutating func addStaleMarkers(for stale: [SeriesState], at time: UInt64, to builder: inout Builder) {
        for state in stale.sorted(by: { $0.key.name < $1.key.name }) {
            let key = state.key
            let metric = builder.metric(name: key.name, kind: key.kind, family: nil, scope: key.scope)
            switch key.kind {
            case .gauge, .counter, .info:
                var p = NumberDataPoint()
                p.attributes = state.attributes
                p.timeUnixNano = time
                p.startTimeUnixNano = key.kind == .gauge ? 0 : state.start
                p.flags = DataPointFlags.noRecordedValue
                builder.add(p, to: metric)
            case .histogram:
                var p = HistogramDataPoint()
                p.attributes = state.attributes
                p.timeUnixNano = time
                p.startTimeUnixNano = state.start
                p.flags = DataPointFlags.noRecordedValue
                builder.add(p, to: metric)
            case .summary:
                var p = SummaryDataPoint()
                p.attributes = state.attributes
                p.timeUnixNano = time
                p.startTimeUnixNano = state.start
                p.flags = DataPointFlags.noRecordedValue
                builder.add(p, to: metric)
            }
        }
    }

    private mutating func addReport(_ r: Report, at time: UInt64, to builder: inout Builder) {
        let scope = Scope(name: "", version: "")
        let attributes = attributes(target.labels)
        for (name, value) in [
            ("up", r.up ? 1.0 : 0.0),
            ("scrape_duration_seconds", r.duration),
            ("scrape_samples_scraped", Double(r.samplesScraped)),
            ("scrape_samples_post_metric_relabeling", Double(r.samplesPostRelabeling)),
            ("scrape_series_added", Double(r.seriesAdded)),
        ] {
            let metric = builder.metric(name: name, kind: .gauge, family: nil, scope: scope)
            var p = NumberDataPoint()
            p.attributes = attributes
            p.timeUnixNano = time
            p.value = .double(value)
            builder.add(p, to: metric)
        }
    }

    private mutating func resource(extra: [PromLabel]) -> Resource {
        var list = [
            KeyValue("service.name", target.job),
            KeyValue("service.instance.id", target.instance),
            KeyValue("server.address", target.host),
            KeyValue(key: "server.port", value: .int(Int64(target.port))),
            KeyValue("url.scheme", target.scheme),
        ]
        for l in extra { list.append(KeyValue(l.name, l.value)) }
        return Resource(attributes: Attributes(list))
    }

    /// Collects metrics by scope and name, in first-seen order. Points are kept in plain arrays and
    /// wrapped into metrics at the end, so appending never copies what is already there.
    private struct Builder {
        private struct Entry {
            var scope: Int
            var metric: Metric
            var kind: Kind
            var numbers: [NumberDataPoint] = []
            var histograms: [HistogramDataPoint] = []
            var summaries: [SummaryDataPoint] = []
        }

        private var scopes: [Scope] = []
        private var scopeIndex: [Scope: Int] = [:]
        private var entries: [Entry] = []
        private var index: [MetricKey: Int] = [:]

        struct MetricKey: Hashable {
            var scope: Scope
            var name: String
            var kind: Kind
        }

        typealias Handle = Int

        mutating func metric(name: String, kind: Kind, family: Family?, scope: Scope) -> Handle {
            let key = MetricKey(scope: scope, name: name, kind: kind)
            if let i = index[key] { return i }
            let s: Int
            if let i = scopeIndex[scope] {
                s = i
            } else {
                s = scopes.count
                scopes.append(scope)
                scopeIndex[scope] = s
            }
            var m = Metric()
            m.name = ByteString(name)
            if let help = family?.help { m.description = ByteString(help) }
            if let unit = family?.unit { m.unit = ByteString(PromNaming.ucumUnit(unit)) }
            entries.append(Entry(scope: s, metric: m, kind: kind))
            index[key] = entries.count - 1
            return entries.count - 1
        }

        mutating func add(_ p: NumberDataPoint, to h: Handle) { entries[h].numbers.append(p) }
        mutating func add(_ p: HistogramDataPoint, to h: Handle) { entries[h].histograms.append(p) }
        mutating func add(_ p: SummaryDataPoint, to h: Handle) { entries[h].summaries.append(p) }

        /// The metrics under `resource`; points without scope labels get the receiver's own scope.
        consuming func finish(resource: Resource, version: String) -> MetricsData {
            var perScope = Array(repeating: [Metric](), count: scopes.count)
            for var e in entries {
                switch e.kind {
                case .gauge: e.metric.data = .gauge(Gauge(dataPoints: e.numbers))
                case .counter: e.metric.data = .sum(Sum(dataPoints: e.numbers, aggregationTemporality: .cumulative, isMonotonic: true))
                case .info: e.metric.data = .sum(Sum(dataPoints: e.numbers, aggregationTemporality: .cumulative, isMonotonic: false))
                case .histogram: e.metric.data = .histogram(Histogram(dataPoints: e.histograms, aggregationTemporality: .cumulative))
                case .summary: e.metric.data = .summary(Summary(dataPoints: e.summaries))
                }
                perScope[e.scope].append(e.metric)
            }
            var scopeMetrics: [ScopeMetrics] = []
            for (i, scope) in scopes.enumerated() {
                let s = scope.name.isEmpty
                    ? InstrumentationScope(name: "otelsw/receiver/prometheus", version: ByteString(version))
                    : InstrumentationScope(name: ByteString(scope.name), version: ByteString(scope.version))
                scopeMetrics.append(ScopeMetrics(scope: s, metrics: perScope[i]))
            }
            return MetricsData(resourceMetrics: [ResourceMetrics(resource: resource, scopeMetrics: scopeMetrics)])
        }
    }
}

extension Double {
    /// A number as Prometheus label values spell it (`le`, `quantile`): Go float syntax plus `+Inf`,
    /// `-Inf`, `NaN`.
    init?(prometheusFloat text: String) {
        switch text {
        case "+Inf", "Inf", "+inf", "inf": self = .infinity
        case "-Inf", "-inf": self = -.infinity
        case "NaN", "nan": self = .nan
        default:
            guard let v = Double(text) else { return nil }
            self = v
        }
    }
}
