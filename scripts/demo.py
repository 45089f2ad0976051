#!/usr/bin/env python3
"""The demo platform on one machine, without Docker, and its end-to-end check.

  scripts/demo.py [--keep] [--rate N] [--time-scale N] [--timeout SECONDS] [--work DIR]

Starts on 127.0.0.1: otelsw on pipelines/default.yaml, the four services (order, user, product,
payment), the load generator, a real Prometheus and a real Alertmanager (Debian packages), and the
auto-heal responder. It uses the stack's own files (deploy/prometheus, deploy/alertmanager,
deploy/responder) with only the addresses rewritten from compose host names to local ports (and
Prometheus' intervals to 5s). Loki and Jaeger have no server here: a Loki push receiver
(Tests/python/loki_peer.py, protobuf decoded from Loki's schema) and an OTLP/gRPC trace receiver
(the official opentelemetry-proto classes) stand in for them.

Then it checks, and fails (exit 1) on any miss:
  1. one order (sent with `tracestate: demo=keep`) is one trace in "Jaeger": order -> user,
     product, payment with every parent link inside the trace; the four services' log lines of
     that order reach "Loki" with the same trace id, set by otelsw from the lines' content;
  2. the services' metrics reach Prometheus by its own scrape (job="services") and by otelsw's
     remote-write (job=<service>);
  3. a payment error rate of 50% makes AvailabilityFastBurn{service="payment"} fire in Prometheus,
     Alertmanager delivers it, the responder resets the fault through payment's admin endpoint, and
     the alert resolves; the times from the fault to each step are printed;
  4. every PromQL query of every dashboard returns data over the run.

--keep leaves everything running after the checks (until Ctrl-C) and prints the addresses.
Binaries: .build/debug/otelsw and demo/.build/debug/* (scripts/demo.sh builds them).
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent import futures
from http.server import ThreadingHTTPServer

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "python"))

import grpc  # noqa: E402
import loki_peer  # noqa: E402
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc  # noqa: E402

SERVICES = ["order", "user", "product", "payment"]
# The compose host:port each local port stands in for.
COMPOSE_PORTS = {
    "order": 8080, "user": 8081, "product": 8082, "payment": 8084,
    "otelsw": 8888, "prometheus": 9090, "alertmanager": 9093, "responder": 9095,
}


def log(*a):
    print("demo:", *a, flush=True)


class Failed(Exception):
    pass


def free_ports(names) -> dict[str, int]:
    """Distinct free ports: every socket stays bound until all are chosen."""
    socks = []
    try:
        for _ in names:
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return {name: s.getsockname()[1] for name, s in zip(names, socks)}
    finally:
        for s in socks:
            s.close()


# Straight to 127.0.0.1, whatever http_proxy says.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(method, url, body=None, headers=None, timeout=5.0):
    """(status, bytes); status 0 when the connection fails."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None and "content-type" not in {k.lower() for k in (headers or {})}:
        req.add_header("content-type", "application/json")
    try:
        with OPENER.open(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


def wait_until(what, predicate, timeout, interval=0.5):
    """Polls predicate() until it returns something truthy; returns it, or raises Failed."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failed("timed out after %ds waiting for %s" % (timeout, what))
        time.sleep(interval)


# ---------------------------------------------------------------------------------------------
# Stand-ins for Jaeger and Loki

class TraceSink(trace_service_pb2_grpc.TraceServiceServicer):
    """Jaeger's OTLP/gRPC ingest: records every span with its resource's service.name."""

    def __init__(self):
        self.lock = threading.Lock()
        self.spans = []  # dicts

    def Export(self, request, context):
        with self.lock:
            for rs in request.resource_spans:
                service = next((a.value.string_value for a in rs.resource.attributes if a.key == "service.name"), "")
                for ss in rs.scope_spans:
                    for s in ss.spans:
                        self.spans.append({
                            "service": service, "name": s.name, "trace_id": s.trace_id.hex(),
                            "span_id": s.span_id.hex(), "parent": s.parent_span_id.hex(), "kind": s.kind,
                            "trace_state": s.trace_state,
                        })
        return trace_service_pb2.ExportTraceServiceResponse()

    def trace(self, trace_id):
        with self.lock:
            return [s for s in self.spans if s["trace_id"] == trace_id]


def start_trace_sink():
    sink = TraceSink()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(sink, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return sink, server, port


def start_loki_sink():
    loki_peer.Handler.state = loki_peer.State()
    server = ThreadingHTTPServer(("127.0.0.1", 0), loki_peer.Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    return loki_peer.Handler.state, server


def loki_entries(state):
    with state.lock:
        pushes = list(state.pushes)
    for push in pushes:
        for stream in push["streams"]:
            for e in stream["entries"]:
                yield stream["labels"], e


# ---------------------------------------------------------------------------------------------
# Processes

class Stack:
    def __init__(self, work: pathlib.Path):
        self.work = work
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name, argv, env=None):
        out = open(self.work / ("%s.out" % name), "wb")
        # The machine's OTEL_* settings would override the services' own.
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        full_env.update(env or {})
        # No timeout between starting a child and recording it.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=full_env,
                                 cwd=self.work)
            self.procs.append((name, p))
        finally:
            out.close()
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
        return p

    def check_alive(self):
        for name, p in self.procs:
            if p.poll() is not None:
                raise Failed("%s exited with %s; see %s" % (name, p.returncode, self.work / ("%s.out" % name)))

    def stop(self):
        """Stops what was started, last first (the load, the services, the agent, the backends)."""
        deadline = time.monotonic() + 20
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
            if name == "otelsw":
                # The agent delivers what it holds while the backends still run.
                try:
                    p.wait(timeout=12)
                except subprocess.TimeoutExpired:
                    pass
        for name, p in reversed(self.procs):
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log("%s did not stop on SIGTERM; killing it" % name)
                p.kill()
                p.wait()


def rewrite(text: str, ports: dict[str, int]) -> str:
    """Compose host:port references become 127.0.0.1:<local port>."""
    def sub(m):
        host, port = m.group(1), int(m.group(2))
        if COMPOSE_PORTS.get(host) != port:
            return m.group(0)
        return "127.0.0.1:%d" % ports[host]
    return re.sub(r"\b(%s):(\d+)\b" % "|".join(COMPOSE_PORTS), sub, text)


def without_restart_rules(rules: str) -> str:
    """The responder's rules file without the rules that restart a process."""
    out, item = [], []

    def flush():
        if not any(line.strip().startswith("restart:") for line in item):
            out.extend(item)
        item.clear()
    for line in rules.splitlines(keepends=True):
        if re.match(r"^  - ", line) or not line.startswith("  "):
            flush()
        (item if re.match(r"^  - ", line) or item else out).append(line)
    flush()
    return "".join(out)


UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def scale_durations(rules: str, scale: float) -> str:
    """Divides every range (`[5m]`) and `for:` of a rules file by `scale`: the same rules on a
    faster clock. The ratios and thresholds are unchanged, so the alerts fire and resolve as they
    would, `scale` times sooner."""
    if scale == 1:
        return rules

    def seconds(n, unit):
        return "%ds" % max(1, round(int(n) * UNIT_SECONDS[unit] / scale))
    rules = re.sub(r"\[(\d+)([smhd])\]", lambda m: "[%s]" % seconds(m.group(1), m.group(2)), rules)
    return re.sub(r"(?m)^(\s*for: )(\d+)([smhd])\s*$", lambda m: m.group(1) + seconds(m.group(2), m.group(3)), rules)


def prom_query(base, expr):
    """The result vector; None when Prometheus did not answer (busy, timed out), which a poll retries."""
    status, body = http("GET", base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    if 400 <= status < 500:
        raise Failed("query %r: HTTP %d %s" % (expr, status, body[:300]))
    return json.loads(body)["data"]["result"] if status == 200 else None


def prom_query_range(base, expr, start, end, step):
    params = {"query": expr, "start": "%.3f" % start, "end": "%.3f" % end, "step": "%d" % step}
    status, body = http("GET", base + "/api/v1/query_range?" + urllib.parse.urlencode(params), timeout=30)
    if status != 200:
        return None, body.decode(errors="replace")[:300]
    return json.loads(body)["data"]["result"], ""


# ---------------------------------------------------------------------------------------------
# The checks

def check_one_order(order_url, sink, loki_state):
    trace_id = os.urandom(16).hex()
    parent = os.urandom(8).hex()
    headers = {"traceparent": "00-%s-%s-01" % (trace_id, parent), "tracestate": "demo=keep"}
    order = {"user_id": 7, "items": [{"product_id": 3, "quantity": 1}, {"product_id": 4, "quantity": 2}]}
    # The order's server span, then for user, each item's product and payment: the call's span,
    # the HTTP client's span and the callee's server span.
    expected_spans = 1 + 3 * (2 + len(order["items"]))
    status, body = http("POST", order_url + "/orders", order, headers)
    if status != 201 and status != 200:
        raise Failed("the order was answered %d: %s" % (status, body[:200]))
    log("order placed with trace id %s" % trace_id)

    def whole_trace():
        # Complete: a server span of every service, and every parent present (the spans of one
        # trace may come in more than one export).
        spans = sink.trace(trace_id)
        ids = {s["span_id"] for s in spans}
        servers = {s["service"] for s in spans if s["kind"] == 2}
        if (servers >= set(SERVICES) and len(spans) >= expected_spans
                and all(s["parent"] == parent or s["parent"] in ids for s in spans)):
            return spans
        return None
    try:
        spans = wait_until("the order's whole trace in Jaeger", whole_trace, 60)
    except Failed:
        spans = sink.trace(trace_id)
        raise Failed("the order's trace is incomplete: %s" % json.dumps(spans, indent=1))
    by_id = {s["span_id"]: s for s in spans}
    if len(spans) != expected_spans:
        raise Failed("expected %d spans in the order's trace, got %d: %s" % (expected_spans, len(spans), spans))
    roots = [s for s in spans if s["parent"] == parent]
    if len(roots) != 1 or roots[0]["service"] != "order" or roots[0]["kind"] != 2:
        raise Failed("expected one order SERVER span under the caller's span, got %s" % roots)
    if "demo=keep" not in roots[0]["trace_state"]:
        raise Failed("the order's span lost the caller's tracestate: %r" % roots[0]["trace_state"])
    orphans = [s for s in spans if s["parent"] != parent and s["parent"] not in by_id]
    if orphans:
        raise Failed("spans whose parent is not in the trace: %s" % orphans)
    for callee in ["user", "product", "payment"]:
        servers = [s for s in spans if s["service"] == callee and s["kind"] == 2]
        if not servers:
            raise Failed("no %s SERVER span in the trace" % callee)
        for s in servers:
            caller = by_id[s["parent"]]
            if caller["service"] != "order" or caller["kind"] != 3:
                raise Failed("%s's server span is not a child of an order CLIENT span: %s" % (callee, caller))
            # Up the chain to the order's root span.
            chain, cur = [], s
            while cur["parent"] in by_id:
                cur = by_id[cur["parent"]]
                chain.append(cur["name"])
            if cur is not roots[0]:
                raise Failed("%s's span does not lead up to the order's root" % callee)
    log("trace: %d spans over %s, every %s SERVER span a child of an order CLIENT span" %
        (len(spans), ", ".join(sorted({s["service"] for s in spans})), "/".join(SERVICES[1:])))

    def logs_of_trace():
        found = {}
        for labels, e in loki_entries(loki_state):
            if e["metadata"].get("trace_id") == trace_id:
                found.setdefault(labels.get("service_name", "?"), []).append(e)
        return found if set(found) >= set(SERVICES) else None
    found = wait_until("the order's log lines in Loki with its trace id", logs_of_trace, 60)
    for service, entries in found.items():
        for e in entries:
            line = json.loads(e["line"])
            own_spans = {s["span_id"] for s in spans if s["service"] == service}
            if line.get("trace_id") != trace_id or e["metadata"].get("span_id") not in own_spans:
                raise Failed("%s log line without the trace context of one of its spans: %s" % (service, e))
    log("logs: %s" % ", ".join("%s %d line(s)" % (k, len(v)) for k, v in sorted(found.items())))
    return {"trace_id": trace_id, "spans": len(spans), "log_lines": {k: len(v) for k, v in found.items()}}


def check_both_metric_paths(prom):
    def both():
        scraped = prom_query(prom, 'sum(orders_created_total{job="services"})')
        pushed = prom_query(prom, 'sum(orders_created_total{job="order"})')
        up = prom_query(prom, 'sum(up{job="services"})')
        if scraped and pushed and up and float(up[0]["value"][1]) == 4 and float(pushed[0]["value"][1]) > 0:
            return float(scraped[0]["value"][1]), float(pushed[0]["value"][1])
        return None
    scraped, pushed = wait_until("orders_created_total by scrape and by remote-write", both, 90, 2)
    log("metrics: orders_created_total %.0f scraped by Prometheus, %.0f remote-written by otelsw" % (scraped, pushed))
    return {"scraped": scraped, "remote_written": pushed}


def alert_state(prom, name, service):
    """"pending", "firing", "inactive", or None when Prometheus did not answer."""
    status, body = http("GET", prom + "/api/v1/alerts")
    if status != 200:
        return None
    for a in json.loads(body)["data"]["alerts"]:
        if a["labels"].get("alertname") == name and a["labels"].get("service") == service:
            return a["state"]
    return "inactive"


def audit(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def check_fault_loop(prom, alertmanager, payment_url, audit_path, stack):
    status, _ = http("POST", payment_url + "/admin/faults", {"route": "/charge", "error_rate": 0.5})
    if status != 200:
        raise Failed("could not set payment's fault: %d" % status)
    t0 = time.monotonic()
    log("payment now fails half of its charges")
    marks = {}

    def step(name, predicate, timeout):
        def poll():
            stack.check_alive()
            return predicate()
        wait_until(name, poll, timeout, 1)
        marks[name] = time.monotonic() - t0
        log("%-34s %6.1f s after the fault" % (name, marks[name]))

    step("alert pending", lambda: alert_state(prom, "AvailabilityFastBurn", "payment") in ("pending", "firing"), 240)
    step("alert firing in Prometheus", lambda: alert_state(prom, "AvailabilityFastBurn", "payment") == "firing", 300)

    def in_alertmanager():
        s, body = http("GET", alertmanager + "/api/v2/alerts?filter=alertname%3D%22AvailabilityFastBurn%22")
        return s == 200 and any(a["labels"].get("service") == "payment" for a in json.loads(body))
    step("alert in Alertmanager", in_alertmanager, 120)

    def acted():
        return any(r.get("rule") == "reset-payment-faults" and r.get("outcome") == "acted" for r in audit(audit_path))
    step("responder reset the fault", acted, 120)
    s, body = http("GET", payment_url + "/admin/faults")
    faults = json.loads(body) if s == 200 else None
    if s != 200 or any(f.get("error_rate", 0) > 0 for f in faults.values()):
        raise Failed("payment's faults after the remediation: %d %s" % (s, body[:200]))
    step("alert resolved in Prometheus", lambda: alert_state(prom, "AvailabilityFastBurn", "payment") == "inactive", 1800)

    def resolved_delivered():
        return any(r.get("alertname") == "AvailabilityFastBurn" and r.get("outcome") == "resolved"
                   and r.get("labels", {}).get("service") == "payment" for r in audit(audit_path))
    step("responder told of the resolution", resolved_delivered, 180)
    marks["faults_after"] = faults
    return marks


def dashboard_queries():
    for path in sorted((ROOT / "deploy" / "grafana" / "dashboards").glob("*.json")):
        d = json.loads(path.read_text())
        for p in d.get("panels", []):
            panel_ds = (p.get("datasource") or {}).get("uid", "")
            for t in p.get("targets", []):
                ds = (t.get("datasource") or {}).get("uid", panel_ds)
                if ds == "prometheus" and t.get("expr"):
                    yield path.name, p.get("title", "?"), t["expr"]


def substitute(expr):
    return (expr.replace("$__rate_interval", "1m").replace("$__interval", "15s")
            .replace('"$service"', '".+"').replace("$service", ".+"))


def check_dashboards(prom, start, end):
    empty, count = [], 0
    for dashboard, panel, expr in dashboard_queries():
        count += 1
        result, error = prom_query_range(prom, substitute(expr), start, end, 15)
        if not result:
            empty.append("%s / %s: %s %s" % (dashboard, panel, expr, error))
    if count < 80:
        raise Failed("only %d PromQL dashboard queries found; the dashboards or their datasource uids changed" % count)
    if empty:
        raise Failed("%d of %d dashboard queries returned no data:\n  %s" % (len(empty), count, "\n  ".join(empty)))
    log("dashboards: all %d PromQL queries returned data" % count)
    return count


# ---------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the stack running after the checks")
    parser.add_argument("--rate", type=float, default=5, help="orders per second from the load generator")
    parser.add_argument("--timeout", type=float, default=1500, help="give up after this many seconds")
    parser.add_argument("--time-scale", type=float, default=12,
                        help="run the alert rules' windows and `for` durations this many times faster "
                             "(1: the shipped rules unchanged; a fault then takes about 20 minutes to resolve)")
    parser.add_argument("--work", help="working directory (default: a new temporary one, removed on success)")
    args = parser.parse_args()

    otelsw = ROOT / ".build" / "debug" / "otelsw"
    bins = ROOT / "demo" / ".build" / "debug"
    for b in [otelsw] + [bins / n for n in SERVICES + ["loadgen", "responder"]]:
        if not b.exists():
            log("missing %s: run scripts/demo.sh (it builds first)" % b)
            return 2
    for tool in ["prometheus", "prometheus-alertmanager"]:
        if not shutil.which(tool):
            log("missing %s: run scripts/test-env.sh" % tool)
            return 2

    # A test runner may start us with signals blocked, and children inherit the mask. (No
    # preexec_fn: Python code between fork and exec does not mix with gRPC's threads.)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM})
    if args.work and pathlib.Path(args.work).exists() and any(pathlib.Path(args.work).iterdir()):
        log("--work %s is not empty: a run starts from nothing" % args.work)
        return 2
    work = pathlib.Path(args.work) if args.work else pathlib.Path(tempfile.mkdtemp(prefix="otelsw-demo-"))
    work.mkdir(parents=True, exist_ok=True)
    (work / "logs").mkdir(exist_ok=True)
    log("working directory %s" % work)
    def stop_on(message):
        def handler(*_):
            raise Failed(message)
        return handler
    signal.signal(signal.SIGALRM, stop_on("the demo ran over its time limit"))
    signal.signal(signal.SIGTERM, stop_on("stopped by SIGTERM"))
    signal.signal(signal.SIGHUP, stop_on("stopped by SIGHUP"))
    signal.alarm(int(args.timeout))

    ports = free_ports(list(COMPOSE_PORTS) + ["otlp_grpc", "otlp_http"])
    sink, trace_server, jaeger_port = start_trace_sink()
    loki_state, loki_server = start_loki_sink()
    loki_port = loki_server.server_address[1]

    # The stack's own configuration files, addresses rewritten.
    prom_config = rewrite((ROOT / "deploy/prometheus/prometheus.yml").read_text(), ports)
    (work / "rules").mkdir(exist_ok=True)
    for f in sorted((ROOT / "deploy/prometheus/rules").glob("*.yml")):
        (work / "rules" / f.name).write_text(scale_durations(f.read_text(), args.time_scale))
    prom_config = prom_config.replace("/etc/prometheus/rules/", str(work / "rules") + "/")
    prom_config = re.sub(r"(scrape_interval|evaluation_interval): 15s", r"\1: 5s", prom_config)
    (work / "prometheus.yml").write_text(prom_config)
    (work / "alertmanager.yml").write_text(rewrite((ROOT / "deploy/alertmanager/alertmanager.yml").read_text(), ports))
    audit_path = work / "responder-audit.jsonl"
    rules = rewrite((ROOT / "deploy/responder/rules.yml").read_text(), ports)
    rules = re.sub(r"(?m)^listen: .*$", "listen: 127.0.0.1:%d" % ports["responder"], rules)
    rules = re.sub(r"(?m)^audit_log: .*$", "audit_log: %s" % audit_path, rules)
    # A restart rule would signal every process of that name on this machine, not only ours.
    rules = without_restart_rules(rules)
    (work / "responder.yml").write_text(rules)

    stack = Stack(work)
    prom = "http://127.0.0.1:%d" % ports["prometheus"]
    alertmanager = "http://127.0.0.1:%d" % ports["alertmanager"]
    url = {s: "http://127.0.0.1:%d" % ports[s] for s in SERVICES}
    report = {}
    ok = False
    try:
        stack.start("otelsw", [str(otelsw), "--pipeline", str(ROOT / "pipelines/default.yaml")], {
            "OTELSW_OTLP_GRPC_ENDPOINT": "127.0.0.1:%d" % ports["otlp_grpc"],
            "OTELSW_OTLP_HTTP_ENDPOINT": "127.0.0.1:%d" % ports["otlp_http"],
            "OTELSW_METRICS_ADDRESS": "127.0.0.1:%d" % ports["otelsw"],
            "DEMO_LOG_DIR": str(work / "logs"),
            "OTELSW_STORAGE_DIR": str(work / "otelsw-data"),
            "PROMETHEUS_TARGET": "127.0.0.1:%d" % ports["prometheus"],
            "ALERTMANAGER_TARGET": "127.0.0.1:%d" % ports["alertmanager"],
            "RESPONDER_TARGET": "127.0.0.1:%d" % ports["responder"],
            "JAEGER_OTLP_ENDPOINT": "127.0.0.1:%d" % jaeger_port,
            "PROMETHEUS_REMOTE_WRITE_URL": prom + "/api/v1/write",
            "LOKI_PUSH_URL": "http://127.0.0.1:%d/loki/api/v1/push" % loki_port,
        })
        stack.start("prometheus", ["prometheus", "--config.file=%s" % (work / "prometheus.yml"),
                                   "--storage.tsdb.path=%s" % (work / "prometheus-data"),
                                   "--web.listen-address=127.0.0.1:%d" % ports["prometheus"],
                                   "--web.enable-remote-write-receiver", "--web.enable-lifecycle"])
        stack.start("alertmanager", ["prometheus-alertmanager", "--config.file=%s" % (work / "alertmanager.yml"),
                                     "--storage.path=%s" % (work / "alertmanager-data"),
                                     "--web.listen-address=127.0.0.1:%d" % ports["alertmanager"],
                                     "--cluster.listen-address="])
        stack.start("responder", [str(bins / "responder"), "--config", str(work / "responder.yml")])
        common = {"HOST": "127.0.0.1", "LOG_DIR": str(work / "logs"),
                  "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:%d" % ports["otlp_http"]}
        for s in SERVICES:
            env = dict(common, PORT=str(ports[s]))
            if s == "order":
                env.update(USER_URL=url["user"], PRODUCT_URL=url["product"], PAYMENT_URL=url["payment"])
            stack.start(s, [str(bins / s)], env)

        ready = [("otelsw", "http://127.0.0.1:%d/metrics" % ports["otelsw"]), ("prometheus", prom + "/-/ready"),
                 ("alertmanager", alertmanager + "/-/ready"), ("responder", "http://127.0.0.1:%d/metrics" % ports["responder"])]
        ready += [(s, url[s] + "/healthz") for s in SERVICES]
        for name, u in ready:
            wait_until("%s to answer" % name, lambda: (stack.check_alive() or http("GET", u)[0] == 200), 120)
        log("all parts are up")
        started = time.time()
        stack.start("loadgen", [str(bins / "loadgen")], {"TARGET": url["order"], "RATE": str(args.rate)})

        report["order"] = check_one_order(url["order"], sink, loki_state)
        report["metrics"] = check_both_metric_paths(prom)
        report["fault"] = check_fault_loop(prom, alertmanager, url["payment"], audit_path, stack)
        report["dashboard_queries"] = check_dashboards(prom, started, time.time())
        marks = report["fault"]
        log("MTTR: fault to remediation %.0f s, fault to resolved alert %.0f s" %
            (marks["responder reset the fault"], marks["alert resolved in Prometheus"]))
        print(json.dumps(report, indent=2, default=str))
        ok = True
        if args.keep:
            signal.alarm(0)
            log("running; Ctrl-C stops. Prometheus %s, Alertmanager %s, order %s, otelsw metrics http://127.0.0.1:%d/metrics"
                % (prom, alertmanager, url["order"], ports["otelsw"]))
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            while True:
                time.sleep(3600)
    except Failed as e:
        log("FAILED: %s" % e)
    except KeyboardInterrupt:
        ok = ok and args.keep
    finally:
        signal.alarm(0)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        stack.stop()
        trace_server.stop(1).wait()
        loki_server.shutdown()
        loki_server.server_close()
        if not ok:
            for name, _ in stack.procs:
                out = work / ("%s.out" % name)
                tail = out.read_bytes()[-3000:].decode(errors="replace") if out.exists() else ""
                log("---- last output of %s ----\n%s" % (name, tail))
            log("files kept in %s" % work)
        elif not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
