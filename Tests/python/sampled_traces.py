#!/usr/bin/env python3
"""sampled_traces.py — traces from three services, sent span by span, for the tail sampling tests.

  sampled_traces.py traces --endpoint URL --out manifest.json [--traces N]
  sampled_traces.py late   --endpoint URL --manifest manifest.json

`traces`: N traces (default 24), each a frontend root span, an order child and a payment grandchild,
made with the real OpenTelemetry Python SDK. Each service has its own TracerProvider whose
SimpleSpanProcessor exports every span in its own OTLP/HTTP request as the span ends, so a trace
arrives in three requests, children before their parents. The payment span of every third trace has
status ERROR. Inside each order span one log record is emitted (it carries the trace id), and five log
records are emitted outside any span; logs are exported one per request too, before the spans end.
The manifest lists each trace id, its root span id and whether it has an error.

`late`: for the first trace with an error and the first without, one more payment span (parented on
the root) and one log record in that span, sent after the trace was decided.

Exits 1 if any export failed.
"""
from __future__ import annotations

import argparse
import json
import sys

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import LogRecordExportResult, SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.trace import NonRecordingSpan, SpanContext, Status, StatusCode, TraceFlags

FAILED = []


class Checked:
    """Wraps an exporter and records failed exports."""

    def __init__(self, inner, ok):
        self.inner, self.ok = inner, ok

    def export(self, batch):
        result = self.inner.export(batch)
        if result != self.ok:
            FAILED.append(str(result))
        return result

    def shutdown(self, *a, **k):
        return self.inner.shutdown(*a, **k)

    def force_flush(self, *a, **k):
        return True


def tracer(endpoint: str, service: str):
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    exporter = Checked(OTLPSpanExporter(endpoint=endpoint + "/v1/traces", timeout=10), SpanExportResult.SUCCESS)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, provider.get_tracer("sampled_traces")


def logger(endpoint: str):
    provider = LoggerProvider(resource=Resource.create({"service.name": "order"}), shutdown_on_exit=False)
    exporter = Checked(OTLPLogExporter(endpoint=endpoint + "/v1/logs", timeout=10), LogRecordExportResult.SUCCESS)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    return provider, provider.get_logger("sampled_traces")


def send_traces(args) -> None:
    providers, tracers = zip(*(tracer(args.endpoint, s) for s in ("frontend", "order", "payment")))
    log_provider, log = logger(args.endpoint)
    frontend, order, payment = tracers
    manifest = {"traces": [], "untraced_logs": 5}
    for i in range(5):
        log.emit(body=f"no trace {i}")
    for i in range(args.traces):
        error = i % 3 == 0
        root = frontend.start_span(f"GET /checkout/{i}")
        root_ctx = trace.set_span_in_context(root)
        child = order.start_span("place order", context=root_ctx)
        child_ctx = trace.set_span_in_context(child)
        log.emit(body=f"order {i} placed", context=child_ctx)
        grandchild = payment.start_span("charge", context=child_ctx)
        if error:
            grandchild.set_status(Status(StatusCode.ERROR, "card declined"))
        grandchild.end()
        child.end()
        root.end()
        ctx = root.get_span_context()
        manifest["traces"].append({"trace_id": format(ctx.trace_id, "032x"), "root_span_id": format(ctx.span_id, "016x"), "error": error})
    for p in providers:
        p.shutdown()
    log_provider.shutdown()
    with open(args.out, "w") as f:
        json.dump(manifest, f)


def send_late(args) -> None:
    with open(args.manifest) as f:
        manifest = json.load(f)
    provider, payment = tracer(args.endpoint, "payment")
    log_provider, log = logger(args.endpoint)
    picks = [next(t for t in manifest["traces"] if t["error"]), next(t for t in manifest["traces"] if not t["error"])]
    for t in picks:
        parent = SpanContext(int(t["trace_id"], 16), int(t["root_span_id"], 16), is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED))
        ctx = trace.set_span_in_context(NonRecordingSpan(parent))
        span = payment.start_span("late refund", context=ctx)
        log.emit(body=f"late log {t['trace_id']}", context=trace.set_span_in_context(span))
        span.end()
    provider.shutdown()
    log_provider.shutdown()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("phase", choices=["traces", "late"])
    p.add_argument("--endpoint", required=True)
    p.add_argument("--out")
    p.add_argument("--manifest")
    p.add_argument("--traces", type=int, default=24)
    args = p.parse_args()
    send_traces(args) if args.phase == "traces" else send_late(args)
    if FAILED:
        print("failed exports:", FAILED, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
