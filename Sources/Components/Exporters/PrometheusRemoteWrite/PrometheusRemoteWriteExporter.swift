import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import PromFormat
import Snappy
import Telemetry
import Transport

/// `prometheusremotewrite` exporter settings (collector names and defaults).
public struct PrometheusRemoteWriteConfig: ExporterConfig {
    public var endpoint = ""
    public var headers: [(String, String)] = []
    public var timeout: Duration = .seconds(5)
    public var externalLabels: [(String, String)] = []
    public var namespace = ""
    public var resourceToTelemetry = false
    public var targetInfo = true
    public var addMetricSuffixes = true
    public var maxBatchSizeBytes = 3_000_000
    /// Concurrent requests per export: series are spread over this many shards by their labels, so
    /// the samples of one series always travel in order through one shard.
    public var shards = 5
    public var queue = QueueSettings()
    public var retry = RetrySettings()

    init(reading r: ConfigReader) {
        endpoint = r.string("endpoint")
        headers = r.stringMap("headers")
        timeout = r.duration("timeout", default: timeout)
        externalLabels = r.stringMap("external_labels")
        namespace = r.string("namespace")
        if let c = r.section("resource_to_telemetry_conversion") {
            resourceToTelemetry = c.bool("enabled", default: false)
            c.finish()
        }
        if let t = r.section("target_info") {
            targetInfo = t.bool("enabled", default: true)
            t.finish()
        }
        addMetricSuffixes = r.bool("add_metric_suffixes", default: true)
        maxBatchSizeBytes = r.int("max_batch_size_bytes", default: maxBatchSizeBytes, min: 1024)
        let queueSection = r.section("sending_queue")
        let consumersGiven = queueSection?.has("num_consumers") ?? false
        queue = QueueSettings(reading: queueSection)
        // Batches leave one at a time so that a series' samples reach the backend in time order;
        // the parallelism is in the shards of each batch.
        if !consumersGiven { queue.numConsumers = 1 }
        if let q = r.section("remote_write_queue") {
            queue.enabled = q.bool("enabled", default: queue.enabled)
            if q.has("queue_size") { queue.queueSize = q.int("queue_size", default: queue.queueSize, min: 1) }
            shards = q.int("num_consumers", default: shards, min: 1, max: 256)
            q.finish()
        }
        retry = RetrySettings(reading: r.section("retry_on_failure"))
        if let tls = r.section("tls") {
            _ = tls.bool("insecure", default: false)
            _ = tls.bool("insecure_skip_verify", default: false)
            for key in ["ca_file", "cert_file", "key_file", "server_name_override"] where tls.has(key) {
                tls.error("'tls.\(key)' is not supported yet", key: key)
                _ = tls.raw(key)
            }
            tls.finish()
        }
        for (name, _) in externalLabels where !PromNaming.isValidLabelName(name) {
            r.error("external label name '\(name)' is not a valid Prometheus label name", key: "external_labels")
        }
        if endpoint.isEmpty {
            r.error("'endpoint' is required (for example http://127.0.0.1:9090/api/v1/write)")
        } else if let problem = HTTPTarget.problem(endpoint) {
            r.error("'endpoint': \(problem)", key: "endpoint")
        }
    }

    var translatorSettings: RemoteWriteTranslator.Settings {
        var s = RemoteWriteTranslator.Settings()
        s.namespace = namespace.isEmpty ? nil : namespace
        s.addMetricSuffixes = addMetricSuffixes
        s.resourceToTelemetry = resourceToTelemetry
        s.targetInfo = targetInfo
        s.externalLabels = externalLabels.map { RemoteWrite.Label($0.0, $0.1) }.sorted()
        return s
    }
}

public struct PrometheusRemoteWriteExporterFactory: ExporterFactory {
    public init() {}
    public var type: String { "prometheusremotewrite" }
    public var signals: Set<Signal> { [.metrics] }
    public func makeConfig(_ reader: ConfigReader) -> any ExporterConfig { PrometheusRemoteWriteConfig(reading: reader) }

    public func makeExporter<D: SignalData>(config: any ExporterConfig, context: ComponentContext, signal: D.Type) throws -> any Exporter<D> {
        let c = config as! PrometheusRemoteWriteConfig
        guard let target = HTTPTarget.parse(c.endpoint) else { throw ConsumerError.permanent("invalid endpoint \(c.endpoint)") }
        guard let exporter = PrometheusRemoteWriteExporter(config: c, target: target, context: context) as? any Exporter<D> else {
            throw ConsumerError.permanent("prometheusremotewrite exports metrics only")
        }
        return exporter
    }
}

/// Translates OTLP metrics to Remote-Write 1.0 series and posts them snappy-compressed. 2xx is success;
/// 429 and 5xx (and no answer) are retried, honouring `Retry-After`; any other status is permanent.
final class PrometheusRemoteWriteExporter: Exporter {
    typealias Data = MetricsData
    let config: PrometheusRemoteWriteConfig
    let target: HTTPTarget
    let client: HTTPClient
    let context: ComponentContext
    let headers: HTTPHeaders
    let translator: RemoteWriteTranslator
    let counters: SelfTelemetry.ExporterCounters

    init(config: PrometheusRemoteWriteConfig, target: HTTPTarget, context: ComponentContext) {
        self.config = config
        self.target = target
        self.context = context
        client = HTTPClient(host: target.host, port: target.port, group: context.eventLoopGroup, maxConnections: config.shards)
        var h = HTTPHeaders()
        for (k, v) in config.headers { h.add(name: k, value: v) }
        for (k, v) in RemoteWrite.requiredHeaders { h.replaceOrAdd(name: k, value: v) }
        h.replaceOrAdd(name: "user-agent", value: "otelsw/\(context.telemetry.version)")
        headers = h
        translator = RemoteWriteTranslator(settings: config.translatorSettings)
        counters = context.telemetry.exporter(context.id, signal: .metrics)
    }

    func start() async throws {}
    func shutdown() async { client.shutdown() }

    func export(_ data: MetricsData) async throws {
        let (series, hashes, dropped) = translator.translate(data)
        if dropped.deltaTemporality > 0 { counters.dropped(dropped.deltaTemporality, reason: "unsupported_temporality") }
        if dropped.unsupportedType > 0 { counters.dropped(dropped.unsupportedType, reason: "unsupported_type") }
        guard !series.isEmpty else { return }
        let shards = Self.shard(series, hashes: hashes, count: config.shards)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for shard in shards where !shard.isEmpty {
                group.addTask { [self] in
                    for request in Self.requests(shard, maxBytes: config.maxBatchSizeBytes) {
                        try await post(RemoteWrite.encode(request))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Spreads series over `count` shards by the hash of their labels (stable for a series).
    static func shard(_ series: [RemoteWrite.TimeSeries], hashes: [UInt64], count: Int) -> [[RemoteWrite.TimeSeries]] {
        guard count > 1 else { return [series] }
        var shards = Array(repeating: [RemoteWrite.TimeSeries](), count: count)
        for (i, s) in series.enumerated() { shards[Int(hashes[i] % UInt64(count))].append(s) }
        return shards
    }

    /// Cuts a shard into requests of at most `maxBytes` (a series larger than that goes alone).
    static func requests(_ series: [RemoteWrite.TimeSeries], maxBytes: Int) -> [[RemoteWrite.TimeSeries]] {
        var out: [[RemoteWrite.TimeSeries]] = []
        var current: [RemoteWrite.TimeSeries] = []
        var size = 0
        for s in series {
            let n = s.estimatedSize
            if !current.isEmpty && size + n > maxBytes {
                out.append(current)
                current = []
                size = 0
            }
            current.append(s)
            size += n
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private func post(_ request: [UInt8]) async throws {
        var body = ByteBuffer()
        body.writeBytes(Snappy.compress(request))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(method: .POST, path: target.path, headers: headers, body: body, timeout: config.timeout)
        } catch {
            throw ConsumerError.refused("\(target.host):\(target.port): \(error)", retryAfter: nil)
        }
        try HTTPExportResponse.check(response, target: target)
    }
}
