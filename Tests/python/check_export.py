#!/usr/bin/env python3
"""check_export.py — verify that everything sdk_send.py sent arrived in a file written by otelsw's `file`
exporter.

  check_export.py --manifest M.json [--manifest M2.json ...] --file out.jsonl [--no-validate]

The file holds one OTLP/JSON request per line; the top-level key says which signal it is (resourceSpans,
resourceMetrics, resourceLogs). For every manifest it checks:
  * spans, found by trace id + span id: name, kind, parent, times, attributes, events, links, status,
    scope name/version and the resource's service.name / run.id;
  * metrics: for each metric name + data-point attribute set of the manifest's resource, the latest point
    (largest timeUnixNano, later lines win ties) has the manifest's final value (int/double sum or gauge,
    histogram count/sum/min/max), the right kind, monotonicity and unit;
  * log records, found by resource (service.name, run.id) + the `log.index` attribute: body, severity
    number/text, times, trace/span ids, attributes and scope.
Each line is also validated as OTLP/JSON (camelCase keys, hex ids, int enums, 64-bit ints as strings)
unless --no-validate. Prints every problem and a summary; exit 0 if all is well, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys

MAX_REPORT = 60  # problem lines printed per manifest


def attr_map(kvs) -> dict:
    return {kv.get("key", ""): typed_any(kv.get("value")) for kv in (kvs or [])}


def as_int(v):
    return int(v) if isinstance(v, (str, int)) and not isinstance(v, bool) else v


def as_double(v):
    if isinstance(v, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(v, v)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def typed_any(v):
    """OTLP/JSON AnyValue -> the manifest's typed form ({"string": ..}, {"int": ..}, ...)."""
    if v is None:
        return {"unset": True}
    if "stringValue" in v:
        return {"string": v["stringValue"]}
    if "boolValue" in v:
        return {"bool": v["boolValue"]}
    if "intValue" in v:
        return {"int": as_int(v["intValue"])}
    if "doubleValue" in v:
        return {"double": as_double(v["doubleValue"])}
    if "bytesValue" in v:
        return {"bytes": v["bytesValue"]}
    if "arrayValue" in v:
        return {"array": [typed_any(x) for x in (v["arrayValue"] or {}).get("values", [])]}
    if "kvlistValue" in v:
        return {"kvlist": attr_map((v["kvlistValue"] or {}).get("values", []))}
    return {"empty": True}


def same(a, b) -> bool:
    """Deep equality where NaN == NaN and ints/floats compare exactly."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def diff_field(name: str, want, got) -> list:
    """Problem lines for one field; attribute maps are compared key by key."""
    if same(want, got):
        return []
    if name == "attributes" and isinstance(want, dict) and isinstance(got, dict):
        out = []
        for k in want:
            if k not in got:
                out.append(f"attributes[{k}]: missing (expected {show(want[k])})")
            elif not same(want[k], got[k]):
                out.append(f"attributes[{k}]: expected {show(want[k])} got {show(got[k])}")
        out += [f"attributes[{k}]: unexpected (got {show(got[k])})" for k in got if k not in want]
        return out
    return [f"{name}: expected {show(want)} got {show(got)}"]


def show(v) -> str:
    s = json.dumps(v, ensure_ascii=False, sort_keys=True)
    return s if len(s) <= 200 else s[:197] + "..."


def norm_id(v) -> str:
    return (v or "").lower()


class Export:
    """Everything found in the file, indexed."""

    def __init__(self):
        self.spans = {}       # (trace, span) -> [(span json, resource attrs, scope json)]
        self.points = {}      # (service, run, metric, attrs json) -> [(time, line no, metric json, point json)]
        self.logs = {}        # (service, run, log.index) -> [(record json, resource attrs, scope json)]
        self.lines = {"traces": 0, "metrics": 0, "logs": 0, "empty": 0}
        self.problems = []    # file-level problems

    def load(self, path: str, validate: bool):
        validator = None
        if validate:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import oracle  # noqa: E402  (needs the venv's protobuf packages)
            validator = oracle
        with open(path, encoding="utf-8") as fh:
            for no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    req = json.loads(line) if validator is None else validator.load_json_strict(line)
                except ValueError as e:
                    self.problems.append(f"{path}:{no}: invalid JSON: {e}")
                    continue
                if not isinstance(req, dict):
                    self.problems.append(f"{path}:{no}: not a JSON object")
                    continue
                signal = ("traces" if "resourceSpans" in req else "metrics" if "resourceMetrics" in req
                          else "logs" if "resourceLogs" in req else None)
                if signal is None:
                    if req:
                        self.problems.append(f"{path}:{no}: no resourceSpans/resourceMetrics/resourceLogs key "
                                             f"(keys: {sorted(req)})")
                    else:
                        self.lines["empty"] += 1
                    continue
                self.lines[signal] += 1
                if validator is not None:
                    errs = []
                    cls = validator.SIGNALS[signal]
                    validator.validate_otlp_json(req, cls.DESCRIPTOR, "", errs)
                    for e in errs[:10]:
                        self.problems.append(f"{path}:{no}: not valid OTLP/JSON: {e}")
                    if len(errs) > 10:
                        self.problems.append(f"{path}:{no}: ... {len(errs) - 10} more OTLP/JSON problems")
                getattr(self, "_" + signal)(req, no)

    @staticmethod
    def _resource(r) -> dict:
        return attr_map((r.get("resource") or {}).get("attributes"))

    @staticmethod
    def _svc(res: dict):
        def s(k):
            return (res.get(k) or {}).get("string")
        return s("service.name"), s("run.id")

    def _traces(self, req, no):
        for rs in req["resourceSpans"] or []:
            res = self._resource(rs)
            for ss in rs.get("scopeSpans") or []:
                for sp in ss.get("spans") or []:
                    key = (norm_id(sp.get("traceId")), norm_id(sp.get("spanId")))
                    self.spans.setdefault(key, []).append((sp, res, ss.get("scope") or {}))

    def _metrics(self, req, no):
        for rm in req["resourceMetrics"] or []:
            svc, run = self._svc(self._resource(rm))
            for sm in rm.get("scopeMetrics") or []:
                for m in sm.get("metrics") or []:
                    for kind in ("gauge", "sum", "histogram", "exponentialHistogram", "summary"):
                        if kind in m:
                            for dp in (m[kind] or {}).get("dataPoints") or []:
                                attrs = json.dumps(attr_map(dp.get("attributes")), sort_keys=True)
                                t = as_int(dp.get("timeUnixNano", 0))
                                key = (svc, run, m.get("name", ""), attrs)
                                self.points.setdefault(key, []).append((t, no, m, kind, dp, sm.get("scope") or {}))

    def _logs(self, req, no):
        for rl in req["resourceLogs"] or []:
            svc, run = self._svc(self._resource(rl))
            for sl in rl.get("scopeLogs") or []:
                for lr in sl.get("logRecords") or []:
                    idx = attr_map(lr.get("attributes")).get("log.index", {}).get("int")
                    self.logs.setdefault((svc, run, idx), []).append((lr, sl.get("scope") or {}))


def check_span(want: dict, found: list, res_want: dict) -> list:
    """Problems for the best-matching copy of a span (duplicates are allowed)."""
    best = None
    for sp, res, scope in found:
        p = []
        got = {
            "name": sp.get("name", ""), "kind": sp.get("kind", 0),
            "parent_span_id": norm_id(sp.get("parentSpanId")),
            "start_time_unix_nano": as_int(sp.get("startTimeUnixNano", 0)),
            "end_time_unix_nano": as_int(sp.get("endTimeUnixNano", 0)),
            "attributes": attr_map(sp.get("attributes")),
            "events": [{"name": e.get("name", ""), "time_unix_nano": as_int(e.get("timeUnixNano", 0)),
                        "attributes": attr_map(e.get("attributes"))} for e in sp.get("events") or []],
            "links": [{"trace_id": norm_id(l.get("traceId")), "span_id": norm_id(l.get("spanId")),
                       "attributes": attr_map(l.get("attributes"))} for l in sp.get("links") or []],
            "status": {"code": (sp.get("status") or {}).get("code", 0),
                       "message": (sp.get("status") or {}).get("message", "")},
            "scope": {"name": scope.get("name", ""), "version": scope.get("version", "")},
        }
        for k, v in got.items():
            p += diff_field(k, want[k], v)
        for k, v in res_want.items():
            if not same({"string": v}, res.get(k)):
                p.append(f"resource {k}: expected {show(v)} got {show(res.get(k))}")
        if best is None or len(p) < len(best):
            best = p
    return best


def check_manifest(path: str, exp: Export) -> tuple[list, dict]:
    with open(path, encoding="utf-8") as fh:
        man = json.load(fh)
    res_want = man["resource"]
    svc, run = res_want["service.name"], res_want["run.id"]
    problems = []
    stats = {"spans": 0, "points": 0, "logs": 0}

    for want in man["spans"]:
        key = (want["trace_id"], want["span_id"])
        label = f"span {want['name']} ({key[0]}/{key[1]})"
        found = exp.spans.get(key)
        if not found:
            problems.append(f"{label}: missing")
            continue
        p = check_span(want, found, res_want)
        problems += [f"{label}: {x}" for x in p]
        stats["spans"] += not p

    for m in man["metrics"]:
        kind = m["type"]
        for pt in m["points"]:
            akey = json.dumps(pt["attributes"], sort_keys=True)
            label = f"metric {m['name']} {akey}"
            found = exp.points.get((svc, run, m["name"], akey))
            if not found:
                problems.append(f"{label}: missing")
                continue
            _, _, metric, got_kind, dp, scope = max(found, key=lambda x: (x[0], x[1]))
            p = []
            if got_kind != kind:
                p.append(f"kind: expected {kind} got {got_kind}")
            else:
                want_v = pt["value"]
                if "int" in want_v or "double" in want_v:
                    got_v = ({"int": as_int(dp["asInt"])} if "asInt" in dp else
                             {"double": as_double(dp["asDouble"])} if "asDouble" in dp else {"none": True})
                    if "double" in want_v and "int" in got_v:  # an int point is fine for an int-valued double
                        got_v = {"double": float(got_v["int"])}
                    if not same(want_v, got_v):
                        p.append(f"value: expected {show(want_v)} got {show(got_v)}")
                else:
                    h = want_v["histogram"]
                    got_h = {"count": as_int(dp.get("count", 0)), "sum": as_double(dp.get("sum")),
                             "min": as_double(dp.get("min")), "max": as_double(dp.get("max"))}
                    for k in ("count", "sum", "min", "max"):
                        w, g = h[k], got_h[k]
                        ok = same(w, g) or (isinstance(g, float) and not isinstance(w, int)
                                            and math.isclose(w, g, rel_tol=1e-12))
                        if not ok:
                            p.append(f"histogram {k}: expected {show(w)} got {show(g)}")
                    bc = [as_int(x) for x in dp.get("bucketCounts") or []]
                    if bc and sum(bc) != got_h["count"]:
                        p.append(f"histogram bucketCounts sum {sum(bc)} != count {got_h['count']}")
                if kind == "sum" and bool(metric["sum"].get("isMonotonic", False)) != m["monotonic"]:
                    p.append(f"isMonotonic: expected {m['monotonic']}")
                if kind in ("sum", "histogram") and metric[kind].get("aggregationTemporality") != 2:
                    p.append(f"aggregationTemporality: expected 2 (cumulative) got "
                             f"{metric[kind].get('aggregationTemporality')}")
            if metric.get("unit", "") != m["unit"]:
                p.append(f"unit: expected {show(m['unit'])} got {show(metric.get('unit', ''))}")
            want_scope = m["scope"]
            got_scope = {"name": scope.get("name", ""), "version": scope.get("version", "")}
            if got_scope != want_scope:
                p.append(f"scope: expected {show(want_scope)} got {show(got_scope)}")
            problems += [f"{label}: {x}" for x in p]
            stats["points"] += not p

    for want in man["logs"]:
        label = f"log record {want['index']}"
        found = exp.logs.get((svc, run, want["index"]))
        if not found:
            problems.append(f"{label}: missing")
            continue
        best = None
        for lr, scope in found:
            got = {
                "body": typed_any(lr.get("body")), "severity_number": lr.get("severityNumber", 0),
                "severity_text": lr.get("severityText", ""),
                "time_unix_nano": as_int(lr.get("timeUnixNano", 0)),
                "observed_time_unix_nano": as_int(lr.get("observedTimeUnixNano", 0)),
                "trace_id": norm_id(lr.get("traceId")), "span_id": norm_id(lr.get("spanId")),
                "attributes": attr_map(lr.get("attributes")),
                "scope": {"name": scope.get("name", ""), "version": scope.get("version", "")},
            }
            p = [x for k, v in got.items() for x in diff_field(k, want[k], v)]
            if best is None or len(p) < len(best):
                best = p
        problems += [f"{label}: {x}" for x in best]
        stats["logs"] += not best
    return problems, {"man": man, **stats}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifest", action="append", required=True, help="manifest from sdk_send.py (repeatable)")
    ap.add_argument("--file", required=True, help="JSON-lines file written by the file exporter")
    ap.add_argument("--no-validate", action="store_true", help="skip the OTLP/JSON validation of each line")
    args = ap.parse_args()

    exp = Export()
    try:
        exp.load(args.file, validate=not args.no_validate)
    except OSError as e:
        print(f"check_export: cannot read {args.file}: {e}")
        return 1
    failed = bool(exp.problems)
    for p in exp.problems[:MAX_REPORT]:
        print(f"check_export: {p}")
    print(f"check_export: {args.file}: {exp.lines['traces']} trace, {exp.lines['metrics']} metric, "
          f"{exp.lines['logs']} log lines ({exp.lines['empty']} empty); {len(exp.spans)} distinct spans, "
          f"{len(exp.points)} metric streams, {sum(len(v) for v in exp.logs.values())} log records")
    for mpath in args.manifest:
        problems, st = check_manifest(mpath, exp)
        man = st["man"]
        n_pts = sum(len(m["points"]) for m in man["metrics"])
        status = "OK" if not problems else "FAIL"
        print(f"check_export: {status} {mpath} ({man['protocol']}, run {man['run_id']}): "
              f"spans {st['spans']}/{len(man['spans'])}, metric points {st['points']}/{n_pts}, "
              f"logs {st['logs']}/{len(man['logs'])}")
        for p in problems[:MAX_REPORT]:
            print(f"  {p}")
        if len(problems) > MAX_REPORT:
            print(f"  ... and {len(problems) - MAX_REPORT} more")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
