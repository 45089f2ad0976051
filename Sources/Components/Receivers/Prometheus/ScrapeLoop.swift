import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OTelModel
import PipelineCore
import PromExposition
import PromTranslation
import Prometheus
import Synchronization
import Telemetry
import Transport

/// Scrapes one target every interval and pushes what it gets into the pipeline.
///
/// Scrapes start at a fixed offset inside the interval (from a hash of the target), so that many
/// targets spread over the interval instead of all firing at once. A scrape is bounded by the timeout
/// and the body size limit; any failure reports `up` 0 and ends the target's series with staleness
/// markers, and is counted by reason. When the pipeline refuses a scrape's data (backpressure), that
/// scrape is counted as skipped: the target keeps its values, and the next scrape reads them again.
final class ScrapeLoop: Sendable {
    struct Settings: Sendable {
        var target: ScrapeTarget
        var path: String
        var interval: Duration
        var timeout: Duration
        var bodySizeLimit: Int
        var sampleLimit: Int
        var authorization: String?
    }

    let settings: Settings
    let receiverID: ComponentID
    let client: HTTPClient
    let next: any Consumer<MetricsData>
    let telemetry: SelfTelemetry
    let counters: ReceiverCounters
    let scrapes: LabeledCounters
    let logger: Logger
    private let converter: Mutex<ScrapeConverter>
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// The last failure reason logged, so a target that stays down logs once, not every interval.
    private let lastFailure = Mutex<String?>(nil)

    static let accept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    init(settings: Settings, receiverID: ComponentID, converter: ScrapeConverter, group: any EventLoopGroup,
         next: any Consumer<MetricsData>, telemetry: SelfTelemetry, logger: Logger) {
        self.settings = settings
        self.receiverID = receiverID
        self.converter = Mutex(converter)
        self.next = next
        self.telemetry = telemetry
        self.logger = logger
        counters = telemetry.receiver(receiverID, transport: "scrape", signal: .metrics)
        scrapes = telemetry.scrapes(receiverID, job: settings.target.job)
        client = HTTPClient(host: settings.target.host, port: settings.target.port, group: group, maxConnections: 1)
    }

    /// Where in the interval this target is scraped: a stable hash of its address and job.
    var offset: Duration {
        var h = WordHash()
        h.add("\(settings.target.job)/\(settings.target.instance)\(settings.path)")
        let nanos = UInt64(max(1, settings.interval.nanoseconds))
        return .nanoseconds(Int64(h.value % nanos))
    }

    func start() {
        let t = Task { [self] in
            let clock = ContinuousClock()
            var tick = clock.now + offset
            while !Task.isCancelled {
                do { try await clock.sleep(until: tick) } catch { return }
                await scrapeAndPush()
                tick += settings.interval
                // After a long stall, skip the ticks that were missed rather than scraping in a burst.
                while tick < clock.now { tick += settings.interval }
            }
        }
        task.withLock { $0 = t }
    }

    /// Stops scraping; the target's series end with staleness markers.
    func stop() async {
        let t = task.withLock { t -> Task<Void, Never>? in
            defer { t = nil }
            return t
        }
        t?.cancel()
        await t?.value
        client.shutdown()
        let now = Self.unixNanos()
        if let data = converter.withLock({ $0.convertRemoval(at: now) }) {
            try? await next.consume(data)
        }
    }

    static func unixNanos() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1e9) }

    /// One scrape, converted and pushed. Each scrape is counted once: by its failure reason, else as
    /// `skipped_backpressure` when the pipeline refused it (its points are counted refused with the
    /// pipeline's reason, such as `memory_limit`), else as `success`.
    func scrapeAndPush() async {
        let (data, fetched) = await scrape()
        var result = fetched ? "success" : nil
        do {
            try await next.consume(data)
            counters.accepted.increment(by: Int64(data.dataPointCount))
        } catch let error as ConsumerError where error.isRetryable {
            counters.refused(data.dataPointCount, reason: error.refusalReason ?? "backpressure")
            if fetched { result = "skipped_backpressure" }
        } catch {
            counters.refused(data.dataPointCount, reason: "permanent_error")
        }
        if let result { scrapes.increment(result) }
    }

    /// Scrapes once: the target's metrics with the synthetic series (`fetched`), or `up` 0 and
    /// staleness markers, the failure counted by its reason.
    func scrape() async -> (data: MetricsData, fetched: Bool) {
        let started = Self.unixNanos()
        let clock = ContinuousClock()
        let begin = clock.now
        let outcome = await fetch()
        let duration = (clock.now - begin).seconds
        switch outcome {
        case .success(let exposition):
            lastFailure.withLock { $0 = nil }
            let (data, skipped) = converter.withLock { $0.convert(exposition, at: started, duration: duration) }
            if skipped.unsupportedType > 0 { counters.refused(skipped.unsupportedType, reason: "unsupported_type") }
            if skipped.incomplete > 0 { counters.refused(skipped.incomplete, reason: "incomplete") }
            return (data, true)
        case .failure(let failure):
            scrapes.increment(failure.reason)
            let changed = lastFailure.withLock { last -> Bool in
                defer { last = failure.reason }
                return last != failure.reason
            }
            if changed {
                logger.warning("scrape failed", metadata: [
                    "job": "\(settings.target.job)", "target": "\(settings.target.instance)", "reason": "\(failure.reason)", "error": "\(failure.message)",
                ])
            }
            return (converter.withLock { $0.convertFailure(at: started, duration: duration) }, false)
        }
    }

    struct Failure: Error {
        var reason: String
        var message: String
    }

    private func fetch() async -> Result<Exposition, Failure> {
        var headers = HTTPHeaders()
        headers.add(name: "accept", value: Self.accept)
        headers.add(name: "accept-encoding", value: "gzip")
        headers.add(name: "user-agent", value: "otelsw/\(telemetry.version)")
        headers.add(name: "x-prometheus-scrape-timeout-seconds", value: String(format: "%g", settings.timeout.seconds))
        if let authorization = settings.authorization { headers.add(name: "authorization", value: authorization) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(method: .GET, path: settings.path, headers: headers, body: ByteBuffer(),
                                                timeout: settings.timeout, maxResponseBytes: settings.bodySizeLimit)
        } catch {
            let text = "\(error)"
            let reason = text.contains("larger than") ? "too_large" : text.contains("no response within") ? "timeout" : "unreachable"
            return .failure(Failure(reason: reason, message: text))
        }
        guard response.status.code == 200 else {
            return .failure(Failure(reason: "http_status", message: "HTTP \(response.status.code)"))
        }
        var body = response.body
        var bytes = body.readBytes(length: body.readableBytes) ?? []
        if response.headers.first(name: "content-encoding")?.lowercased() == "gzip" {
            do {
                bytes = try Gzip.decompress(bytes, limit: settings.bodySizeLimit)
            } catch {
                if case .tooLarge = error { return .failure(Failure(reason: "too_large", message: "gzip: \(error)")) }
                return .failure(Failure(reason: "malformed", message: "gzip: \(error)"))
            }
        }
        let format = ExpositionFormat(contentType: response.headers.first(name: "content-type"))
        let parsed: Result<Exposition, ExpositionError> = bytes.withUnsafeBytes { raw in
            do throws(ExpositionError) {
                return .success(try parseExposition(raw, format: format))
            } catch {
                return .failure(error)
            }
        }
        let exposition: Exposition
        switch parsed {
        case .success(let e): exposition = e
        case .failure(let error): return .failure(Failure(reason: "malformed", message: "line \(error.line): \(error.message)"))
        }
        if settings.sampleLimit > 0 && exposition.samples.count > settings.sampleLimit {
            return .failure(Failure(reason: "sample_limit", message: "\(exposition.samples.count) samples, limit \(settings.sampleLimit)"))
        }
        return .success(exposition)
    }
}
