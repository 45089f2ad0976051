#!/usr/bin/env python3
"""sdk_send.py — send a deterministic set of traces, metrics and logs with the real OpenTelemetry Python
SDK and its OTLP exporters, and write a manifest of what was sent (for check_export.py).

  sdk_send.py --protocol grpc|http --endpoint URL --out manifest.json --run-id ID
              [--compression none|gzip] [--timeout SECONDS]

--endpoint is the receiver's base URL, e.g. http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318 (HTTP;
/v1/traces, /v1/metrics, /v1/logs are appended). Sent: 50 spans in 5 traces (attributes of several types,
events, links, one ERROR and one OK status), a counter, an up-down counter, a histogram and an observable
gauge with attributes (cumulative temporality), and 20 log records (half inside a span context). Resource:
service.name=sdk-<protocol>, run.id=<ID>. Trace/span ids come from a generator seeded with protocol and
run id, so two runs with different ids never collide. Every export result is recorded; the script exits
1 if any export failed or a flush/shutdown timed out, 0 otherwise. Each export times out after
--timeout seconds (default 10, at most 10).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import sys
import time

from opentelemetry import trace
from opentelemetry._logs import SeverityNumber
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor, LogRecordExportResult
from opentelemetry.sdk.metrics import (
    Counter, Histogram, MeterProvider, ObservableCounter, ObservableGauge, ObservableUpDownCounter,
    UpDownCounter,
)
from opentelemetry.sdk.metrics.export import (
    AggregationTemporality, MetricExportResult, PeriodicExportingMetricReader,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

TRACES_SCOPE = ("otelsw.sdk_send.traces", "1.0.0")
METRICS_SCOPE = ("otelsw.sdk_send.metrics", "1.0.0")
LOGS_SCOPE = ("otelsw.sdk_send.logs", "1.0.0")
N_TRACES, SPANS_PER_TRACE, N_LOGS = 5, 10, 20


def typed(v):
    """An attribute value in the manifest's typed form (check_export.py uses the same)."""
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, int):
        return {"int": v}
    if isinstance(v, float):
        return {"double": v}
    if isinstance(v, str):
        return {"string": v}
    if isinstance(v, bytes):
        return {"bytes": base64.b64encode(v).decode()}
    if isinstance(v, (list, tuple)):
        return {"array": [typed(x) for x in v]}
    if isinstance(v, dict):
        return {"kvlist": {k: typed(x) for k, x in v.items()}}
    raise TypeError(f"unsupported attribute value {v!r}")


def typed_attrs(attrs) -> dict:
    return {k: typed(v) for k, v in (attrs or {}).items()}


class SeededIds(IdGenerator):
    """Deterministic, non-zero trace and span ids."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def generate_span_id(self) -> int:
        return self.rng.getrandbits(64) or 1

    def generate_trace_id(self) -> int:
        return self.rng.getrandbits(128) or 1


class ResultLog:
    """Wraps exporters' export() to record every result."""

    def __init__(self):
        self.results = []  # (signal, ok, detail)

    def wrap(self, signal: str, exporter, success):
        original = exporter.export

        def export(*args, **kwargs):
            try:
                result = original(*args, **kwargs)
            except Exception as e:  # an exporter should not raise, but never hide it
                self.results.append((signal, False, f"raised {e!r}"))
                raise
            self.results.append((signal, result == success, str(result)))
            return result
        exporter.export = export
        return exporter


def make_exporters(protocol: str, endpoint: str, timeout: float, compression: str):
    cumulative = {k: AggregationTemporality.CUMULATIVE for k in
                  (Counter, UpDownCounter, Histogram, ObservableCounter, ObservableUpDownCounter, ObservableGauge)}
    if protocol == "grpc":
        import grpc
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
        comp = grpc.Compression.Gzip if compression == "gzip" else grpc.Compression.NoCompression
        insecure = not endpoint.startswith("https://")
        common = dict(endpoint=endpoint, insecure=insecure, timeout=timeout, compression=comp)
        return (OTLPSpanExporter(**common), OTLPMetricExporter(preferred_temporality=cumulative, **common),
                OTLPLogExporter(**common))
    from opentelemetry.exporter.otlp.proto.http import Compression
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    comp = Compression.Gzip if compression == "gzip" else Compression.NoCompression
    base = endpoint.rstrip("/")
    return (OTLPSpanExporter(endpoint=base + "/v1/traces", timeout=timeout, compression=comp),
            OTLPMetricExporter(endpoint=base + "/v1/metrics", timeout=timeout, compression=comp,
                               preferred_temporality=cumulative),
            OTLPLogExporter(endpoint=base + "/v1/logs", timeout=timeout, compression=comp))


def span_record(span, scope) -> dict:
    ctx = span.get_span_context()
    return {
        "trace_id": format(ctx.trace_id, "032x"),
        "span_id": format(ctx.span_id, "016x"),
        "parent_span_id": format(span.parent.span_id, "016x") if span.parent else "",
        "name": span.name,
        "kind": span.kind.value + 1,  # Python SpanKind.INTERNAL == 0; OTLP SPAN_KIND_INTERNAL == 1
        "start_time_unix_nano": span.start_time,
        "end_time_unix_nano": span.end_time,
        "attributes": typed_attrs(span.attributes),
        "events": [{"name": e.name, "time_unix_nano": e.timestamp, "attributes": typed_attrs(e.attributes)}
                   for e in span.events],
        "links": [{"trace_id": format(l.context.trace_id, "032x"), "span_id": format(l.context.span_id, "016x"),
                   "attributes": typed_attrs(l.attributes)} for l in span.links],
        "status": {"code": span.status.status_code.value, "message": span.status.description or ""},
        "scope": {"name": scope[0], "version": scope[1]},
    }


class Recorder(SpanProcessor):
    """Keeps the manifest record of every ended span (the same data the exporter gets)."""

    def __init__(self):
        self.records = []

    def on_end(self, span) -> None:
        scope = span.instrumentation_scope
        self.records.append(span_record(span, (scope.name, scope.version)))


def send_traces(tracer, base_ns: int) -> list:
    """50 spans in 5 traces. Returns the root spans' contexts (log records are emitted inside them)."""
    roots = []
    prev_root_ctx = None
    kinds = [SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]
    for t in range(N_TRACES):
        t0 = base_ns + t * 1_000_000_000
        root = tracer.start_span(
            f"trace-{t}/root", kind=SpanKind.SERVER, start_time=t0,
            attributes={"trace.index": t, "http.route": f"/r/{t}", "http.request.method": "GET",
                        "ratio": t / 8, "sampled": True, "tags": ["a", "b", f"t{t}"], "ints": [1, 2, t],
                        "floats": [0.5, -1.25], "bools": [True, False]})
        roots.append(root)
        parent = root
        children = []
        for i in range(1, SPANS_PER_TRACE):
            ctx = trace.set_span_in_context(parent if i % 3 == 0 else root)
            links = []
            if i == 3 and prev_root_ctx is not None:
                links = [Link(prev_root_ctx, {"link.reason": "retry", "link.attempt": 2})]
            sp = tracer.start_span(f"trace-{t}/span-{i}", context=ctx, kind=kinds[i % 4], links=links,
                                   start_time=t0 + i * 1000,
                                   attributes={"span.index": i, "trace.index": t, "even": i % 2 == 0,
                                               "weight": i * 0.5, "label": f"l{i}"})
            if i % 4 == 1:
                sp.add_event("checkpoint", {"step": i, "note": "half way", "fraction": 0.5},
                             timestamp=t0 + i * 1000 + 10)
            if t == 2 and i == 5:
                sp.add_event("exception", {"exception.type": "RuntimeError", "exception.message": "boom"},
                             timestamp=t0 + i * 1000 + 20)
                sp.set_status(Status(StatusCode.ERROR, "deliberate failure"))
            if t == 3 and i == 7:
                sp.set_status(Status(StatusCode.OK))
            children.append(sp)
            parent = sp
        for i, sp in enumerate(children, start=1):
            sp.end(end_time=t0 + i * 1000 + 500)
        prev_root_ctx = root.get_span_context()
    return roots


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--protocol", choices=("grpc", "http"), required=True)
    ap.add_argument("--endpoint", required=True, help="receiver base URL")
    ap.add_argument("--out", required=True, help="manifest file to write")
    ap.add_argument("--run-id", required=True)
    ap.add_argument("--compression", choices=("none", "gzip"), default="none")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per export (<= 10)")
    args = ap.parse_args()
    timeout = min(args.timeout, 10.0)
    timeout_ms = int(timeout * 1000)

    service = f"sdk-{args.protocol}"
    resource = Resource({"service.name": service, "run.id": args.run_id})
    seed = int.from_bytes(hashlib.sha256(f"{args.protocol}\0{args.run_id}".encode()).digest()[:8], "big")
    log = ResultLog()
    span_exp, metric_exp, log_exp = make_exporters(args.protocol, args.endpoint, timeout, args.compression)
    log.wrap("traces", span_exp, SpanExportResult.SUCCESS)
    log.wrap("metrics", metric_exp, MetricExportResult.SUCCESS)
    log.wrap("logs", log_exp, LogRecordExportResult.SUCCESS)

    tracer_provider = TracerProvider(resource=resource, id_generator=SeededIds(seed))
    recorder = Recorder()
    tracer_provider.add_span_processor(recorder)
    tracer_provider.add_span_processor(BatchSpanProcessor(
        span_exp, max_export_batch_size=20, schedule_delay_millis=60_000, export_timeout_millis=timeout_ms))
    reader = PeriodicExportingMetricReader(metric_exp, export_interval_millis=3_600_000,
                                           export_timeout_millis=timeout_ms)
    meter_provider = MeterProvider(resource=resource, metric_readers=[reader])
    logger_provider = LoggerProvider(resource=resource, shutdown_on_exit=False)
    logger_provider.add_log_record_processor(BatchLogRecordProcessor(
        log_exp, schedule_delay_millis=60_000, max_export_batch_size=8, export_timeout_millis=timeout_ms))

    tracer = tracer_provider.get_tracer(*TRACES_SCOPE)
    meter = meter_provider.get_meter(*METRICS_SCOPE)
    logger = logger_provider.get_logger(*LOGS_SCOPE)
    base_ns = (time.time_ns() // 1_000_000_000) * 1_000_000_000

    # --- traces -----------------------------------------------------------------------------------
    roots = send_traces(tracer, base_ns)

    # --- logs (first half inside the root spans' contexts) ---------------------------------------
    severities = [SeverityNumber.TRACE, SeverityNumber.DEBUG, SeverityNumber.INFO, SeverityNumber.INFO2,
                  SeverityNumber.WARN, SeverityNumber.ERROR, SeverityNumber.FATAL]
    log_records = []
    for i in range(N_LOGS):
        root = roots[i % N_TRACES] if i < N_LOGS // 2 else None
        sev = severities[i % len(severities)]
        body = {0: {"event": "structured", "n": i, "nested": {"ok": True}}, 1: ["list", "body", 3]}.get(
            i % 7, f"log line {i}: \u00e9v\u00e9nement \"quoted\"")
        attrs = {"log.index": i, "run.id": args.run_id, "parity": "even" if i % 2 == 0 else "odd",
                 "value": i * 1.5, "flag": i % 3 == 0}
        ts = base_ns + 10_000_000_000 + i * 1000
        logger.emit(timestamp=ts, observed_timestamp=ts + 7,
                    context=trace.set_span_in_context(root) if root is not None else None,
                    severity_number=sev, severity_text=sev.name, body=body, attributes=attrs)
        ctx = root.get_span_context() if root is not None else None
        log_records.append({
            "index": i, "body": typed(body), "severity_number": sev.value, "severity_text": sev.name,
            "time_unix_nano": ts, "observed_time_unix_nano": ts + 7,
            "trace_id": format(ctx.trace_id, "032x") if ctx else "",
            "span_id": format(ctx.span_id, "016x") if ctx else "",
            "attributes": typed_attrs(attrs), "scope": {"name": LOGS_SCOPE[0], "version": LOGS_SCOPE[1]},
        })
    for t, root in enumerate(roots):
        root.end(end_time=base_ns + t * 1_000_000_000 + 900_000_000)

    # --- metrics ----------------------------------------------------------------------------------
    counter = meter.create_counter("sdk.requests", unit="{request}", description="requests served")
    updown = meter.create_up_down_counter("sdk.inflight", unit="{request}", description="in flight")
    hist = meter.create_histogram("sdk.latency", unit="ms", description="latency")
    gauge_values = {("room", "a"): 21.5, ("room", "b"): -3.25}

    def observe(options: CallbackOptions):
        return [Observation(v, {k: val}) for (k, val), v in gauge_values.items()]
    meter.create_observable_gauge("sdk.temperature", callbacks=[observe], unit="Cel", description="temp")

    sums, updowns, hists = {}, {}, {}
    routes = [{"route": "/a", "code": 200}, {"route": "/b", "code": 500, "retry": True}]
    for i in range(30):
        a = routes[i % 2]
        counter.add(i + 1, a)
        sums[json.dumps(a, sort_keys=True)] = sums.get(json.dumps(a, sort_keys=True), 0) + i + 1
        delta = 3 if i % 3 else -2
        updown.add(delta, {"queue": f"q{i % 3}"})
        k = json.dumps({"queue": f"q{i % 3}"}, sort_keys=True)
        updowns[k] = updowns.get(k, 0) + delta
        v = (i * 7 % 13) * 1.25
        ha = {"route": a["route"]}
        hist.record(v, ha)
        h = hists.setdefault(json.dumps(ha, sort_keys=True), {"count": 0, "sum": 0.0, "min": v, "max": v})
        h["count"] += 1
        h["sum"] += v
        h["min"], h["max"] = min(h["min"], v), max(h["max"], v)
    metrics = [
        {"name": "sdk.requests", "type": "sum", "monotonic": True, "unit": "{request}",
         "points": [{"attributes": typed_attrs(json.loads(k)), "value": {"int": v}} for k, v in sums.items()]},
        {"name": "sdk.inflight", "type": "sum", "monotonic": False, "unit": "{request}",
         "points": [{"attributes": typed_attrs(json.loads(k)), "value": {"int": v}} for k, v in updowns.items()]},
        {"name": "sdk.latency", "type": "histogram", "unit": "ms",
         "points": [{"attributes": typed_attrs(json.loads(k)), "value": {"histogram": v}} for k, v in hists.items()]},
        {"name": "sdk.temperature", "type": "gauge", "unit": "Cel",
         "points": [{"attributes": typed_attrs({k: val}), "value": {"double": v}}
                    for (k, val), v in gauge_values.items()]},
    ]
    for m in metrics:
        m["scope"] = {"name": METRICS_SCOPE[0], "version": METRICS_SCOPE[1]}

    # --- flush, shut down, check ------------------------------------------------------------------
    problems = []
    for name, flush in (("traces", tracer_provider.force_flush), ("metrics", meter_provider.force_flush),
                        ("logs", logger_provider.force_flush)):
        try:
            if flush(timeout_ms * 2) is False:
                problems.append(f"{name}: force_flush timed out")
        except Exception as e:
            problems.append(f"{name}: force_flush raised {e!r}")
    tracer_provider.shutdown()
    meter_provider.shutdown(timeout_millis=timeout_ms)
    logger_provider.shutdown()

    for signal, ok, detail in log.results:
        if not ok:
            problems.append(f"{signal}: export failed ({detail})")
    for signal in ("traces", "metrics", "logs"):
        if not any(s == signal for s, _, _ in log.results):
            problems.append(f"{signal}: nothing was exported")

    manifest = {
        "protocol": args.protocol, "endpoint": args.endpoint, "run_id": args.run_id,
        "resource": {"service.name": service, "run.id": args.run_id},
        "spans": sorted(recorder.records, key=lambda r: r["name"]), "metrics": metrics, "logs": log_records,
        "exports": [{"signal": s, "ok": ok, "result": d} for s, ok, d in log.results],
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    n_ok = sum(1 for _, ok, _ in log.results if ok)
    print(f"sdk_send: {args.protocol} -> {args.endpoint}: {len(recorder.records)} spans, "
          f"{sum(len(m['points']) for m in metrics)} metric points, {len(log_records)} logs; "
          f"{n_ok}/{len(log.results)} exports ok")
    for p in problems:
        print(f"sdk_send: FAIL {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
