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

/// Translates OTLP metrics to Remote-Write 1.0 series and posts them snappy-compressed. 2xx is success;
/// 429 and 5xx (and no answer) are retried, honouring `Retry-After`; any other status is permanent.
final class PrometheusRemoteWriteExporter: Exporter {
    typealias Data = MetricsData
    let config: PrometheusRemoteWriteConfig
    let target: HTTPTarget
    let client: HTTPClient
    let push: HTTPPush
    let context: ComponentContext
    let headers: HTTPHeaders
    let translator: RemoteWriteTranslator
    let counters: ExporterCounters

    init(config: PrometheusRemoteWriteConfig, target: HTTPTarget, context: ComponentContext) {
        self.config = config
        self.target = target
        self.context = context
        client = HTTPClient(host: target.host, port: target.port, group: context.eventLoopGroup, maxConnections: config.shards)
        push = HTTPPush(client: client, target: target, timeout: config.timeout, retryable: .tooManyOrServerError)
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
        _ = try await push.post(body, headers: headers)
    }
}
