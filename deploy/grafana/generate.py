#!/usr/bin/env python3
"""Writes the demo's Grafana dashboards (deploy/grafana/dashboards/*.json) from the definitions below.

Run it after changing a definition: python3 deploy/grafana/generate.py
Each panel names its datasource by uid (provisioning/datasources/datasources.yml); the test suite
checks every reference against the provisioned datasources, every PromQL query with promtool (with
$service at "All", `.+`, and the interval variables at 1m), every LogQL query's syntax and labels
against the streams the agent's loki exporter writes, and that Jaeger panels search a demo service.
The only template variable is `service`, used as service=~"$service" or service_name=~"$service".
"""
import json
import pathlib

PROM = {"type": "prometheus", "uid": "prometheus"}
LOKI = {"type": "loki", "uid": "loki"}
JAEGER = {"type": "jaeger", "uid": "jaeger"}


def panel(title, queries, kind="timeseries", unit=None, ds=PROM, description="", width=None, height=8,
          options=None, defaults=None, target=None, transformations=None):
    """queries: [(expr, legend)]; `defaults` adds to fieldConfig.defaults, `target` to every target."""
    extra = {"queryType": "range"} if ds is LOKI else {}
    extra.update(target or {})
    p = {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": ds,
        "targets": [
            dict({"refId": chr(ord("A") + i), "datasource": ds, "expr": expr, "legendFormat": legend}, **extra)
            for i, (expr, legend) in enumerate(queries)
        ],
        "fieldConfig": {"defaults": dict({"unit": unit} if unit else {}, **(defaults or {})), "overrides": []},
        "options": options or {},
        "_size": (width, height),
    }
    if transformations:
        p["transformations"] = transformations
    return p


def jaeger_search(title, service, description="", operation=None):
    """A table of the traces Jaeger finds for `service` (and `operation`), newest first."""
    t = {"refId": "A", "datasource": JAEGER, "queryType": "search", "service": service}
    if operation:
        t["operation"] = operation
    return {
        "type": "table",
        "title": title,
        "description": description,
        "datasource": JAEGER,
        "targets": [t],
        "fieldConfig": {"defaults": {}, "overrides": []},
        "options": {"showHeader": True},
        "_size": (24, 10),
    }


def text(title, markdown, height=5):
    return {
        "type": "text",
        "title": title,
        "description": "",
        "options": {"mode": "markdown", "content": markdown},
        "_size": (24, height),
    }


def dashboard(uid, title, description, panels, tags=("otelsw",), variables=()):
    """Lays the panels out left to right in rows: logs, tables, traces and text take a whole row."""
    laid = []
    x = y = row_height = 0
    for i, p in enumerate(panels):
        width, height = p.pop("_size", (None, 8))
        if width is None:
            width = 24 if p["type"] in ("logs", "table", "traces", "text") else 12
        if x + width > 24:
            x, y, row_height = 0, y + row_height, 0
        laid.append(dict(p, id=i + 1, gridPos={"h": height, "w": width, "x": x, "y": y}))
        x += width
        row_height = max(row_height, height)
        if x >= 24:
            x, y, row_height = 0, y + row_height, 0
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
        "templating": {"list": list(variables)},
    }


def service_variable():
    """`$service`: the services that report RED metrics; queries use it as service=~"$service"
    (PromQL) or service_name=~"$service" (LogQL). "All" is the regular expression .+"""
    query = "label_values(http_server_requests_total, service)"
    return {
        "name": "service",
        "label": "service",
        "type": "query",
        "datasource": PROM,
        "definition": query,
        "query": query,
        "refresh": 2,
        "sort": 1,
        "regex": "",
        "hide": 0,
        "multi": True,
        "includeAll": True,
        "allValue": ".+",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "options": [],
    }


RATE = "[$__rate_interval]"


def or_none(expr, label):
    """`expr`, or one series at 0 with `label`="none" while `expr` has no series: for counters that
    appear only once something happens (a drop, a refusal), so the panel shows 0 instead of "No data"."""
    return f'({expr}) or on() label_replace(vector(0), "{label}", "none", "", "")'

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
                (or_none("sum by (exporter, signal, reason) (increase(otelsw_exporter_dropped_items_total[5m]))", "reason"), "{{exporter}} {{signal}} {{reason}}"),
            ], kind="timeseries", unit="short",
                description="Every item the agent gave up on, by reason; a single 'none' line at 0 is good."),
            panel("Requests rejected before decoding", [
                (or_none(f"sum by (receiver, transport, reason) (rate(otelsw_receiver_refused_requests_total{RATE}))", "reason"), "{{receiver}} {{transport}} {{reason}}"),
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
                (or_none(f"sum by (reason) (rate(otelsw_processor_tail_sampling_early_decisions_total{RATE}))", "reason"), "early: {{reason}}"),
                (or_none(f"sum by (sampled) (rate(otelsw_processor_tail_sampling_late_spans_total{RATE}))", "sampled"), "late spans sampled={{sampled}}"),
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


# ---------------------------------------------------------------------------------------------------
# The demo services' dashboards. Prometheus holds the services' metrics twice: scraped from each
# service's /metrics (job="services"; the RED metrics only come this way) and sent over OTLP through
# otelsw's remote-write (job=<service name>, business metrics only). Every query names its path so
# nothing is counted twice. Queries that would be empty while all is well (no 5xx, no alert firing)
# are completed with a zero of the same labels, because zero is what they mean then.

SVC = 'service=~"$service"'
SCRAPED = 'job="services"'
VIA_OTELSW = 'job!="services"'
# The routes the services serve to each other and to clients, without scrapes, health and admin calls.
API = 'route!~"/metrics|/healthz|/admin.*"'
CALLEES = 'service=~"user|product|payment"'
AVAIL_BUDGET = "on() group_left() (1 - slo:availability_objective:ratio)"
LATENCY_BUDGET = "on() group_left() (1 - slo:latency_objective:ratio)"


def burn_thresholds():
    """Lines at the burn rates that page: 6x (over 6h and 30m) and 14.4x (over 1h and 5m)."""
    return {
        "custom": {"thresholdsStyle": {"mode": "line+area"}},
        "thresholds": {"mode": "absolute", "steps": [
            {"color": "green", "value": None},
            {"color": "orange", "value": 6},
            {"color": "red", "value": 14.4},
        ]},
    }


def budget_thresholds():
    return {
        "min": 0,
        "max": 1,
        "thresholds": {"mode": "absolute", "steps": [
            {"color": "red", "value": None},
            {"color": "orange", "value": 0.25},
            {"color": "green", "value": 0.5},
        ]},
    }


def red_errors(selector, by):
    """5xx per second by `by`; zero for the series that answered no 5xx."""
    return (f'sum by ({by}) (rate(http_server_requests_total{{{selector}, status_code=~"5.."}}{RATE}))'
            f" or 0 * sum by ({by}) (rate(http_server_requests_total{{{selector}}}{RATE}))")


def ratio_of(selector, status_regex, by="service"):
    """The share of requests whose status matches, by `by`; zero where none did."""
    return (f'(sum by ({by}) (rate(http_server_requests_total{{{selector}, status_code=~"{status_regex}"}}{RATE}))'
            f" or 0 * sum by ({by}) (rate(http_server_requests_total{{{selector}}}{RATE})))"
            f" / sum by ({by}) (rate(http_server_requests_total{{{selector}}}{RATE}))")


def latency_quantile(q, selector, by):
    return f"histogram_quantile({q}, sum by ({by}, le) (rate(http_server_request_duration_seconds_bucket{{{selector}}}{RATE})))"


DASHBOARDS += [
    dashboard(
        "demo-slo", "Demo: SLO overview",
        "The demo services against their SLOs (99% of requests without a 5xx, 95% within 300 ms): the SLIs over "
        "5m and 1h, the error budget left over the longest recorded window (3 days), the burn rates the "
        "multi-window alerts compare with 14.4x and 6x, and the SLO alerts firing. Built on the slo:* "
        "recording rules of deploy/prometheus/rules/slo.rules.yml.",
        [
            panel("Availability SLI (requests without a 5xx)", [
                (f"1 - slo:availability_error_ratio:rate5m{{{SVC}}}", "{{service}} 5m"),
                (f"1 - slo:availability_error_ratio:rate1h{{{SVC}}}", "{{service}} 1h"),
                ("slo:availability_objective:ratio", "objective"),
            ], unit="percentunit",
                description="Share of requests answered without a 5xx; the objective is 99%."),
            panel("Latency SLI (requests within 300 ms)", [
                (f"1 - slo:latency_slow_ratio:rate5m{{{SVC}}}", "{{service}} 5m"),
                (f"1 - slo:latency_slow_ratio:rate1h{{{SVC}}}", "{{service}} 1h"),
                ("slo:latency_objective:ratio", "objective"),
            ], unit="percentunit",
                description="Share of requests answered within 300 ms (the histogram's 0.3 s bucket); the objective is 95%."),
            panel("Availability error budget left (3 days)", [
                (f"1 - (slo:availability_error_ratio:rate3d{{{SVC}}} / {AVAIL_BUDGET})", "{{service}}"),
            ], kind="bargauge", unit="percentunit", defaults=budget_thresholds(),
                options={"orientation": "horizontal", "displayMode": "basic",
                         "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}},
                description="1 - (bad share over the last 3 days / the 1% budget). Below 0 the budget is spent; "
                            "3 days is the longest window the recording rules keep."),
            panel("Latency error budget left (3 days)", [
                (f"1 - (slo:latency_slow_ratio:rate3d{{{SVC}}} / {LATENCY_BUDGET})", "{{service}}"),
            ], kind="bargauge", unit="percentunit", defaults=budget_thresholds(),
                options={"orientation": "horizontal", "displayMode": "basic",
                         "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}},
                description="1 - (slow share over the last 3 days / the 5% budget)."),
            panel("Availability burn rate", [
                (f"slo:availability_error_ratio:rate5m{{{SVC}}} / {AVAIL_BUDGET}", "{{service}} 5m"),
                (f"slo:availability_error_ratio:rate1h{{{SVC}}} / {AVAIL_BUDGET}", "{{service}} 1h"),
                (f"slo:availability_error_ratio:rate30m{{{SVC}}} / {AVAIL_BUDGET}", "{{service}} 30m"),
                (f"slo:availability_error_ratio:rate6h{{{SVC}}} / {AVAIL_BUDGET}", "{{service}} 6h"),
            ], unit="suffix:x", defaults=burn_thresholds(),
                description="How many times faster than allowed the budget burns. AvailabilityFastBurn pages when "
                            "1h and 5m are both above 14.4, or 6h and 30m both above 6."),
            panel("Latency burn rate", [
                (f"slo:latency_slow_ratio:rate5m{{{SVC}}} / {LATENCY_BUDGET}", "{{service}} 5m"),
                (f"slo:latency_slow_ratio:rate1h{{{SVC}}} / {LATENCY_BUDGET}", "{{service}} 1h"),
                (f"slo:latency_slow_ratio:rate30m{{{SVC}}} / {LATENCY_BUDGET}", "{{service}} 30m"),
                (f"slo:latency_slow_ratio:rate6h{{{SVC}}} / {LATENCY_BUDGET}", "{{service}} 6h"),
            ], unit="suffix:x", defaults=burn_thresholds(),
                description="LatencyFastBurn pages when 1h and 5m are both above 14.4, or 6h and 30m both above 6."),
            panel("SLO alerts firing", [
                ('count(ALERTS{alertstate="firing", slo!=""}) or vector(0)', "firing"),
            ], kind="stat", defaults={"thresholds": {"mode": "absolute", "steps": [
                {"color": "green", "value": None}, {"color": "red", "value": 1}]}},
                options={"colorMode": "background", "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}},
                description="Burn-rate alerts (ALERTS{slo!=\"\"}) firing now, over every service."),
            panel("SLO alerts firing by service and SLO", [
                (f'count by (service, slo) (ALERTS{{alertstate="firing", slo!="", {SVC}}})'
                 f' or 0 * count by (service, slo) (label_replace(slo:availability_error_ratio:rate5m{{{SVC}}}, "slo", "availability", "service", ".*")'
                 f' or label_replace(slo:latency_slow_ratio:rate5m{{{SVC}}}, "slo", "latency", "service", ".*"))',
                 "{{service}} {{slo}}"),
            ], unit="short",
                description="0, 1 (fast or slow burn) or 2 alerts per service and SLO; the alerts' own labels are on "
                            "the alerts and responder dashboard."),
        ],
        tags=("demo", "slo"), variables=[service_variable()]),
    dashboard(
        "demo-red", "Demo: service RED",
        "Rate, errors and duration of the demo services as they measure their own requests "
        "(http_server_requests_total and the http_server_request_duration_seconds histogram, scraped from "
        "/metrics): requests per second by route and status, error ratios, and p50/p95/p99 latency. "
        "Pick the services with the service variable.",
        [
            panel("Requests per second by route and status", [
                (f"sum by (service, route, status_code) (rate(http_server_requests_total{{{SVC}}}{RATE}))", "{{service}} {{route}} {{status_code}}"),
            ], unit="reqps", description="Includes Prometheus' scrapes of /metrics, which the SLOs count too."),
            panel("5xx per second by route", [
                (red_errors(SVC, "service, route"), "{{service}} {{route}}"),
            ], unit="reqps"),
            panel("Error ratio", [
                (ratio_of(SVC, "5.."), "{{service}} 5xx"),
                (ratio_of(SVC, "4.."), "{{service}} 4xx"),
            ], unit="percentunit",
                description="5xx count against the availability SLO; 4xx (a declined payment is a 402) do not."),
            panel("Latency p50 / p95 / p99", [
                (latency_quantile(0.5, SVC, "service"), "{{service}} p50"),
                (latency_quantile(0.95, SVC, "service"), "{{service}} p95"),
                (latency_quantile(0.99, SVC, "service"), "{{service}} p99"),
            ], unit="s", description="From the histogram's buckets (5 ms to 5 s), so quantiles are estimates."),
            panel("Latency p95 by route", [
                (latency_quantile(0.95, SVC, "service, route"), "{{service}} {{route}}"),
            ], unit="s"),
            panel("Requests within 300 ms", [
                (f'sum by (service) (rate(http_server_request_duration_seconds_bucket{{{SVC}, le="0.3"}}{RATE}))'
                 f" / sum by (service) (rate(http_server_request_duration_seconds_count{{{SVC}}}{RATE}))", "{{service}}"),
            ], unit="percentunit", description="The latency SLI at the dashboard's resolution; the objective is 95%."),
        ],
        tags=("demo", "red"), variables=[service_variable()]),
    dashboard(
        "demo-business", "Demo: business KPIs",
        "What the demo shop does: orders created and failed (by the step that failed), the payment success "
        "rate, active users and units reserved. Business metrics reach Prometheus twice; these panels read "
        "the scrape of each service's /metrics (job=\"services\"), and one panel compares it with the same "
        "counter sent over OTLP through otelsw (job=<service>): the two agree when the agent delivers.",
        [
            panel("Orders per second", [
                (f"sum(rate(orders_created_total{{{SCRAPED}}}{RATE}))", "created"),
                (f"sum by (step) (rate(orders_failed_total{{{SCRAPED}}}{RATE}))", "failed at {{step}}"),
            ], unit="short"),
            panel("Order failure ratio", [
                (f"sum(rate(orders_failed_total{{{SCRAPED}}}{RATE})) / (sum(rate(orders_created_total{{{SCRAPED}}}{RATE}))"
                 f" + sum(rate(orders_failed_total{{{SCRAPED}}}{RATE})))", "failed / placed"),
            ], unit="percentunit", description="Orders whose user lookup, reservation or payment failed, of all orders that got that far."),
            panel("Payment success rate", [
                (f'sum(rate(payments_total{{{SCRAPED}, result="success"}}{RATE})) / sum(rate(payments_total{{{SCRAPED}}}{RATE}))', "success"),
            ], unit="percentunit", description="Charged / all charges; amounts over 5000 are declined."),
            panel("Payments per second by result", [
                (f"sum by (result) (rate(payments_total{{{SCRAPED}}}{RATE}))", "{{result}}"),
            ], unit="short"),
            panel("Active users", [
                (f"sum(active_users{{{SCRAPED}}})", "distinct users in the last 5 minutes"),
            ], unit="short"),
            panel("Units reserved per second", [
                (f"sum(rate(product_units_reserved_total{{{SCRAPED}}}{RATE}))", "units"),
            ], unit="short"),
            panel("Orders created: scraped vs delivered by otelsw", [
                (f"sum(rate(orders_created_total{{{SCRAPED}}}{RATE}))", "scraped from /metrics"),
                (f"sum(rate(orders_created_total{{{VIA_OTELSW}}}{RATE}))", "OTLP through otelsw"),
            ], unit="short",
                description="The same counter by two paths; the lines lie on each other when the agent delivers "
                            "everything (the OTLP export every 5 s makes its line a little steppier)."),
            panel("Delivered through otelsw / scraped (5m)", [
                (f"sum(increase(orders_created_total{{{VIA_OTELSW}}}[5m])) / sum(increase(orders_created_total{{{SCRAPED}}}[5m]))", "ratio"),
            ], kind="stat", unit="percentunit",
                defaults={"decimals": 1, "thresholds": {"mode": "absolute", "steps": [
                    {"color": "red", "value": None}, {"color": "orange", "value": 0.9}, {"color": "green", "value": 0.98}]}},
                options={"colorMode": "value", "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}},
                description="About 100% while the agent delivers; it falls when OTLP data is refused, dropped or late."),
        ],
        tags=("demo", "business")),
    dashboard(
        "demo-traces", "Demo: dependencies and traces",
        "How the services call each other and where to find the traces: recent traces of the order service "
        "in Jaeger (what otelsw's tail sampling kept), and the calls between services from the callee's "
        "RED metrics. In the demo only order calls the others (user, then product for each item, then payment), "
        "so every request user, product and payment serve is a call from order.",
        [
            jaeger_search("Recent traces of order (Jaeger)", "order",
                          description="Every trace starts at order's POST /orders. Failed and slow traces are all kept, "
                                      "the rest sampled. Open one for the spans of all four services and the logs of each span."),
            panel("Calls between services (last 5m)", [
                (f'label_replace(sum by (service, route, status_code) (rate(http_server_requests_total{{service="order", {API}}}[5m])), "caller", "client", "service", ".*")'
                 f' or label_replace(sum by (service, route, status_code) (rate(http_server_requests_total{{{CALLEES}, {API}}}[5m])), "caller", "order", "service", ".*")', ""),
            ], kind="table", unit="reqps", target={"format": "table", "instant": True, "range": False},
                transformations=[
                    {"id": "organize", "options": {"excludeByName": {"Time": True},
                                                   "indexByName": {"caller": 0, "service": 1, "route": 2, "status_code": 3, "Value": 4},
                                                   "renameByName": {"service": "callee", "Value": "calls/s"}}},
                ],
                description="One row per caller, callee, route and status, from the callee's http_server_requests_total "
                            "(client: whoever calls order, the load generator in the demo)."),
            panel("Calls from order by callee", [
                (f"sum by (service, route) (rate(http_server_requests_total{{{CALLEES}, {API}}}{RATE}))", "order → {{service}} {{route}}"),
            ], unit="reqps"),
            panel("Callee latency p95", [
                (latency_quantile(0.95, f"{CALLEES}, {API}", "service, route"), "{{service}} {{route}}"),
            ], unit="s", description="As the callee measures it; order's own latency includes these calls."),
            panel("Failed calls: callee's answers and order's failed steps", [
                (f'sum by (service, route) (rate(http_server_requests_total{{{CALLEES}, {API}, status_code!~"2.."}}{RATE}))'
                 f" or 0 * sum by (service, route) (rate(http_server_requests_total{{{CALLEES}, {API}}}{RATE}))", "{{service}} {{route}} not 2xx"),
                (f"sum by (step) (rate(orders_failed_total{{{SCRAPED}}}{RATE}))", "orders failed at {{step}}"),
            ], unit="reqps", description="The callee's non-2xx answers beside orders_failed_total{step}; they move together."),
            panel("Traces through otelsw to Jaeger", [
                (f'sum(rate(otelsw_exporter_sent_spans_total{{exporter="otlp/jaeger"}}{RATE}))', "spans sent to Jaeger"),
                (f"sum by (sampled) (rate(otelsw_processor_tail_sampling_traces_total{RATE}))", "traces decided, sampled={{sampled}}"),
            ], unit="short", description="What reaches Jaeger: the spans of the traces tail sampling kept."),
        ],
        tags=("demo", "traces")),
    dashboard(
        "demo-logs", "Demo: logs explorer",
        "The services' JSON log lines as otelsw ships them to Loki (streams labelled service_name and "
        "environment, plus job and level; the line is the agent's JSON with body, severity, trace_id, span_id, "
        "attributes and resources). Expand a line and follow its trace_id: the Loki datasource's derived "
        "field opens the trace in Jaeger.",
        [
            text("How to read these logs",
                 "Each line is `{\"body\", \"severity\", \"trace_id\", \"span_id\", \"attributes\", \"resources\"}`; "
                 "`| json` makes them fields (`attributes_step`, `attributes_order_id`...). `severity` is the "
                 "service's own level word (`info`, `warning`, `error`), and the stream label `level` the same in "
                 "lower case. **Trace ids link to Jaeger**: `trace_id` is structured metadata on every entry and the "
                 "Loki datasource's derived field turns it into a link to the trace; from a trace in Jaeger, "
                 "*Logs for this span* comes back here.", height=4),
            panel("Logs", [
                ('{service_name=~"$service"} | json', ""),
            ], kind="logs", ds=LOKI, height=12,
                options={"showTime": True, "wrapLogMessage": True, "enableLogDetails": True,
                         "prettifyLogMessage": False, "dedupStrategy": "none", "sortOrder": "Descending"},
                description="All lines of the chosen services, newest first."),
            panel("Errors", [
                ('{service_name=~"$service", level=~"error|critical"} | json', ""),
            ], kind="logs", ds=LOKI, height=10,
                options={"showTime": True, "wrapLogMessage": True, "enableLogDetails": True,
                         "prettifyLogMessage": False, "dedupStrategy": "none", "sortOrder": "Descending"},
                description="Error-level lines only (the level stream label); each links to its trace."),
            panel("Error lines per service (5m)", [
                ('sum by (service_name) (count_over_time({service_name=~"$service"} | json | severity=~"error|critical" [5m]))', "{{service_name}}"),
            ], ds=LOKI, unit="short",
                description="Lines whose severity (the service's level, kept as written) is error or critical."),
            panel("Log lines per second by level", [
                ('sum by (service_name, level) (rate({service_name=~"$service"} [1m]))', "{{service_name}} {{level}}"),
            ], ds=LOKI, unit="short"),
            panel("Failed orders by step (from order's log)", [
                ('sum by (attributes_step) (count_over_time({service_name="order"} |= "order failed" | json [5m]))', "{{attributes_step}}"),
            ], ds=LOKI, unit="short", description="The log's view of orders_failed_total{step}."),
            panel("Declined payments", [
                ('{service_name="payment", level="warning"} |= "payment declined" | json'
                 ' | line_format "order {{.attributes_order_id}} amount {{.attributes_amount}}"', ""),
            ], kind="logs", ds=LOKI,
                options={"showTime": True, "wrapLogMessage": True, "enableLogDetails": True,
                         "prettifyLogMessage": False, "dedupStrategy": "none", "sortOrder": "Descending"},
                description="Charges over 5000, one line each; the details still carry the trace_id link."),
        ],
        tags=("demo", "logs"), variables=[service_variable()]),
]


def main():
    out = pathlib.Path(__file__).resolve().parent / "dashboards"
    out.mkdir(exist_ok=True)
    for d in DASHBOARDS:
        (out / f"{d['uid']}.json").write_text(json.dumps(d, indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(DASHBOARDS)} dashboards to {out}")


if __name__ == "__main__":
    main()
