#!/usr/bin/env python3
"""prom_target.py — a scrape target served by the real prometheus_client library.

  prom_target.py

Registers a fixed set of metrics (counters, gauges, a histogram, a summary, an info metric, labels
whose values need escaping), serves them on 127.0.0.1 on a free port, prints "PORT <n>" and serves
until its standard input closes. Values never change, so every scrape returns the same numbers.
"""
import sys

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, Summary, start_http_server


def main():
    registry = CollectorRegistry()
    requests = Counter("shop_requests", "Requests served.", ["method", "path"], registry=registry)
    requests.labels("GET", "/cart").inc(7)
    requests.labels("POST", 'odd "path"\\with\nnewline').inc(3)
    temperature = Gauge("shop_temperature_celsius", "Room temperature.", ["room"], registry=registry)
    temperature.labels("a").set(21.5)
    temperature.labels("b").set(-3.25)
    Gauge("shop_queue_depth", "Items waiting.", registry=registry).set(12)
    latency = Histogram("shop_latency_seconds", "Request latency.", ["route"], buckets=(0.1, 0.5, 1.0), registry=registry)
    for v in (0.05, 0.2, 0.3, 0.7, 2.0):
        latency.labels("/cart").observe(v)
    size = Summary("shop_response_bytes", "Response sizes.", registry=registry)
    for v in (100, 200, 300):
        size.observe(v)
    Info("shop_build", "Build information.", registry=registry).info({"version": "1.2.3", "commit": "abc"})

    server, _ = start_http_server(0, addr="127.0.0.1", registry=registry)
    print(f"PORT {server.server_port}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
