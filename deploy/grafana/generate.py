#!/usr/bin/env python3
"""Writes the demo's Grafana dashboards (deploy/grafana/dashboards/*.json) from the definitions below.

Run it after changing a definition: python3 deploy/grafana/generate.py
Each panel names its datasource by uid (provisioning/datasources/datasources.yml); the test suite
checks every PromQL query with promtool and every reference against the provisioned datasources.
"""
import json
import pathlib

PROM = {"type": "prometheus", "uid": "prometheus"}
LOKI = {"type": "loki", "uid": "loki"}
JAEGER = {"type": "jaeger", "uid": "jaeger"}


def panel(title, queries, kind="timeseries", unit=None, ds=PROM, description=""):
    """queries: [(expr, legend)]"""
    p = {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": ds,
        "targets": [
            {"refId": chr(ord("A") + i), "datasource": ds, "expr": expr, "legendFormat": legend}
            for i, (expr, legend) in enumerate(queries)
        ],
        "fieldConfig": {"defaults": {"unit": unit} if unit else {}, "overrides": []},
        "options": {},
    }
    return p


def dashboard(uid, title, description, panels, tags=("otelsw",)):
    laid = []
    for i, p in enumerate(panels):
        width = 24 if p["type"] in ("logs", "table", "traces") else 12
        p = dict(p, id=i + 1, gridPos={"h": 8, "w": width, "x": 0 if width == 24 else (i % 2) * 12, "y": (i // 2) * 8})
        laid.append(p)
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": list(tags),
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "10s",
        "time": {"from": "now-30m", "to": "now"},
        "panels": laid,
        "templating": {"list": []},
    }


RATE = "[$__rate_interval]"

DASHBOARDS = [
    dashboard(
        "otelsw-pipelines", "otelsw: pipelines",
        "What each receiver accepted and refused, what each exporter sent, failed and dropped (the loss ledger).",
        [
            panel("Accepted by receiver", [
                (f"sum by (receiver, transport) (rate(otelsw_receiver_accepted_spans_total{RATE}))", "{{receiver}} {{transport}} spans"),
                (f"sum by (receiver, transport) (rate(otelsw_receiver_accepted_metric_points_total{RATE}))", "{{receiver}} {{transport}} points"),
                (f"sum by (receiver, transport) (rate(otelsw_receiver_accepted_log_records_total{RATE}))", "{{receiver}} {{transport}} log records"),
            ], unit="short"),
            panel("Refused by receiver and reason", [
                (f"sum by (receiver, reason) (rate(otelsw_receiver_refused_spans_total{RATE}))", "{{receiver}} spans {{reason}}"),
                (f"sum by (receiver, reason) (rate(otelsw_receiver_refused_log_records_total{RATE}))", "{{receiver}} logs {{reason}}"),
                (f"sum by (receiver, reason) (rate(otelsw_receiver_refused_metric_points_total{RATE}))", "{{receiver}} points {{reason}}"),
            ], unit="short"),
            panel("Sent by exporter", [
                (f"sum by (exporter) (rate(otelsw_exporter_sent_spans_total{RATE}))", "{{exporter}} spans"),
                (f"sum by (exporter) (rate(otelsw_exporter_sent_metric_points_total{RATE}))", "{{exporter}} points"),
                (f"sum by (exporter) (rate(otelsw_exporter_sent_log_records_total{RATE}))", "{{exporter}} log records"),
            ], unit="short"),
            panel("Dropped (the loss ledger)", [
                (f"sum by (exporter, signal, reason) (increase(otelsw_exporter_dropped_items_total[5m]))", "{{exporter}} {{signal}} {{reason}}"),
            ], kind="timeseries", unit="short",
                description="Every item the agent gave up on, by reason; empty is good."),
            panel("Requests rejected before decoding", [
                (f"sum by (receiver, transport, reason) (rate(otelsw_receiver_refused_requests_total{RATE}))", "{{receiver}} {{transport}} {{reason}}"),
            ], unit="reqps"),
            panel("Process", [
                ("rate(otelsw_process_cpu_seconds[1m])", "CPU cores"),
                ("otelsw_process_memory_rss_bytes / 1048576", "RSS MiB"),
            ]),
        ]),
    dashboard(
        "otelsw-queues", "otelsw: queues and retries",
        "Sending queues: how full, how old the oldest item, what is in flight, retries, persistent queues on disk.",
        [
            panel("Queue fill", [
                ("max by (exporter, data_type) (otelsw_exporter_queue_size / otelsw_exporter_queue_capacity)", "{{exporter}} {{data_type}}"),
            ], unit="percentunit"),
            panel("Oldest queued item", [
                ("max by (exporter, data_type) (otelsw_exporter_queue_oldest_item_age_seconds)", "{{exporter}} {{data_type}}"),
            ], unit="s"),
            panel("In flight", [
                ("sum by (exporter, data_type) (otelsw_exporter_in_flight_requests)", "{{exporter}} {{data_type}}"),
            ]),
            panel("Retries", [
                (f"sum by (exporter, data_type) (rate(otelsw_exporter_retries_total{RATE}))", "{{exporter}} {{data_type}}"),
            ], unit="reqps"),
            panel("Refused by a full queue", [
                (f"sum by (exporter) (rate(otelsw_exporter_enqueue_failed_spans_total{RATE}))", "{{exporter}} spans"),
                (f"sum by (exporter) (rate(otelsw_exporter_enqueue_failed_log_records_total{RATE}))", "{{exporter}} log records"),
            ], unit="short"),
            panel("Persistent queues on disk", [
                ("sum by (exporter, data_type) (otelsw_exporter_persisted_bytes)", "{{exporter}} {{data_type}}"),
            ], unit="bytes"),
        ]),
    dashboard(
        "otelsw-tail-sampling", "otelsw: tail sampling",
        "Decisions and votes per policy, traces waiting, early decisions, late spans and the decision latency.",
        [
            panel("Traces decided", [
                (f"sum by (sampled) (rate(otelsw_processor_tail_sampling_traces_total{RATE}))", "sampled={{sampled}}"),
            ], unit="short"),
            panel("Votes by policy", [
                (f"sum by (policy, sampled) (rate(otelsw_processor_tail_sampling_policy_traces_total{RATE}))", "{{policy}} sampled={{sampled}}"),
            ], unit="short"),
            panel("Waiting", [
                ("sum by (processor) (otelsw_processor_tail_sampling_traces_in_memory)", "{{processor}} traces"),
                ("sum by (processor) (otelsw_processor_tail_sampling_log_records_held)", "{{processor}} log records"),
            ]),
            panel("Early decisions and late spans", [
                (f"sum by (reason) (rate(otelsw_processor_tail_sampling_early_decisions_total{RATE}))", "early: {{reason}}"),
                (f"sum by (sampled) (rate(otelsw_processor_tail_sampling_late_spans_total{RATE}))", "late spans sampled={{sampled}}"),
            ], unit="short"),
            panel("Decision latency (p50, p99)", [
                (f"histogram_quantile(0.5, sum by (le) (rate(otelsw_processor_tail_sampling_decision_latency_seconds_bucket{RATE})))", "p50"),
                (f"histogram_quantile(0.99, sum by (le) (rate(otelsw_processor_tail_sampling_decision_latency_seconds_bucket{RATE})))", "p99"),
            ], unit="s"),
            panel("Bytes waiting", [
                ("sum by (processor) (otelsw_processor_tail_sampling_bytes_in_memory)", "{{processor}}"),
            ], unit="bytes"),
        ]),
    dashboard(
        "otelsw-scrape-health", "otelsw: scrape health",
        "The prometheus receiver's scrapes by result and its targets, beside Prometheus' own view of the agent.",
        [
            panel("Scrapes by result", [
                (f"sum by (scrape_job, result) (rate(otelsw_receiver_scrapes_total{RATE}))", "{{scrape_job}} {{result}}"),
            ], unit="short"),
            panel("Targets", [
                ("sum by (scrape_job) (otelsw_receiver_scrape_targets)", "{{scrape_job}}"),
            ]),
            panel("Targets up (as the agent scraped them)", [
                ("sum by (job) (up)", "{{job}} up"),
                ("count by (job) (up)", "{{job}} targets"),
            ]),
            panel("Scrape duration", [
                ("max by (job, instance) (scrape_duration_seconds)", "{{job}} {{instance}}"),
            ], unit="s"),
        ]),
    dashboard(
        "otelsw-alerts-responder", "Alerts and responder actions",
        "Which alerts fire, what the auto-heal responder did about them, and the agent's reloads.",
        [
            panel("Alerts firing", [
                ('sum by (alertname, service) (ALERTS{alertstate="firing"})', "{{alertname}} {{service}}"),
            ]),
            panel("Responder decisions", [
                ("sum by (rule, outcome) (increase(responder_decisions_total[5m]))", "{{rule}} {{outcome}}"),
            ], unit="short"),
            panel("Alerts received by the responder", [
                ("sum by (status) (increase(responder_alerts_received_total[5m]))", "{{status}}"),
            ], unit="short"),
            panel("Pipeline file reloads", [
                ("sum by (result) (increase(otelsw_config_reloads_total[15m]))", "{{result}}"),
                ("otelsw_config_last_reload_duration_seconds", "last reload duration (s)"),
            ]),
        ]),
]


def main():
    out = pathlib.Path(__file__).resolve().parent / "dashboards"
    out.mkdir(exist_ok=True)
    for d in DASHBOARDS:
        (out / f"{d['uid']}.json").write_text(json.dumps(d, indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(DASHBOARDS)} dashboards to {out}")


if __name__ == "__main__":
    main()
