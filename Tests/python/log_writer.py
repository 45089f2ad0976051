"""A service-like process writing log lines with trace context, for the logs-path tests.

Usage: log_writer.py LOG_FILE  -> writes lines to LOG_FILE (appending) and prints, as one JSON
document on stdout, what each line should come out as: its message and the trace and span ids of the
span it was written in (None for a line whose ids are invalid).

Spans come from the OpenTelemetry Python SDK, so the ids are the SDK's own.
"""
import json
import sys

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider


def main():
    path = sys.argv[1]
    provider = TracerProvider()
    tracer = provider.get_tracer("log-writer")
    expected = []
    with open(path, "a", encoding="utf-8") as out:
        def ids():
            ctx = trace.get_current_span().get_span_context()
            return format(ctx.trace_id, "032x"), format(ctx.span_id, "016x")

        with tracer.start_as_current_span("checkout"):
            t, s = ids()
            out.write(json.dumps({"time": "2026-11-26T10:00:00.123Z", "level": "error", "msg": "payment failed",
                                  "trace_id": t, "span_id": s, "trace_flags": "01"}) + "\n")
            expected.append({"msg": "payment failed", "trace_id": t, "span_id": s})
        with tracer.start_as_current_span("cart"):
            t, s = ids()
            out.write('time=2026-11-26T10:00:01Z level=info msg="cart viewed" trace_id=%s span_id=%s\n' % (t, s))
            expected.append({"msg": "cart viewed", "trace_id": t, "span_id": s})
        with tracer.start_as_current_span("proxy"):
            t, s = ids()
            out.write("GET /pay 200 traceparent=00-%s-%s-01\n" % (t, s))
            expected.append({"msg": "GET /pay 200", "trace_id": t, "span_id": s})
        out.write(json.dumps({"time": "2026-11-26T10:00:02Z", "level": "warn", "msg": "bad ids",
                              "trace_id": "0" * 32, "span_id": "00f067aa0ba902b7"}) + "\n")
        expected.append({"msg": "bad ids", "trace_id": None, "span_id": None})
    print(json.dumps(expected), flush=True)


if __name__ == "__main__":
    main()
