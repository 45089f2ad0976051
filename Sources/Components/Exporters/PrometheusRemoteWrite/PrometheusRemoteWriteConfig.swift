import Configuration
import Factories
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import PromTranslation
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
        _ = ClientTLSSettings.read(r)
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
