#!/usr/bin/env python3
"""oracle.py — correctness oracle for otelsw's OTLP protobuf and OTLP/JSON codecs.

The official protobuf runtime (opentelemetry-proto + google.protobuf) is the reference.

  oracle.py gen --out DIR    write payloads DIR/NAME.pb, DIR/NAME.json (OTLP/JSON: lowerCamelCase keys,
                             hex trace/span ids, enums as integers, 64-bit ints as strings) and, for some,
                             NAME.snake.json / NAME.unknown.json variants, plus DIR/manifest.json:
                             [{"name", "signal", "input", "format": "pb"|"json", "expected": "NAME.pb"}].
                             Deterministic (fixed seed, fixed timestamps).
  oracle.py check DIR        for every manifest entry read DIR/<input>.ours.pb and DIR/<input>.ours.json
                             (written by the codec under test), parse both with the official runtime and
                             compare them field by field with <expected> parsed with unknown fields
                             discarded. ours.json is also validated as OTLP/JSON. Prints one line per
                             difference and `oracle: N payloads, M mismatches` (M = ours-files that differ
                             or are missing/invalid). Exit 0 when M == 0, else 1.
  oracle.py selftest DIR     gen into DIR, write .ours files with the official runtime, corrupt some on
                             purpose and verify that `check` reports exactly those corruptions.

Payloads: {traces,metrics,logs}_full (every message and field kind), traces_large (500 spans, 70 kB
string), traces_envelopes (empty ResourceSpans/ScopeSpans), *_empty (0-byte .pb, `{}`),
*_unknown_fields (unknown fields of wire types 0/1/2/5 before/after the known ones in every message;
plus NAME.unknown.json with unknown JSON keys everywhere), traces_unknown_groups (wire types 3/4),
*_noncanonical (fields in descending order, repeated fields in two runs, sub-messages in two parts to
merge, decoy values that a later occurrence must override — also across oneof members —, unpacked and
twice-packed repeated scalars, overlong varints). The profiles-only AnyValue.string_value_strindex and
KeyValue.key_strindex are never used.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import json
import math
import os
import random
import re
import struct
import sys

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor as FD
from google.protobuf.unknown_fields import UnknownFieldSet
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

SIGNALS = {
    "traces": trace_service_pb2.ExportTraceServiceRequest,
    "metrics": metrics_service_pb2.ExportMetricsServiceRequest,
    "logs": logs_service_pb2.ExportLogsServiceRequest,
}

# bytes fields that OTLP/JSON writes as hex instead of base64 (cheat-sheet §5.1).
ID_FIELDS = {
    ("opentelemetry.proto.trace.v1.Span", "trace_id"),
    ("opentelemetry.proto.trace.v1.Span", "span_id"),
    ("opentelemetry.proto.trace.v1.Span", "parent_span_id"),
    ("opentelemetry.proto.trace.v1.Span.Link", "trace_id"),
    ("opentelemetry.proto.trace.v1.Span.Link", "span_id"),
    ("opentelemetry.proto.logs.v1.LogRecord", "trace_id"),
    ("opentelemetry.proto.logs.v1.LogRecord", "span_id"),
    ("opentelemetry.proto.metrics.v1.Exemplar", "trace_id"),
    ("opentelemetry.proto.metrics.v1.Exemplar", "span_id"),
}
INT64_TYPES = {FD.TYPE_INT64, FD.TYPE_UINT64, FD.TYPE_FIXED64, FD.TYPE_SFIXED64, FD.TYPE_SINT64}
INT32_TYPES = {FD.TYPE_INT32, FD.TYPE_UINT32, FD.TYPE_FIXED32, FD.TYPE_SFIXED32, FD.TYPE_SINT32}
FLOAT_TYPES = {FD.TYPE_DOUBLE, FD.TYPE_FLOAT}
INT_RANGES = {
    FD.TYPE_INT64: (-(2**63), 2**63 - 1), FD.TYPE_SINT64: (-(2**63), 2**63 - 1),
    FD.TYPE_SFIXED64: (-(2**63), 2**63 - 1), FD.TYPE_UINT64: (0, 2**64 - 1),
    FD.TYPE_FIXED64: (0, 2**64 - 1), FD.TYPE_INT32: (-(2**31), 2**31 - 1),
    FD.TYPE_SINT32: (-(2**31), 2**31 - 1), FD.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    FD.TYPE_UINT32: (0, 2**32 - 1), FD.TYPE_FIXED32: (0, 2**32 - 1), FD.TYPE_ENUM: (-(2**31), 2**31 - 1),
}
SEED = 0x07E15E
T0 = 1_700_000_000_123_456_789  # base timestamp (ns); never the wall clock
U64_MAX = 2**64 - 1


def is_id_field(f) -> bool:
    return (f.containing_type.full_name, f.name) in ID_FIELDS


def real_oneof(f):
    """The field's oneof unless it is the synthetic oneof of a proto3 `optional` field."""
    o = f.containing_oneof
    if o is None or (len(o.fields) == 1 and o.name == "_" + f.name):
        return None
    return o


# --------------------------------------------------------------------------------------------------
# Payload construction helpers
# --------------------------------------------------------------------------------------------------

class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


EMPTY = _Marker("EMPTY")  # AnyValue message present with no oneof member set
UNSET = _Marker("UNSET")  # KeyValue.value / LogRecord.body field absent


def av(v) -> common_pb2.AnyValue:
    a = common_pb2.AnyValue()
    if v is EMPTY:
        pass
    elif isinstance(v, bool):
        a.bool_value = v
    elif isinstance(v, int):
        a.int_value = v
    elif isinstance(v, float):
        a.double_value = v
    elif isinstance(v, str):
        a.string_value = v
    elif isinstance(v, bytes):
        a.bytes_value = v
    elif isinstance(v, list):
        a.array_value.SetInParent()
        a.array_value.values.extend(av(x) for x in v)
    elif isinstance(v, dict):
        a.kvlist_value.SetInParent()
        a.kvlist_value.values.extend(kvs(v))
    else:
        raise TypeError(f"no AnyValue for {v!r}")
    return a


def kv(key: str, v) -> common_pb2.KeyValue:
    k = common_pb2.KeyValue(key=key)
    if v is not UNSET:
        k.value.CopyFrom(av(v))
    return k


def kvs(d: dict) -> list:
    return [kv(k, v) for k, v in d.items()]


NAN, INF = float("nan"), float("inf")

# Every AnyValue kind and the awkward corners of each.
ALL_KINDS = {
    "str": "hello",
    "str.empty": "",
    "str.unicode": "h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e \U0001F600",
    "str.escapes": "quote\" backslash\\ slash/ nl\n cr\r tab\t ctl\x01\x1f del\x7f ls\u2028 nul\x00 end",
    "bool.true": True,
    "bool.false": False,
    "int.zero": 0,
    "int.one": 1,
    "int.neg": -1,
    "int.max": 2**63 - 1,
    "int.min": -(2**63),
    "int.2p53+1": 2**53 + 1,
    "int.neg.big": -1234567890123456789,
    "double.zero": 0.0,
    "double.negzero": -0.0,
    "double.pi": math.pi,
    "double.neg": -2.5,
    "double.nan": NAN,
    "double.inf": INF,
    "double.-inf": -INF,
    "double.max": 1.7976931348623157e308,
    "double.subnormal": 5e-324,
    "double.tiny": 1e-300,
    "double.integral": 42.0,
    "double.big": 1e21,
    "bytes": b"\x00\x01\x02\xfe\xff binary \x80",
    "bytes.empty": b"",
    "bytes.b64pad1": b"ab",
    "bytes.b64pad2": b"abcd",
    "array.str": ["a", "b", "c"],
    "array.int": [1, -2, 2**63 - 1],
    "array.mixed": ["s", 1, 2.5, True, b"\x01\x02", EMPTY, [1, [2, [3, []]]], {"k": "v", "n": {}}],
    "array.empty": [],
    "array.nested.empty": [[], [[]], {}],
    "kvlist": {"a": 1, "b": {"c": [True, {"d": NAN}], "e": EMPTY}, "f": UNSET, "": "empty key"},
    "kvlist.empty": {},
    "empty": EMPTY,
    "unset": UNSET,
    "": "empty key",
}


def nan_attr_index() -> int:
    return list(ALL_KINDS).index("double.nan")


def make_resource(rng: random.Random, service: str, full: bool) -> resource_pb2.Resource:
    r = resource_pb2.Resource()
    attrs = {"service.name": service, "service.version": "1.2.3", "host.name": f"host-{rng.randrange(100)}"}
    if full:
        attrs.update({"res." + k: v for k, v in ALL_KINDS.items()})
        r.dropped_attributes_count = 3
        r.entity_refs.add(schema_url="https://opentelemetry.io/schemas/1.30.0", type="service",
                          id_keys=["service.name", "service.namespace"], description_keys=["service.version"])
        r.entity_refs.add(type="host", id_keys=["host.name"])
        r.entity_refs.add()  # completely empty EntityRef
    r.attributes.extend(kvs(attrs))
    return r


def make_scope(name: str, full: bool) -> common_pb2.InstrumentationScope:
    s = common_pb2.InstrumentationScope(name=name)
    if full:
        s.version = "0.9.1-beta+build.7"
        s.attributes.extend(kvs({"scope.attr": "x", "scope.int": 7, "scope.arr": [1.5, "y"]}))
        s.dropped_attributes_count = 2
    return s


def rand_id(rng: random.Random, n: int) -> bytes:
    while True:
        b = rng.randbytes(n)
        if any(b):
            return b


def rand_attrs(rng: random.Random, n: int) -> dict:
    out = {}
    for i in range(n):
        kind = rng.randrange(7)
        key = f"attr.{i}.{kind}"
        if kind == 0:
            out[key] = "v" * rng.randrange(0, 20)
        elif kind == 1:
            out[key] = rng.randrange(-(2**63), 2**63)
        elif kind == 2:
            out[key] = rng.uniform(-1e6, 1e6)
        elif kind == 3:
            out[key] = rng.random() < 0.5
        elif kind == 4:
            out[key] = rng.randbytes(rng.randrange(0, 12))
        elif kind == 5:
            out[key] = [rng.randrange(1000) for _ in range(rng.randrange(0, 4))]
        else:
            out[key] = {"inner": rng.randrange(10), "s": "t"}
    return out


def rand_span(rng: random.Random, trace_id: bytes, parent: bytes, i: int) -> trace_pb2.Span:
    start = T0 + i * 1_000_003
    sp = trace_pb2.Span(trace_id=trace_id, span_id=rand_id(rng, 8), parent_span_id=parent,
                        name=f"op-{i}", kind=rng.randrange(6), start_time_unix_nano=start,
                        end_time_unix_nano=start + rng.randrange(1, 10**9), flags=0x100 | rng.randrange(2))
    sp.attributes.extend(kvs(rand_attrs(rng, rng.randrange(0, 6))))
    for e in range(rng.randrange(0, 3)):
        ev = sp.events.add(time_unix_nano=start + e, name=f"event-{e}")
        ev.attributes.extend(kvs(rand_attrs(rng, rng.randrange(0, 3))))
    if rng.random() < 0.3:
        sp.links.add(trace_id=rand_id(rng, 16), span_id=rand_id(rng, 8), flags=0x301)
    r = rng.randrange(4)
    if r == 1:
        sp.status.code = trace_pb2.Status.STATUS_CODE_OK
    elif r == 2:
        sp.status.code = trace_pb2.Status.STATUS_CODE_ERROR
        sp.status.message = f"failure {i}"
    return sp


# --------------------------------------------------------------------------------------------------
# Payloads
# --------------------------------------------------------------------------------------------------

def build_traces_full(rng: random.Random) -> trace_service_pb2.ExportTraceServiceRequest:
    req = trace_service_pb2.ExportTraceServiceRequest()
    tid = bytes.fromhex("5b8efff798038103d269b633813fc60c")
    rs = req.resource_spans.add(schema_url="https://opentelemetry.io/schemas/1.30.0")
    rs.resource.CopyFrom(make_resource(rng, "traces-full", full=True))

    ss = rs.scope_spans.add(schema_url="https://example.com/scope-schema/2")
    ss.scope.CopyFrom(make_scope("io.otelsw.oracle", full=True))
    # spans[0]: every field set.
    sp = ss.spans.add(trace_id=tid, span_id=bytes.fromhex("eee19b7ec3c1b174"),
                      trace_state="rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
                      parent_span_id=bytes.fromhex("eee19b7ec3c1b173"), flags=0x301, name="GET /cart",
                      kind=trace_pb2.Span.SPAN_KIND_SERVER, start_time_unix_nano=T0,
                      end_time_unix_nano=T0 + 1_000_000_000, dropped_attributes_count=4,
                      dropped_events_count=5, dropped_links_count=6)
    sp.attributes.extend(kvs(ALL_KINDS))
    ev = sp.events.add(time_unix_nano=T0 + 10, name="exception", dropped_attributes_count=1)
    ev.attributes.extend(kvs({"exception.type": "ValueError", "exception.message": "bad \"value\"",
                              "n": 3, "d": -0.5, "nested": {"x": [1, 2]}}))
    sp.events.add(time_unix_nano=T0 + 20, name="minimal")
    sp.events.add()  # all-default event
    lk = sp.links.add(trace_id=bytes.fromhex("0af7651916cd43dd8448eb211c80319c"),
                      span_id=bytes.fromhex("b7ad6b7169203331"), trace_state="k=v",
                      dropped_attributes_count=2, flags=0x101)
    lk.attributes.extend(kvs({"link.kind": "follows", "link.n": -7, "link.b": b"\x00"}))
    sp.links.add(trace_id=bytes.fromhex("00000000000000000000000000000001"),
                 span_id=bytes.fromhex("0000000000000001"))
    sp.status.code = trace_pb2.Status.STATUS_CODE_ERROR
    sp.status.message = "boom \u2639"
    # spans[1..6]: each SpanKind value 0..5 and one unknown enum value (open enum).
    for k in (0, 1, 2, 3, 4, 5, 9):
        s = ss.spans.add(trace_id=tid, span_id=rand_id(rng, 8), parent_span_id=sp.span_id,
                         name=f"kind-{k}", kind=k, start_time_unix_nano=T0 + k, end_time_unix_nano=T0 + 2 * k + 1)
        s.attributes.extend(kvs({"k": k}))
    # status variants: code only, message only, present-but-empty, absent (the spans above).
    s = ss.spans.add(trace_id=tid, span_id=rand_id(rng, 8), name="status-ok")
    s.status.code = trace_pb2.Status.STATUS_CODE_OK
    s = ss.spans.add(trace_id=tid, span_id=rand_id(rng, 8), name="status-message-only")
    s.status.message = "unset code, has message"
    s = ss.spans.add(trace_id=tid, span_id=rand_id(rng, 8), name="status-empty")
    s.status.SetInParent()
    # extreme numbers and id shapes
    ss.spans.add(trace_id=bytes.fromhex("ffffffffffffffffffffffffffffffff"),
                 span_id=bytes.fromhex("ffffffffffffffff"), name="max",
                 start_time_unix_nano=U64_MAX - 1, end_time_unix_nano=U64_MAX, flags=0xFFFFFFFF,
                 dropped_attributes_count=2**32 - 1, dropped_events_count=2**32 - 1,
                 dropped_links_count=2**32 - 1)
    ss.spans.add(trace_id=bytes.fromhex("0000000000000000000000000000abcd"),
                 span_id=bytes.fromhex("00000000000000ef"), name="", start_time_unix_nano=0,
                 end_time_unix_nano=1)  # no name, no times: the codec must not invent anything
    ss.spans.add()  # entirely default span (invalid telemetry, but a codec must round-trip it)

    # scope absent, scope schema absent, random spans in two traces
    ss2 = rs.scope_spans.add()
    for t in range(2):
        trace = rand_id(rng, 16)
        root = rand_span(rng, trace, b"", 100 * t)
        ss2.spans.append(root)
        for i in range(1, 6):
            ss2.spans.append(rand_span(rng, trace, root.span_id, 100 * t + i))
    # scope present but empty
    ss3 = rs.scope_spans.add()
    ss3.scope.SetInParent()
    ss3.spans.append(rand_span(rng, rand_id(rng, 16), b"", 300))

    # resource absent
    rs2 = req.resource_spans.add(schema_url="https://opentelemetry.io/schemas/1.4.0")
    ss = rs2.scope_spans.add()
    ss.scope.CopyFrom(make_scope("second", full=False))
    ss.spans.append(rand_span(rng, rand_id(rng, 16), b"", 400))
    # resource present but empty
    rs3 = req.resource_spans.add()
    rs3.resource.SetInParent()
    rs3.scope_spans.add().spans.append(rand_span(rng, rand_id(rng, 16), rand_id(rng, 8), 500))
    return req


def build_traces_large(rng: random.Random) -> trace_service_pb2.ExportTraceServiceRequest:
    req = trace_service_pb2.ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    rs.resource.CopyFrom(make_resource(rng, "traces-large", full=False))
    ss = rs.scope_spans.add()
    ss.scope.CopyFrom(make_scope("bulk", full=False))
    trace = rand_id(rng, 16)
    for i in range(500):
        if i % 50 == 0:
            trace = rand_id(rng, 16)
        ss.spans.append(rand_span(rng, trace, b"", i))
    ss.spans[0].attributes.append(kv("big", "x" * 70_000))  # 3-byte length prefixes
    return req


def build_traces_envelopes(rng: random.Random) -> trace_service_pb2.ExportTraceServiceRequest:
    """Empty envelopes: receivers MAY drop them, but a codec must keep them."""
    req = trace_service_pb2.ExportTraceServiceRequest()
    req.resource_spans.add()  # empty ResourceSpans
    rs = req.resource_spans.add()
    rs.resource.CopyFrom(make_resource(rng, "envelopes", full=False))
    rs.scope_spans.add()  # empty ScopeSpans
    ss = rs.scope_spans.add()
    ss.scope.CopyFrom(make_scope("empty-scope-spans", full=False))
    return req


def exemplars(rng: random.Random, dp, which: str):
    e = dp.exemplars.add(time_unix_nano=T0 + 5, trace_id=rand_id(rng, 16), span_id=rand_id(rng, 8))
    if which == "int":
        e.as_int = -(2**63)
    else:
        e.as_double = 0.25
    e.filtered_attributes.extend(kvs({"filtered": "yes", "n": 2}))
    e2 = dp.exemplars.add(time_unix_nano=T0 + 6)  # no ids
    e2.as_double = NAN
    e3 = dp.exemplars.add()  # no value set at all
    e3.span_id = rand_id(rng, 8)


def build_metrics_full(rng: random.Random) -> metrics_service_pb2.ExportMetricsServiceRequest:
    req = metrics_service_pb2.ExportMetricsServiceRequest()
    rm = req.resource_metrics.add(schema_url="https://opentelemetry.io/schemas/1.30.0")
    rm.resource.CopyFrom(make_resource(rng, "metrics-full", full=True))
    sm = rm.scope_metrics.add(schema_url="https://example.com/scope-schema/3")
    sm.scope.CopyFrom(make_scope("io.otelsw.metrics", full=True))
    A = {"host": "a", "cpu": 0}
    B = {"host": "b", "cpu": 1, "ratio": 0.5, "ok": True}

    # gauge: double, int, no value + NO_RECORDED_VALUE flag, exemplars
    m = sm.metrics.add(name="system.cpu.utilization", description="CPU \u00b5tilization", unit="1")
    g = m.gauge
    dp = g.data_points.add(time_unix_nano=T0, as_double=0.75)
    dp.attributes.extend(kvs(A))
    exemplars(rng, dp, "double")
    dp = g.data_points.add(start_time_unix_nano=T0 - 10, time_unix_nano=T0, as_int=-(2**63))
    dp.attributes.extend(kvs(B))
    g.data_points.add(time_unix_nano=T0 + 1, as_int=2**63 - 1)
    g.data_points.add(time_unix_nano=T0 + 2, as_double=NAN)
    g.data_points.add(time_unix_nano=T0 + 3, as_double=-INF)
    g.data_points.add(time_unix_nano=T0 + 4, as_int=0)       # value present, zero
    g.data_points.add(time_unix_nano=T0 + 5, as_double=-0.0)  # value present, negative zero
    g.data_points.add(time_unix_nano=T0 + 6, flags=1)         # no value, no recorded value
    m.metadata.extend(kvs({"prometheus.type": "gauge", "meta.n": 1}))

    # sums: cumulative monotonic int, delta non-monotonic double, unspecified temporality
    m = sm.metrics.add(name="http.server.requests", description="count", unit="{request}")
    m.sum.aggregation_temporality = metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
    m.sum.is_monotonic = True
    for i, attrs in enumerate((A, B)):
        dp = m.sum.data_points.add(start_time_unix_nano=T0 - 60_000_000_000, time_unix_nano=T0, as_int=1000 + i)
        dp.attributes.extend(kvs(attrs))
    exemplars(rng, m.sum.data_points[0], "int")
    m.sum.data_points.add(start_time_unix_nano=T0, time_unix_nano=T0 + 1, flags=1)
    m = sm.metrics.add(name="queue.delta", unit="By")
    m.sum.aggregation_temporality = metrics_pb2.AGGREGATION_TEMPORALITY_DELTA
    dp = m.sum.data_points.add(start_time_unix_nano=T0 - 1, time_unix_nano=T0, as_double=-12.5)
    dp.attributes.extend(kvs({"queue": "q1"}))
    m = sm.metrics.add(name="sum.unspecified")
    m.sum.data_points.add(time_unix_nano=T0, as_double=1.0)

    # histograms
    m = sm.metrics.add(name="http.server.duration", unit="ms")
    h = m.histogram
    h.aggregation_temporality = metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
    dp = h.data_points.add(start_time_unix_nano=T0 - 100, time_unix_nano=T0, count=10, sum=123.5,
                           min=0.5, max=99.0, bucket_counts=[1, 2, 3, 4], explicit_bounds=[-1.5, 0.0, 10.0])
    dp.attributes.extend(kvs(A))
    exemplars(rng, dp, "double")
    dp = h.data_points.add(time_unix_nano=T0, count=U64_MAX, bucket_counts=[U64_MAX, 0],
                           explicit_bounds=[1e-300])  # sum/min/max unset
    dp = h.data_points.add(time_unix_nano=T0, count=0, sum=0.0, min=-0.0, max=0.0)  # set to zeros
    dp = h.data_points.add(time_unix_nano=T0, count=3, sum=-1.0)  # count/sum only, no buckets
    h.data_points.add(time_unix_nano=T0 + 1, flags=1)
    m = sm.metrics.add(name="histogram.delta")
    m.histogram.aggregation_temporality = metrics_pb2.AGGREGATION_TEMPORALITY_DELTA
    m.histogram.data_points.add(time_unix_nano=T0, count=2, bucket_counts=[0, 0, 2],
                                explicit_bounds=[1.0, 1.7976931348623157e308], max=NAN)

    # exponential histograms
    m = sm.metrics.add(name="latency.exp", description="exponential", unit="s")
    e = m.exponential_histogram
    e.aggregation_temporality = metrics_pb2.AGGREGATION_TEMPORALITY_DELTA
    dp = e.data_points.add(start_time_unix_nano=T0 - 5, time_unix_nano=T0, count=21, sum=55.5, scale=-3,
                           zero_count=2, zero_threshold=1e-9, min=-4.0, max=1000.0, flags=0)
    dp.positive.offset = 3
    dp.positive.bucket_counts.extend([1, 0, 5, 2**40])
    dp.negative.offset = -5
    dp.negative.bucket_counts.extend([3, 4])
    dp.attributes.extend(kvs(B))
    exemplars(rng, dp, "int")
    dp = e.data_points.add(time_unix_nano=T0, count=4, scale=5, zero_count=1)  # positive unset
    dp.negative.offset = -(2**31)
    dp.negative.bucket_counts.extend([1, 2])
    dp = e.data_points.add(time_unix_nano=T0, count=0, scale=0)  # buckets present but empty
    dp.positive.SetInParent()
    dp.negative.SetInParent()
    dp = e.data_points.add(time_unix_nano=T0, count=7, scale=20, sum=-3.0)
    dp.positive.offset = 2**31 - 1
    dp.positive.bucket_counts.append(7)
    e.data_points.add(time_unix_nano=T0 + 1, scale=-10, flags=1, zero_threshold=0.0)

    # summary
    m = sm.metrics.add(name="rpc.summary", unit="ms")
    dp = m.summary.data_points.add(start_time_unix_nano=T0 - 7, time_unix_nano=T0, count=100, sum=4242.25)
    dp.attributes.extend(kvs(A))
    for q, v in ((0.0, 0.1), (0.5, 12.0), (0.99, 250.75), (1.0, INF)):
        dp.quantile_values.add(quantile=q, value=v)
    dp.quantile_values.add()  # all-default quantile entry
    m.summary.data_points.add(time_unix_nano=T0, count=0, flags=1)

    # metric without data, metric with only metadata
    sm.metrics.add(name="no.data", description="neither gauge nor sum", unit="1")
    m = sm.metrics.add(name="meta.only")
    m.metadata.extend(kvs({"k": EMPTY}))

    # second resource: absent resource, random gauges
    rm2 = req.resource_metrics.add()
    sm2 = rm2.scope_metrics.add()
    for i in range(5):
        m = sm2.metrics.add(name=f"random.{i}")
        for j in range(3):
            dp = m.gauge.data_points.add(time_unix_nano=T0 + j, as_double=rng.uniform(-1e9, 1e9))
            dp.attributes.extend(kvs(rand_attrs(rng, 2)))
    return req


def build_logs_full(rng: random.Random) -> logs_service_pb2.ExportLogsServiceRequest:
    req = logs_service_pb2.ExportLogsServiceRequest()
    rl = req.resource_logs.add(schema_url="https://opentelemetry.io/schemas/1.30.0")
    rl.resource.CopyFrom(make_resource(rng, "logs-full", full=True))
    sl = rl.scope_logs.add(schema_url="https://example.com/scope-schema/4")
    sl.scope.CopyFrom(make_scope("io.otelsw.logs", full=True))
    # one record with every field
    lr = sl.log_records.add(time_unix_nano=T0, observed_time_unix_nano=T0 + 1, severity_number=17,
                            severity_text="ERROR", dropped_attributes_count=9, flags=1,
                            trace_id=bytes.fromhex("5b8efff798038103d269b633813fc60c"),
                            span_id=bytes.fromhex("eee19b7ec3c1b174"), event_name="app.checkout.failed")
    lr.body.CopyFrom(av("payment declined: \"card\" \u2717"))
    lr.attributes.extend(kvs(ALL_KINDS))
    # body of every AnyValue kind, plus absent body
    bodies = ["plain", True, False, 0, -(2**63), 2**63 - 1, 1.5, NAN, -INF, b"\x00\xffbody", b"",
              ["a", 1, [2.5, {"k": EMPTY}]], [], {"msg": "structured", "n": {"m": [1, 2]}}, {}, EMPTY, UNSET]
    for i, b in enumerate(bodies):
        lr = sl.log_records.add(time_unix_nano=T0 + 10 + i, severity_number=i % 25,
                                severity_text=["", "TRACE", "INFO", "WARN"][i % 4])
        if b is not UNSET:
            lr.body.CopyFrom(av(b))
    for sev in range(25):  # all severities
        sl.log_records.add(observed_time_unix_nano=T0 + sev, severity_number=sev)
    sl.log_records.add(severity_number=42)  # unknown enum value
    sl.log_records.add(flags=0xFF, trace_id=rand_id(rng, 16), span_id=rand_id(rng, 8))
    sl.log_records.add(observed_time_unix_nano=U64_MAX, dropped_attributes_count=2**32 - 1)
    sl.log_records.add()  # entirely default record
    # scope absent, resource absent
    rl2 = req.resource_logs.add()
    sl2 = rl2.scope_logs.add()
    for i in range(10):
        lr = sl2.log_records.add(time_unix_nano=T0 + i, severity_number=9, severity_text="INFO",
                                 trace_id=rand_id(rng, 16), span_id=rand_id(rng, 8))
        lr.body.string_value = f"line {i}"
        lr.attributes.extend(kvs(rand_attrs(rng, 3)))
    return req


# --------------------------------------------------------------------------------------------------
# Hand-made wire encoder (for unknown fields and non-canonical but valid encodings)
# --------------------------------------------------------------------------------------------------

def varint(n: int, pad: int = 0) -> bytes:
    n &= U64_MAX
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            break
    # overlong form: same value with redundant continuation bytes (at most 10 bytes in all)
    pad = min(pad, 10 - len(out))
    if pad > 0:
        out[-1] |= 0x80
        out.extend([0x80] * (pad - 1) + [0x00])
    return bytes(out)


def tag(num: int, wt: int) -> bytes:
    return varint((num << 3) | wt)


def zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 63)


def scalar_payload(f, v, pad: int = 0) -> tuple[int, bytes]:
    """(wire type, encoded value) for one scalar value of field f."""
    t = f.type
    if t == FD.TYPE_DOUBLE:
        return 1, struct.pack("<d", v)
    if t == FD.TYPE_FLOAT:
        return 5, struct.pack("<f", v)
    if t in (FD.TYPE_INT64, FD.TYPE_INT32, FD.TYPE_UINT64, FD.TYPE_UINT32, FD.TYPE_ENUM, FD.TYPE_BOOL):
        return 0, varint(int(v), pad)
    if t in (FD.TYPE_SINT32, FD.TYPE_SINT64):
        return 0, varint(zigzag(v), pad)
    if t == FD.TYPE_FIXED64:
        return 1, struct.pack("<Q", v)
    if t == FD.TYPE_SFIXED64:
        return 1, struct.pack("<q", v)
    if t == FD.TYPE_FIXED32:
        return 5, struct.pack("<I", v)
    if t == FD.TYPE_SFIXED32:
        return 5, struct.pack("<i", v)
    if t == FD.TYPE_STRING:
        return 2, v.encode("utf-8")
    if t == FD.TYPE_BYTES:
        return 2, bytes(v)
    raise TypeError(f"unsupported type {t} for {f.full_name}")


def is_default(f, v) -> bool:
    if f.type in FLOAT_TYPES:
        return struct.pack("<d", v) == b"\0" * 8
    return v == f.default_value if f.type != FD.TYPE_BYTES else v == b""


# Unknown fields of every wire type, using numbers no OTLP message defines.
UNKNOWN_SAMPLES = [
    tag(100, 0) + varint(150),
    tag(101, 0) + varint(U64_MAX),                       # 10-byte varint
    tag(102, 1) + struct.pack("<d", 2.5),
    tag(103, 2) + varint(5) + b"hello",
    tag(104, 5) + struct.pack("<I", 0xDEADBEEF),
    tag(2047, 2) + varint(0),                            # empty LEN
    tag(536870911, 2) + varint(5) + tag(1, 0) + varint(1) + tag(2, 2) + varint(1) + b"x",  # max field no.
    tag(105, 2) + varint(12) + bytes(range(12)),
]
UNKNOWN_GROUP = (tag(106, 3) + tag(1, 0) + varint(7) + tag(2, 2) + varint(2) + b"gr"
                 + tag(3, 3) + tag(1, 5) + b"\x01\x02\x03\x04" + tag(3, 4) + tag(106, 4))


class WireEncoder:
    """Serialises a message field by field from its descriptor.

    The default settings reproduce SerializeToString() byte for byte (checked in gen). Options make
    valid variations: unknown fields injected before/after the known ones, fields in descending
    number order, repeated scalars unpacked or packed in two records, overlong varints, and `split`:
    every message is written as two concatenated partial encodings, so repeated fields arrive in two
    runs, sub-messages arrive in two parts that must be merged, and singular scalars / oneof members
    are first written with a decoy value that the real one (written later) must override.
    """

    def __init__(self, inject=None, descending=False, packing=None, overlong=False, split=False, seed=SEED):
        self.inject = inject  # callable(msg, depth) -> (prefix bytes, suffix bytes)
        self.descending = descending
        self.packing = packing  # callable(field) -> "packed" | "unpacked" | "split"
        self.overlong = overlong
        self.split = split
        self.rng = random.Random(seed)

    def pad(self) -> int:
        return self.rng.choice((0, 1, 3)) if self.overlong else 0

    def encode(self, msg, depth: int = 0) -> bytes:
        if self.split and msg.ListFields():
            first, second = split_message(msg)
            body = self.fields(first, depth) + self.fields(second, depth)
        else:
            body = self.fields(msg, depth)
        if self.inject:
            pre, post = self.inject(msg, depth)
            body = pre + body + post
        return body

    def length_delimited(self, num: int, payload: bytes) -> bytes:
        return tag(num, 2) + varint(len(payload), self.pad()) + payload

    def fields(self, msg, depth: int) -> bytes:
        out = bytearray()
        fields = sorted(msg.DESCRIPTOR.fields, key=lambda f: f.number, reverse=self.descending)
        for f in fields:
            if f.is_repeated:
                values = list(getattr(msg, f.name))
                if not values:
                    continue
                if f.type == FD.TYPE_MESSAGE:
                    for v in values:
                        out += self.length_delimited(f.number, self.encode(v, depth + 1))
                elif f.type in (FD.TYPE_STRING, FD.TYPE_BYTES):
                    for v in values:
                        out += self.length_delimited(f.number, scalar_payload(f, v)[1])
                else:
                    mode = self.packing(f) if self.packing else "packed"
                    if mode == "unpacked":
                        for v in values:
                            wt, p = scalar_payload(f, v, self.pad())
                            out += tag(f.number, wt) + p
                    else:
                        runs = [values] if mode == "packed" or len(values) < 2 else \
                            [values[: len(values) // 2], values[len(values) // 2:]]
                        for run in runs:
                            out += self.length_delimited(
                                f.number, b"".join(scalar_payload(f, v, self.pad())[1] for v in run))
                continue
            if f.has_presence:
                if not msg.HasField(f.name):
                    continue
            elif is_default(f, getattr(msg, f.name)):
                continue
            v = getattr(msg, f.name)
            if f.type == FD.TYPE_MESSAGE:
                out += self.length_delimited(f.number, self.encode(v, depth + 1))
            else:
                wt, p = scalar_payload(f, v, self.pad())
                out += (self.length_delimited(f.number, p) if wt == 2 else tag(f.number, wt) + p)
        return bytes(out)


def decoy_for(f, v):
    """A value of f's type, different from v, that is written on the wire (None if there is none)."""
    t = f.type
    if t == FD.TYPE_BOOL:
        return (not v) if f.has_presence else None  # False is not written for implicit presence
    if t in FLOAT_TYPES:
        return 12345.5 if v != 12345.5 else 54321.5
    if t == FD.TYPE_STRING:
        return "decoy" if v != "decoy" else "decoy2"
    if t == FD.TYPE_BYTES:
        return bytes(x ^ 0xFF for x in v) if v else b"\x01"  # same length: ids stay well-formed
    lo, hi = INT_RANGES[t]
    d = v + 1 if v < hi else v - 1
    return d if d != 0 else d + 1


def split_message(msg):
    """Two partial copies of msg whose concatenated encodings parse back to msg."""
    first, second = type(msg)(), type(msg)()
    set_fields = msg.ListFields()
    for f, v in set_fields:
        if f.is_repeated:
            half = len(v) // 2
            getattr(first, f.name).extend(v[:half])
            getattr(second, f.name).extend(v[half:])
        elif f.type == FD.TYPE_MESSAGE:
            sub = v.ListFields()
            a, b = getattr(first, f.name), getattr(second, f.name)
            a.SetInParent()
            b.SetInParent()
            for g, w in sub[: len(sub) // 2]:
                _set(a, g, w)
            for g, w in sub[len(sub) // 2:]:
                _set(b, g, w)
        else:
            o = real_oneof(f)
            if o is not None:
                # the decoy goes into ANOTHER member of the same oneof: the later member must win
                others = [g for g in o.fields if g is not f and g.type != FD.TYPE_MESSAGE
                          and g.name != "string_value_strindex"]
                if others:
                    g = others[0]
                    setattr(first, g.name, decoy_for(g, g.default_value))
            else:
                d = decoy_for(f, v)
                if d is not None:
                    setattr(first, f.name, d)
            setattr(second, f.name, v)
    return first, second


def _set(msg, f, v):
    if f.is_repeated:
        getattr(msg, f.name).extend(v)
    elif f.type == FD.TYPE_MESSAGE:
        getattr(msg, f.name).CopyFrom(v)
    else:
        setattr(msg, f.name, v)


def unknown_injector():
    counter = [0]

    def inject(msg, depth):
        counter[0] += 1
        n = counter[0]
        pre = UNKNOWN_SAMPLES[n % len(UNKNOWN_SAMPLES)] if n % 3 == 0 else b""
        post = UNKNOWN_SAMPLES[(n + 3) % len(UNKNOWN_SAMPLES)] + UNKNOWN_SAMPLES[(n + 5) % len(UNKNOWN_SAMPLES)]
        return pre, post
    return inject


def group_injector(msg, depth):
    # wire types 3/4 (deprecated groups), at the top level and inside spans and AnyValues
    name = msg.DESCRIPTOR.name
    if depth == 0 or name in ("Span", "AnyValue"):
        return UNKNOWN_GROUP, UNKNOWN_GROUP
    return b"", b""


# --------------------------------------------------------------------------------------------------
# OTLP/JSON encoding, decoding and validation
# --------------------------------------------------------------------------------------------------

def _walk_fields(obj: dict, desc):
    """Yield (key, field-or-None, value) for a JSON object of message type desc."""
    by_key = {}
    for f in desc.fields:
        by_key[f.json_name] = f
        by_key[f.name] = f
    for k, v in obj.items():
        yield k, by_key.get(k), v


def to_otlp_json(msg, snake: bool = False, upper_ids: bool = False, int64_numbers: bool = False) -> dict:
    """OTLP/JSON dict for msg (camelCase, hex ids, int enums, int64 strings) or the snake variant."""
    d = json_format.MessageToDict(msg, use_integers_for_enums=True, preserving_proto_field_name=snake)

    def fix(obj, desc):
        for k, f, v in list(_walk_fields(obj, desc)):
            if f is None:
                continue
            if f.type == FD.TYPE_MESSAGE:
                for item in (v if f.is_repeated else [v]):
                    fix(item, f.message_type)
            elif is_id_field(f):
                h = base64.b64decode(v).hex()
                obj[k] = h.upper() if upper_ids else h
            elif int64_numbers and f.type in INT64_TYPES:
                conv = lambda s: int(s) if int(float(int(s))) == int(s) else s  # noqa: E731
                obj[k] = [conv(x) for x in v] if f.is_repeated else conv(v)
    fix(d, msg.DESCRIPTOR)
    return d


def otlp_json_to_parse_dict(obj, desc, path: str, errors: list, drop_unknown: bool = False):
    """Turn OTLP/JSON into what json_format.ParseDict expects (hex ids -> base64)."""
    if not isinstance(obj, dict):
        errors.append(f"{path or '<root>'}: expected a JSON object, got {type(obj).__name__}")
        return {}
    out = {}
    for k, f, v in _walk_fields(obj, desc):
        p = f"{path}.{k}" if path else k
        if f is None:
            if not drop_unknown:
                out[k] = v
            continue
        if f.type == FD.TYPE_MESSAGE and v is not None:
            if f.is_repeated and isinstance(v, list):
                out[k] = [otlp_json_to_parse_dict(x, f.message_type, f"{p}[{i}]", errors, drop_unknown)
                          for i, x in enumerate(v)]
            else:
                out[k] = otlp_json_to_parse_dict(v, f.message_type, p, errors, drop_unknown)
        elif is_id_field(f) and isinstance(v, str):
            try:
                out[k] = base64.b64encode(bytes.fromhex(v)).decode() if v else ""
            except ValueError:
                errors.append(f"{p}: id {v!r} is not hex")
                out[k] = ""
        else:
            out[k] = v
    return out


class StrictJSONError(ValueError):
    pass


def load_json_strict(text: str):
    """json.loads that rejects duplicate keys and the non-standard NaN/Infinity tokens."""
    def pairs(items):
        d = {}
        for k, v in items:
            if k in d:
                raise StrictJSONError(f"duplicate key {k!r}")
            d[k] = v
        return d

    def bad_constant(name):
        raise StrictJSONError(f"non-standard JSON token {name} (use the string \"{name}\")")
    return json.loads(text, object_pairs_hook=pairs, parse_constant=bad_constant)


DEC_RE = re.compile(r"-?(0|[1-9][0-9]*)\Z")
HEX_RE = re.compile(r"[0-9a-fA-F]*\Z")


def validate_otlp_json(obj, desc, path: str, errors: list):
    """Check that obj is OTLP/JSON as otelsw must emit it (cheat-sheet §5)."""
    where = path or "<root>"
    if not isinstance(obj, dict):
        errors.append(f"{where}: expected object, got {type(obj).__name__}")
        return
    oneofs = {}
    for k, f, v in _walk_fields(obj, desc):
        p = f"{path}.{k}" if path else k
        if f is None:
            errors.append(f"{p}: unknown key")
            continue
        if k != f.json_name:
            errors.append(f"{p}: key is not lowerCamelCase (want {f.json_name!r})")
        o = real_oneof(f)
        if o is not None:
            oneofs.setdefault(o.name, []).append(k)
        if v is None:
            errors.append(f"{p}: null value")
            continue
        if f.is_repeated:
            if not isinstance(v, list):
                errors.append(f"{p}: expected array, got {type(v).__name__}")
                continue
            for i, x in enumerate(v):
                _validate_value(f, x, f"{p}[{i}]", errors)
        else:
            _validate_value(f, v, p, errors)
    for name, keys in oneofs.items():
        if len(keys) > 1:
            errors.append(f"{where}: several members of oneof {name}: {keys}")


def _validate_value(f, v, p: str, errors: list):
    t = f.type
    if t == FD.TYPE_MESSAGE:
        validate_otlp_json(v, f.message_type, p, errors)
    elif is_id_field(f):
        want = 32 if f.name == "trace_id" else 16
        if not isinstance(v, str) or not HEX_RE.match(v) or len(v) not in (0, want):
            errors.append(f"{p}: id must be {want} hex digits (or empty), got {v!r}")
    elif t == FD.TYPE_ENUM:
        if not isinstance(v, int) or isinstance(v, bool):
            errors.append(f"{p}: enum must be an integer, got {v!r}")
    elif t in INT64_TYPES:
        if not isinstance(v, str) or not DEC_RE.match(v):
            errors.append(f"{p}: 64-bit integer must be a decimal string, got {v!r}")
    elif t in INT32_TYPES:
        if not isinstance(v, int) or isinstance(v, bool):
            errors.append(f"{p}: 32-bit integer must be a JSON number, got {v!r}")
    elif t in FLOAT_TYPES:
        if isinstance(v, bool) or not (isinstance(v, (int, float)) or v in ("NaN", "Infinity", "-Infinity")):
            errors.append(f"{p}: double must be a number or NaN/Infinity/-Infinity string, got {v!r}")
    elif t == FD.TYPE_BOOL:
        if not isinstance(v, bool):
            errors.append(f"{p}: bool must be true/false, got {v!r}")
    elif t == FD.TYPE_STRING:
        if not isinstance(v, str):
            errors.append(f"{p}: string expected, got {v!r}")
    elif t == FD.TYPE_BYTES:
        try:
            if not isinstance(v, str):
                raise ValueError
            base64.b64decode(v, validate=True)
        except (ValueError, binascii.Error):
            errors.append(f"{p}: bytes must be standard base64, got {v!r}")


def parse_otlp_json(text: str, cls, drop_unknown: bool = False):
    """Parse OTLP/JSON text into a message; returns (message or None, errors)."""
    errors: list = []
    try:
        obj = load_json_strict(text)
    except ValueError as e:
        return None, [f"invalid JSON: {e}"]
    d = otlp_json_to_parse_dict(obj, cls.DESCRIPTOR, "", errors, drop_unknown)
    msg = cls()
    try:
        json_format.ParseDict(d, msg, ignore_unknown_fields=drop_unknown)
    except json_format.ParseError as e:
        errors.append(f"json_format rejected it: {e}")
        return None, errors
    return msg, errors


# --------------------------------------------------------------------------------------------------
# Field-by-field comparison
# --------------------------------------------------------------------------------------------------

def fmt(f, v) -> str:
    if f is not None and f.type == FD.TYPE_MESSAGE:
        return "present"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return repr(v)
    if isinstance(v, bytes):
        return "0x" + (v.hex() if len(v) <= 40 else v[:40].hex() + f"...({len(v)} bytes)")
    if isinstance(v, str):
        s = json.dumps(v, ensure_ascii=False)
        return s if len(s) <= 80 else s[:77] + '..."' + f"({len(v)} chars)"
    return str(v)


def same_scalar(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return struct.pack("<d", a) == struct.pack("<d", b)  # -0.0 != 0.0
    return a == b


def diff(exp, got, path: str = "", out: list | None = None) -> list:
    """Every difference between two messages of the same type, as 'path: expected X got Y' lines."""
    out = [] if out is None else out
    desc = exp.DESCRIPTOR
    j = (lambda name: f"{path}.{name}" if path else name)
    unknown = UnknownFieldSet(got)
    if len(unknown):
        nums = sorted({u.field_number for u in unknown})
        out.append(f"{path or '<root>'}: ours carries unknown field number(s) {nums}")
    for o in desc.oneofs:
        if len(o.fields) == 1 and o.name == "_" + o.fields[0].name:
            continue
        we, wg = exp.WhichOneof(o.name), got.WhichOneof(o.name)
        if we != wg:
            ev = f"{we}={fmt(desc.fields_by_name[we], getattr(exp, we))}" if we else "unset"
            gv = f"{wg}={fmt(desc.fields_by_name[wg], getattr(got, wg))}" if wg else "unset"
            out.append(f"{j(o.name)}: expected {ev} got {gv}")
    for f in sorted(desc.fields, key=lambda f: f.number):
        p = j(f.name)
        if f.is_repeated:
            ev, gv = list(getattr(exp, f.name)), list(getattr(got, f.name))
            if len(ev) != len(gv):
                out.append(f"{p}: expected {len(ev)} items got {len(gv)}")
            for i in range(min(len(ev), len(gv))):
                if f.type == FD.TYPE_MESSAGE:
                    diff(ev[i], gv[i], f"{p}[{i}]", out)
                elif not same_scalar(ev[i], gv[i]):
                    out.append(f"{p}[{i}]: expected {fmt(f, ev[i])} got {fmt(f, gv[i])}")
            continue
        o = real_oneof(f)
        if o is not None:
            if exp.WhichOneof(o.name) != f.name or got.WhichOneof(o.name) != f.name:
                continue  # reported at oneof level (or unset in both)
        elif f.has_presence:
            he, hg = exp.HasField(f.name), got.HasField(f.name)
            if he != hg:
                e = fmt(f, getattr(exp, f.name)) if he else "absent"
                g = fmt(f, getattr(got, f.name)) if hg else "absent"
                out.append(f"{p}: expected {e} got {g}")
            if not (he and hg):
                continue
        ev, gv = getattr(exp, f.name), getattr(got, f.name)
        if f.type == FD.TYPE_MESSAGE:
            diff(ev, gv, p, out)
        elif not same_scalar(ev, gv):
            out.append(f"{p}: expected {fmt(f, ev)} got {fmt(f, gv)}")
    return out


# --------------------------------------------------------------------------------------------------
# gen
# --------------------------------------------------------------------------------------------------

def write(path: str, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": "\n"})) as fh:
        fh.write(data)


def dump_json(d, pretty: bool) -> str:
    if pretty:
        return json.dumps(d, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return json.dumps(d, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def inject_json_unknowns(obj, depth: int = 0, counter=None):
    """Add keys no OTLP message has, with JSON values of every kind, at every object level."""
    counter = counter if counter is not None else [0]
    samples = [{"future": {"a": [1, "two", None, {"b": False}]}}, {"futureNumber": 1.5e300},
               {"futureString": "x"}, {"future_null": None}, {"futureArray": [[], {}]},
               {"futureBool": True}, {"futureInt": "-9223372036854775808"}]
    if isinstance(obj, dict):
        for v in list(obj.values()):
            inject_json_unknowns(v, depth + 1, counter)
        counter[0] += 1
        obj.update(samples[counter[0] % len(samples)])
    elif isinstance(obj, list):
        for v in obj:
            inject_json_unknowns(v, depth + 1, counter)
    return obj


def gen(out_dir: str, quiet: bool = False) -> list:
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(SEED)
    traces_full = build_traces_full(rng)
    metrics_full = build_metrics_full(rng)
    logs_full = build_logs_full(rng)
    payloads = []  # (name, signal, message, pb bytes, variants)
    canonical = WireEncoder()
    for name, signal, msg in (("traces_full", "traces", traces_full), ("metrics_full", "metrics", metrics_full),
                              ("logs_full", "logs", logs_full)):
        b = msg.SerializeToString(deterministic=True)
        assert canonical.encode(msg) == b, f"hand encoder is not canonical for {name}"
        payloads.append((name, signal, msg, b, ("json", "snake")))
    payloads.append(("traces_large", "traces", build_traces_large(rng), None, ("json",)))
    payloads.append(("traces_envelopes", "traces", build_traces_envelopes(rng), None, ("json", "snake")))
    for signal, cls in SIGNALS.items():
        payloads.append((f"{signal}_empty", signal, cls(), b"", ("json", "snake")))
    for signal, msg in (("traces", traces_full), ("metrics", metrics_full), ("logs", logs_full)):
        payloads.append((f"{signal}_unknown_fields", signal, msg,
                         WireEncoder(inject=unknown_injector()).encode(msg), ("unknown",)))
        cycle = iter(range(10**9))
        payloads.append((f"{signal}_noncanonical", signal, msg,
                         WireEncoder(descending=True, overlong=True, split=True,
                                     packing=lambda f: ("unpacked", "split", "packed")[next(cycle) % 3]).encode(msg),
                         ()))
    payloads.append(("traces_unknown_groups", "traces", traces_full,
                     WireEncoder(inject=group_injector).encode(traces_full), ()))

    manifest = []
    for name, signal, msg, pb, variants in payloads:
        cls = SIGNALS[signal]
        if pb is None:
            pb = msg.SerializeToString(deterministic=True)
        # the official runtime must read back exactly msg
        check_msg = cls()
        check_msg.ParseFromString(pb)
        check_msg.DiscardUnknownFields()
        problems = diff(msg, check_msg)
        assert not problems, f"{name}.pb does not decode to the intended message: {problems[:5]}"
        write(os.path.join(out_dir, f"{name}.pb"), pb)
        manifest.append({"name": name, "signal": signal, "input": f"{name}.pb", "format": "pb",
                         "expected": f"{name}.pb"})
        files = {}
        if "json" in variants:
            files[f"{name}.json"] = (dump_json(to_otlp_json(msg), pretty=True), False)
        if "snake" in variants:
            files[f"{name}.snake.json"] = (dump_json(to_otlp_json(msg, snake=True, upper_ids=True,
                                                                   int64_numbers=True), pretty=False), False)
        if "unknown" in variants:
            files[f"{name}.unknown.json"] = (dump_json(inject_json_unknowns(to_otlp_json(msg)), pretty=True), True)
        for fname, (text, has_unknown) in files.items():
            parsed, errors = parse_otlp_json(text, cls, drop_unknown=has_unknown)
            assert parsed is not None and not errors, f"{fname}: {errors}"
            problems = diff(msg, parsed)
            assert not problems, f"{fname} does not decode to the intended message: {problems[:5]}"
            if not has_unknown and not fname.endswith(".snake.json"):
                verrs: list = []
                validate_otlp_json(json.loads(text), cls.DESCRIPTOR, "", verrs)
                assert not verrs, f"{fname} is not valid OTLP/JSON: {verrs[:5]}"
            write(os.path.join(out_dir, fname), text)
            manifest.append({"name": name, "signal": signal, "input": fname, "format": "json",
                             "expected": f"{name}.pb"})
    write(os.path.join(out_dir, "manifest.json"), json.dumps(manifest, indent=1) + "\n")
    if not quiet:
        print(f"oracle gen: {len(payloads)} payloads, {len(manifest)} manifest entries in {out_dir}")
    return manifest


# --------------------------------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------------------------------

MAX_LINES_PER_FILE = 40


def check_one(dir_: str, entry: dict) -> dict:
    """{ours-file name: [problems]} for one manifest entry (only files with problems)."""
    cls = SIGNALS[entry["signal"]]
    expected = cls()
    with open(os.path.join(dir_, entry["expected"]), "rb") as fh:
        expected.ParseFromString(fh.read())
    expected.DiscardUnknownFields()
    result = {}

    pb_name = entry["input"] + ".ours.pb"
    pb_path = os.path.join(dir_, pb_name)
    if not os.path.exists(pb_path):
        result[pb_name] = ["missing"]
    else:
        got = cls()
        with open(pb_path, "rb") as fh:
            data = fh.read()
        try:
            got.ParseFromString(data)
            problems = diff(expected, got)
        except Exception as e:  # DecodeError and friends
            problems = [f"official runtime cannot parse it: {e}"]
        if problems:
            result[pb_name] = problems

    js_name = entry["input"] + ".ours.json"
    js_path = os.path.join(dir_, js_name)
    if not os.path.exists(js_path):
        result[js_name] = ["missing"]
    else:
        problems = []
        try:
            with open(js_path, encoding="utf-8", errors="strict") as fh:
                text = fh.read()
            obj = load_json_strict(text)
        except ValueError as e:  # includes UnicodeDecodeError
            problems.append(f"invalid JSON: {e}")
        else:
            verrs: list = []
            validate_otlp_json(obj, cls.DESCRIPTOR, "", verrs)
            problems += ["json: " + e for e in verrs]
            got, errs = parse_otlp_json(text, cls)
            problems += errs
            if got is not None:
                problems += diff(expected, got)
        if problems:
            result[js_name] = problems
    return result


def check(dir_: str, out=sys.stdout) -> tuple[int, int, dict]:
    with open(os.path.join(dir_, "manifest.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)
    all_problems = {}
    for entry in manifest:
        all_problems.update(check_one(dir_, entry))
    for fname, problems in all_problems.items():
        print(f"MISMATCH {fname}:", file=out)
        for p in problems[:MAX_LINES_PER_FILE]:
            print(f"  {p}", file=out)
        if len(problems) > MAX_LINES_PER_FILE:
            print(f"  ... and {len(problems) - MAX_LINES_PER_FILE} more", file=out)
    print(f"oracle: {len(manifest)} payloads, {len(all_problems)} mismatches", file=out)
    return len(manifest), len(all_problems), all_problems


# --------------------------------------------------------------------------------------------------
# selftest
# --------------------------------------------------------------------------------------------------

def selftest(dir_: str) -> int:
    manifest = gen(dir_, quiet=True)
    # 'ours' = the official runtime decoding each input and re-encoding it
    for e in manifest:
        cls = SIGNALS[e["signal"]]
        path = os.path.join(dir_, e["input"])
        if e["format"] == "pb":
            msg = cls()
            with open(path, "rb") as fh:
                msg.ParseFromString(fh.read())
            msg.DiscardUnknownFields()
        else:
            with open(path, encoding="utf-8") as fh:
                msg, errs = parse_otlp_json(fh.read(), cls, drop_unknown=True)
            assert msg is not None and not errs, errs
        write(path + ".ours.pb", msg.SerializeToString())
        write(path + ".ours.json", dump_json(to_otlp_json(msg), pretty=False))

    n, m, problems = check(dir_, out=open(os.devnull, "w"))
    if m != 0:
        check(dir_)
        print("selftest: FAILED, the clean round trip should have matched")
        return 1

    # deliberate corruptions
    idx = nan_attr_index()
    p = os.path.join(dir_, "traces_full.pb.ours.pb")
    msg = trace_service_pb2.ExportTraceServiceRequest()
    with open(p, "rb") as fh:
        msg.ParseFromString(fh.read())
    msg.resource_spans[0].scope_spans[0].spans[0].attributes[idx].value.double_value = 0.0
    msg.resource_spans[0].scope_spans[0].spans[0].links[0].flags = 0
    write(p, msg.SerializeToString())

    p = os.path.join(dir_, "logs_full.json.ours.json")
    with open(p, encoding="utf-8") as fh:
        obj = json.load(fh)
    records = obj["resourceLogs"][0]["scopeLogs"][0]["logRecords"]
    n_records = len(records)
    records.pop()                                           # lose the last record
    records[0]["severity_number"] = records[0].pop("severityNumber")  # snake_case key, same value
    records[1]["spanId"] = "00"                             # wrong id length (record 1 had no id)
    write(p, json.dumps(obj))

    p = os.path.join(dir_, "metrics_unknown_fields.unknown.json.ours.json")
    with open(p, encoding="utf-8") as fh:
        text = fh.read()
    write(p, text.replace('"asDouble":0.75', '"asDouble":NaN', 1))  # bare NaN token: invalid JSON

    p = os.path.join(dir_, "metrics_full.pb.ours.pb")
    msg = metrics_service_pb2.ExportMetricsServiceRequest()
    with open(p, "rb") as fh:
        msg.ParseFromString(fh.read())
    metrics = msg.resource_metrics[0].scope_metrics[0].metrics
    metrics[0].gauge.data_points[0].as_int = 3                  # oneof member switched
    metrics[4].histogram.data_points[0].ClearField("sum")      # optional field lost
    write(p, msg.SerializeToString() + tag(100, 0) + varint(150))  # stray unknown field

    p = os.path.join(dir_, "traces_full.json.ours.json")
    with open(p, encoding="utf-8") as fh:
        obj = json.load(fh)
    span = obj["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    span["kind"] = "SPAN_KIND_SERVER"                           # enum name instead of number
    span["startTimeUnixNano"] = int(span["startTimeUnixNano"])  # int64 as JSON number
    write(p, json.dumps(obj))

    os.remove(os.path.join(dir_, "logs_empty.pb.ours.pb"))

    lines_expected = {
        "traces_full.pb.ours.pb": [
            f"resource_spans[0].scope_spans[0].spans[0].attributes[{idx}].value.double_value: expected nan got 0.0",
            "resource_spans[0].scope_spans[0].spans[0].links[0].flags: expected 257 got 0",
        ],
        "logs_full.json.ours.json": [
            "json: resourceLogs[0].scopeLogs[0].logRecords[0].severity_number: key is not lowerCamelCase "
            "(want 'severityNumber')",
            "json: resourceLogs[0].scopeLogs[0].logRecords[1].spanId: id must be 16 hex digits (or empty), got '00'",
            f"resource_logs[0].scope_logs[0].log_records: expected {n_records} items got {n_records - 1}",
            "resource_logs[0].scope_logs[0].log_records[1].span_id: expected 0x got 0x00",
        ],
        "metrics_unknown_fields.unknown.json.ours.json": [
            "invalid JSON: non-standard JSON token NaN (use the string \"NaN\")",
        ],
        "logs_empty.pb.ours.pb": ["missing"],
        "metrics_full.pb.ours.pb": [
            "<root>: ours carries unknown field number(s) [100]",
            "resource_metrics[0].scope_metrics[0].metrics[0].gauge.data_points[0].value: "
            "expected as_double=0.75 got as_int=3",
            "resource_metrics[0].scope_metrics[0].metrics[4].histogram.data_points[0].sum: "
            "expected 123.5 got absent",
        ],
        "traces_full.json.ours.json": [
            "json: resourceSpans[0].scopeSpans[0].spans[0].kind: enum must be an integer, got 'SPAN_KIND_SERVER'",
            "json: resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: 64-bit integer must be a "
            f"decimal string, got {T0}",
        ],
    }
    n, m, problems = check(dir_)
    ok = True
    if set(problems) != set(lines_expected):
        print(f"selftest: wrong set of failing files: {sorted(problems)}")
        ok = False
    for fname, want in lines_expected.items():
        if problems.get(fname) != want:
            print(f"selftest: {fname}: expected\n  {want}\ngot\n  {problems.get(fname)}")
            ok = False
    print("selftest: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen", help="write payloads and manifest.json")
    g.add_argument("--out", required=True)
    c = sub.add_parser("check", help="compare DIR/<input>.ours.{pb,json} with the expected messages")
    c.add_argument("dir")
    s = sub.add_parser("selftest", help="gen + fake 'ours' files + deliberate corruptions")
    s.add_argument("dir")
    args = ap.parse_args()
    if args.cmd == "gen":
        gen(args.out)
        return 0
    if args.cmd == "check":
        _, m, _ = check(args.dir)
        return 1 if m else 0
    return selftest(args.dir)


if __name__ == "__main__":
    sys.exit(main())
