"""Writes expositions from the Python Prometheus client plus the samples they must parse to.

Usage: exposition_peer.py OUTPUT_DIR

Writes OUTPUT_DIR/exposition.prom (Prometheus text 0.0.4, ``generate_latest``),
OUTPUT_DIR/exposition.om (OpenMetrics 1.0, ``openmetrics.exposition.generate_latest``) and
OUTPUT_DIR/expected.json with the families and samples of the same registry snapshot.
Floats are written with ``repr`` so they round-trip exactly.
"""

import importlib.metadata
import json
import os
import sys

from prometheus_client import CollectorRegistry, Counter, Enum, Gauge, Histogram, Info, Summary, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeHistogramMetricFamily,
    GaugeMetricFamily,
    UnknownMetricFamily,
)
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics

TRICKY_VALUES = [
    'a"b\\c\nd',
    "ü 日本 π",
    "with } , = # and  spaces",
    "",
    "trailing backslash \\",
    "tab\there",
]


class CustomCollector:
    """Families the instrument classes cannot produce: timestamps, gauge histograms, unknown."""

    def collect(self):
        gauge = GaugeMetricFamily("stamped", "A gauge with explicit timestamps.", labels=["k"])
        gauge.add_metric(["x"], 1.5, timestamp=1520879607.25)
        gauge.add_metric(["y"], -2.0, timestamp=0.5)
        yield gauge
        queue = GaugeHistogramMetricFamily("queue_wait_seconds", "Time items wait.", unit="seconds")
        queue.add_metric([], [("0.5", 3.0), ("+Inf", 5.0)], gsum_value=2.25)
        yield queue
        counter = CounterMetricFamily("jobs", "Jobs with a creation time.", labels=["kind"], created=1600000000.5)
        counter.add_metric(["batch"], 12.0, created=1600000000.5)
        yield counter
        unknown = UnknownMetricFamily("mystery", "Nobody knows.")
        unknown.add_metric([], 3.14159)
        yield unknown


def build_registry():
    registry = CollectorRegistry()
    requests = Counter("requests", 'Requests "total"\nsecond line \\ end', ["path"], registry=registry)
    for index, value in enumerate(TRICKY_VALUES):
        requests.labels(value).inc(index + 1)
    requests.labels("traced").inc(2, exemplar={"trace_id": "4bf92f3577b34da6", "span_id": "00f067aa0ba902b7"})

    temperature = Gauge("temperature_celsius", "", ["room"], registry=registry, unit="celsius")
    for room, value in [
        ("nan", float("nan")), ("inf", float("inf")), ("minus_inf", float("-inf")),
        ("tiny", 1e-300), ("minus_zero", -0.0), ("max", 1.7976931348623157e308),
        ("third", 1.0 / 3.0), ("big", 123456789012.0),
    ]:
        temperature.labels(room).set(value)

    latency = Histogram(
        "latency_seconds", "Request latency.", ["method"], registry=registry,
        buckets=(0.005, 0.1, 0.25, 1.0, 2.5, float("inf")),
    )
    for value in [0.001, 0.2, 0.2, 3.0]:
        latency.labels("GET").observe(value)
    latency.labels("POST").observe(0.3, exemplar={"trace_id": "abc"})

    payload = Summary("payload_bytes", "Payload sizes.", registry=registry)
    payload.observe(512)
    payload.observe(1024.5)

    build = Info("build", "Build information.", registry=registry)
    build.info({"version": "1.2.3", "revision": 'quote " and \\ slash'})

    state = Enum("state", "Current state.", states=["starting", "running", "stopped"], registry=registry)
    state.state("running")

    registry.register(CustomCollector())
    return registry


def encode_value(value):
    return repr(float(value))


def snapshot(registry):
    """Families and samples as registry.collect() reports them."""
    families = []
    samples = []
    prometheus_families = []
    om_suffixes = ("_created", "_gsum", "_gcount")
    for metric in registry.collect():
        help_text = metric.documentation or None
        families.append({"name": metric.name, "type": metric.type, "help": help_text, "unit": metric.unit or None})
        text_name = metric.name + {"counter": "_total", "info": "_info"}.get(metric.type, "")
        text_type = {
            "info": "gauge", "stateset": "gauge", "gaugehistogram": "histogram", "unknown": "unknown",
        }.get(metric.type, metric.type)
        prometheus_families.append({"name": text_name, "type": text_type, "help": help_text, "unit": None})
        present = sorted({s for s in om_suffixes for sample in metric.samples if sample.name == metric.name + s})
        for suffix in present:
            prometheus_families.append(
                {"name": metric.name + suffix, "type": "gauge", "help": help_text, "unit": None}
            )
        for sample in metric.samples:
            exemplar = None
            if sample.exemplar is not None:
                exemplar = {
                    "labels": sorted([k, v] for k, v in sample.exemplar.labels.items()),
                    "value": encode_value(sample.exemplar.value),
                    "timestamp": None if sample.exemplar.timestamp is None else encode_value(sample.exemplar.timestamp),
                }
            timestamp_ms = None
            if sample.timestamp is not None:
                timestamp_ms = int(round(float(sample.timestamp) * 1000))
            samples.append({
                "name": sample.name,
                "labels": sorted([k, v] for k, v in sample.labels.items()),
                "value": encode_value(sample.value),
                "timestamp_ms": timestamp_ms,
                "exemplar": exemplar,
            })
    return families, prometheus_families, samples


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: exposition_peer.py OUTPUT_DIR")
    output = sys.argv[1]
    os.makedirs(output, exist_ok=True)
    registry = build_registry()
    # One snapshot for everything: the instruments do not change after build_registry().
    text = generate_latest(registry)
    openmetrics = generate_openmetrics(registry)
    families, prometheus_families, samples = snapshot(registry)
    with open(os.path.join(output, "exposition.prom"), "wb") as handle:
        handle.write(text)
    with open(os.path.join(output, "exposition.om"), "wb") as handle:
        handle.write(openmetrics)
    with open(os.path.join(output, "expected.json"), "w", encoding="utf-8") as handle:
        json.dump(
            {
                "client_version": importlib.metadata.version("prometheus_client"),
                "openmetrics_families": families,
                "prometheus_families": prometheus_families,
                "samples": samples,
            },
            handle,
            ensure_ascii=False,
            indent=1,
        )


if __name__ == "__main__":
    main()
