#!/usr/bin/env python3
"""Checks the Swift OTLP/gRPC receiver with the official grpcio client.

  grpc_client_check.py PORT

Expects a receiver whose traces pipeline accepts, whose logs pipeline refuses (retryable, 2.5 s hint) and
whose metrics pipeline fails permanently. Prints one line per check and exits 1 if any failed.
"""
import sys

import grpc
from google.protobuf import duration_pb2  # noqa: F401  (registers Duration for RetryInfo)
from google.rpc import error_details_pb2, status_pb2
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2, logs_service_pb2_grpc
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.logs.v1 import logs_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

failures = 0


def check(name, ok, detail=""):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {name} {detail}")
    if not ok:
        failures += 1


def traces_request(n):
    spans = [trace_pb2.Span(trace_id=bytes(15) + bytes([1]), span_id=bytes(7) + bytes([i + 1]), name=f"py-{i}",
                            start_time_unix_nano=1, end_time_unix_nano=2) for i in range(n)]
    rs = trace_pb2.ResourceSpans(scope_spans=[trace_pb2.ScopeSpans(spans=spans)])
    rs.resource.attributes.append(common_pb2.KeyValue(key="service.name", value=common_pb2.AnyValue(string_value="py")))
    return trace_service_pb2.ExportTraceServiceRequest(resource_spans=[rs])


def main():
    port = int(sys.argv[1])
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    traces = trace_service_pb2_grpc.TraceServiceStub(channel)

    for compression in (grpc.Compression.NoCompression, grpc.Compression.Gzip):
        resp = traces.Export(traces_request(7), timeout=5, compression=compression, metadata=[("x-tenant", "py")])
        check(f"traces export ({compression.name})", not resp.HasField("partial_success"))

    try:
        logs_service_pb2_grpc.LogsServiceStub(channel).Export(logs_service_pb2.ExportLogsServiceRequest(
            resource_logs=[logs_pb2.ResourceLogs(scope_logs=[logs_pb2.ScopeLogs(log_records=[logs_pb2.LogRecord()])])]),
            timeout=5)
        check("logs refused", False, "call succeeded")
    except grpc.RpcError as e:
        check("logs refused -> UNAVAILABLE", e.code() == grpc.StatusCode.UNAVAILABLE, str(e.code()))
        details = dict(e.trailing_metadata() or ()).get("grpc-status-details-bin")
        delay = None
        if details:
            status = status_pb2.Status.FromString(details)
            for any_ in status.details:
                info = error_details_pb2.RetryInfo()
                if any_.Unpack(info):
                    delay = info.retry_delay.seconds + info.retry_delay.nanos / 1e9
        check("logs refused carries RetryInfo 2.5s", delay == 2.5, f"delay={delay}")

    try:
        metrics_service_pb2_grpc.MetricsServiceStub(channel).Export(metrics_service_pb2.ExportMetricsServiceRequest(), timeout=5)
        check("metrics permanent", False, "call succeeded")
    except grpc.RpcError as e:
        check("metrics permanent -> INVALID_ARGUMENT", e.code() == grpc.StatusCode.INVALID_ARGUMENT, str(e.code()))

    raw = channel.unary_unary("/opentelemetry.proto.collector.trace.v1.TraceService/Export",
                              request_serializer=lambda b: b, response_deserializer=lambda b: b)
    try:
        raw(b"\x0a\x64\x01\x02", timeout=5)
        check("garbage rejected", False, "call succeeded")
    except grpc.RpcError as e:
        check("garbage -> INVALID_ARGUMENT", e.code() == grpc.StatusCode.INVALID_ARGUMENT, f"{e.code()} {e.details()!r}")

    resp = traces.Export(traces_request(1), timeout=5)
    check("still serving after garbage", not resp.HasField("partial_success"))
    channel.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
