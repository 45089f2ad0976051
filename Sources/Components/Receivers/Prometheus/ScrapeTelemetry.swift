import PipelineCore
import Prometheus
import Telemetry

extension SelfTelemetry {
    /// Scrapes of one job's targets by result: `success`, a failure reason (`unreachable`,
    /// `timeout`, `http_status`, `too_large`, `malformed`, `sample_limit`) or `skipped_backpressure`.
    func scrapes(_ id: ComponentID, job: String) -> LabeledCounters {
        counters("otelsw_receiver_scrapes_total", labels: [("receiver", id.description), ("scrape_job", job)], by: "result",
                 values: ["success", "unreachable", "timeout", "http_status", "too_large", "malformed", "sample_limit", "skipped_backpressure"],
                 help: "Scrapes by job and result: success, a failure reason, or skipped_backpressure.")
    }

    /// The number of targets a scrape receiver is scraping for `job`.
    func scrapeTargets(_ id: ComponentID, job: String) -> Gauge {
        gauge("otelsw_receiver_scrape_targets", labels: [("receiver", id.description), ("scrape_job", job)], help: "Targets being scraped, by job.")
    }
}
