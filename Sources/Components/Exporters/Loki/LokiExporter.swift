import Configuration
import Factories
import Foundation
import LokiPush
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import Snappy
import Synchronization
import Telemetry
import Transport

/// Pushes log records to Loki's push API (`/loki/api/v1/push`): protobuf + snappy by default, or
/// JSON (+ gzip). 2xx is success; 429 and 5xx (and no answer) are retried, honouring `Retry-After`;
/// 400 is dropped and counted by Loki's reason (`out_of_order`, `too_old`, `line_too_long`, ...).
final class LokiExporter: Exporter {
    typealias Data = LogsData
    let config: LokiExporterConfig
    let target: HTTPTarget
    let client: HTTPClient
    let push: HTTPPush
    let context: ComponentContext
    let translator: LokiTranslator
    let counters: ExporterCounters
    private let streams: Mutex<StreamLimiter>

    init(config: LokiExporterConfig, target: HTTPTarget, context: ComponentContext) {
        self.config = config
        self.target = target
        self.context = context
        client = HTTPClient(host: target.host, port: target.port, group: context.eventLoopGroup, maxConnections: 4)
        push = HTTPPush(client: client, target: target, timeout: config.timeout, retryable: .tooManyOrServerError)
        translator = LokiTranslator(config: config)
        counters = context.telemetry.exporter(context.id, signal: .logs)
        streams = Mutex(StreamLimiter(limit: config.maxStreams))
    }

    func start() async throws {}
    func shutdown() async { client.shutdown() }

    func export(_ data: LogsData) async throws {
        let now = UInt64(Date().timeIntervalSince1970 * 1e9)
        let (batches, dropped) = streams.withLock { translator.translate(data, streams: &$0, now: now) }
        if dropped.tooManyLabels > 0 { counters.dropped(dropped.tooManyLabels, reason: "too_many_labels") }
        if dropped.streamLimit > 0 { counters.dropped(dropped.streamLimit, reason: "stream_limit") }
        for batch in batches {
            for request in Self.requests(batch.streams, maxBytes: config.maxRequestBytes) {
                try await post(request, tenant: batch.tenant)
            }
        }
    }

    /// Cuts streams into requests of at most `maxBytes` (encoded, uncompressed); a stream larger than
    /// that is split by entries, which stay in time order.
    static func requests(_ streams: [LokiStream], maxBytes: Int) -> [[LokiStream]] {
        var out: [[LokiStream]] = []
        var current: [LokiStream] = []
        var size = 0
        for stream in streams {
            var part = LokiStream(labels: stream.labels)
            let overhead = LokiPushEncoding.estimatedSize(of: part)
            var partSize = overhead
            for entry in stream.entries {
                let n = LokiPushEncoding.estimatedSize(of: LokiStream(labels: [], entries: [entry]))
                if !part.entries.isEmpty && size + partSize + n > maxBytes {
                    current.append(part)
                    out.append(current)
                    current = []
                    size = 0
                    part = LokiStream(labels: stream.labels)
                    partSize = overhead
                }
                part.entries.append(entry)
                partSize += n
            }
            current.append(part)
            size += partSize
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private func post(_ streams: [LokiStream], tenant: String?) async throws {
        var headers = HTTPHeaders()
        for (k, v) in config.headers { headers.add(name: k, value: v) }
        headers.replaceOrAdd(name: "user-agent", value: "otelsw/\(context.telemetry.version)")
        if let tenant { headers.replaceOrAdd(name: "x-scope-orgid", value: tenant) }
        var body = ByteBuffer()
        switch config.encoding {
        case .protobuf:
            headers.replaceOrAdd(name: "content-type", value: "application/x-protobuf")
            headers.remove(name: "content-encoding")
            body.writeBytes(Snappy.compress(LokiPushEncoding.protobuf(streams)))
        case .json:
            headers.replaceOrAdd(name: "content-type", value: "application/json")
            let json = LokiPushEncoding.json(streams)
            if config.gzipJSON {
                headers.replaceOrAdd(name: "content-encoding", value: "gzip")
                body.writeBytes(Gzip.compress(json))
            } else {
                headers.remove(name: "content-encoding")
                body.writeBytes(json)
            }
        }
        _ = try await push.post(body, headers: headers, dropReason: { code, text in code == 400 ? Self.reason(text) : "http_\(code)" })
    }

    /// Loki's reason for a 400, from its error text (validation messages name the limit).
    static func reason(_ text: String) -> String {
        let t = text.lowercased()
        if t.contains("out of order") || t.contains("too far behind") || t.contains("out_of_order") { return "out_of_order" }
        if t.contains("too old") || t.contains("greater_than_max_sample_age") || t.contains("older than") { return "too_old" }
        if t.contains("too far in the future") || t.contains("too_far_in_future") { return "too_new" }
        if t.contains("line too long") || t.contains("line_too_long") || (t.contains("exceeds the limit") && t.contains("line")) { return "line_too_long" }
        if t.contains("structured metadata") { return "structured_metadata_too_large" }
        if t.contains("label") { return "invalid_labels" }
        return "rejected"
    }
}
