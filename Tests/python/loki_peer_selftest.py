#!/usr/bin/env python3
"""Self-test of loki_peer.py: encodings, strict checks, selector parser, /control, shutdown.

Run with the test venv's python; exits non-zero on the first failure.
"""

import gzip
import http.client
import json
import os
import signal
import subprocess
import sys
import zlib

import cramjam

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import loki_peer  # noqa: E402

PUSH = "/loki/api/v1/push"
PROTO = {"Content-Type": "application/x-protobuf"}


def start():
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "loki_peer.py"), "--port", "0"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    line = p.stdout.readline().decode()
    assert line.startswith("PORT "), line
    return p, int(line.split()[1])


def request():
    req = loki_peer.PushRequest()
    s = req.streams.add()
    s.labels = '{app="api", env="prod"}'
    e = s.entries.add()
    e.timestamp.seconds = -2
    e.timestamp.nanos = 5
    e.line = "hello"
    m = e.structuredMetadata.add()
    m.name, m.value = "trace_id", "abc"
    return req


def snappy(raw):
    return bytes(cramjam.snappy.compress_raw(raw))


def check_selector_parser():
    ok = {
        '{a="b"}': {"a": "b"},
        '{ a = "b" ,b="c" }': {"a": "b", "b": "c"},
        '{_x="\\a\\b\\f\\n\\r\\t\\v\\\\\\""}': {"_x": "\a\b\f\n\r\t\v\\\""},
        '{a="\\x41\\101\\u00e9\\U0001F600"}': {"a": "AAé😀"},
        '{a="é世"}': {"a": "é世"},
        '{a=""}': {"a": ""},
    }
    for text, labels in ok.items():
        assert loki_peer.parse_selector(text) == labels, text
    bad = ['{}', 'a="b"', '{a="b",}', '{a="b"', '{a=b}', '{1a="b"}', '{a!="b"}', '{a="b\nc"}',
           '{a="\\q"}', '{a="\\xff"}', '{a="\\ud800"}', '{a="b", a="c"}', '{a="b"} x', '{a.b="c"}']
    for text in bad:
        try:
            loki_peer.parse_selector(text)
        except loki_peer.BadRequest as e:
            assert e.status == 400
        else:
            raise AssertionError("accepted %r" % text)


def main():
    check_selector_parser()
    p, port = start()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # one keep-alive connection

    def post(path, body, headers=None):
        c.request("POST", path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read().decode(), r.getheader("Retry-After")

    def pushes():
        c.request("GET", "/pushes")
        r = c.getresponse()
        assert r.status == 200
        return json.loads(r.read())

    raw = request().SerializeToString()
    assert post(PUSH, snappy(raw), dict(PROTO, **{"X-Scope-OrgID": "t1"}))[0] == 204
    assert post(PUSH, gzip.compress(snappy(raw)), dict(PROTO, **{"Content-Encoding": "gzip"}))[0] == 204
    assert post(PUSH, zlib.compress(snappy(raw)), dict(PROTO, **{"Content-Encoding": "deflate"}))[0] == 204
    assert post(PUSH, snappy(raw), dict(PROTO, **{"Content-Encoding": "snappy"}))[0] == 204
    assert post(PUSH, snappy(raw))[0] == 204  # no Content-Type: protobuf
    body = b'{"streams":[{"stream":{"a":"b"},"values":[["-5","x",{"k":"v"}],["7","y"]]}]}'
    assert post(PUSH, gzip.compress(body), {"Content-Type": "application/json; charset=utf-8",
                                            "Content-Encoding": "gzip"})[0] == 204
    # Chunked transfer encoding.
    c.putrequest("POST", PUSH)
    c.putheader("Content-Type", "application/json")
    c.putheader("Transfer-Encoding", "chunked")
    c.endheaders()
    for part in (body[:10], body[10:]):
        c.send(b"%x\r\n%s\r\n" % (len(part), part))
    c.send(b"0\r\n\r\n")
    r = c.getresponse()
    r.read()
    assert r.status == 204

    recorded = pushes()
    assert len(recorded) == 7, len(recorded)
    first = recorded[0]
    assert first["tenant"] == "t1" and first["content_type"] == "application/x-protobuf"
    assert first["streams"] == [{"labels": {"app": "api", "env": "prod"}, "entries": [
        {"ts": "-1999999995", "line": "hello", "metadata": {"trace_id": "abc"}}]}], first
    assert recorded[1]["content_encoding"] == "gzip"
    assert recorded[4]["content_type"] is None
    assert recorded[5]["streams"][0]["entries"] == [
        {"ts": "-5", "line": "x", "metadata": {"k": "v"}}, {"ts": "7", "line": "y", "metadata": {}}]

    # Refusals: each is a 400 and nothing is recorded.
    def mutated(change):
        req = request()
        change(req)
        return snappy(req.SerializeToString())

    refusals = [
        (mutated(lambda r: setattr(r.streams[0], "hash", 7)), PROTO),
        (mutated(lambda r: r.streams[0].entries[0].parsed.add(name="a", value="b")), PROTO),
        (mutated(lambda r: setattr(r, "format", "loki")), PROTO),
        (mutated(lambda r: r.streams[0].entries[0].ClearField("timestamp")), PROTO),
        (mutated(lambda r: setattr(r.streams[0].entries[0].timestamp, "nanos", -1)), PROTO),
        (mutated(lambda r: setattr(r.streams[0], "labels", '{a="b",}')), PROTO),
        (mutated(lambda r: setattr(r.streams[0], "labels", '{}')), PROTO),
        (snappy(raw + b"\x18\x01"), PROTO),       # unknown field 3 in PushRequest
        (raw, PROTO),                             # not snappy
        (gzip.compress(raw), dict(PROTO, **{"Content-Encoding": "gzip"})),  # gzip without snappy
        (snappy(raw), dict(PROTO, **{"Content-Encoding": "br"})),
        (b'{"streams":[{"stream":{"a":"b"},"values":[[5,"x"]]}]}', {"Content-Type": "application/json"}),
        (b'{"streams":[{"stream":{"a":"b"},"values":[["5"]]}]}', {"Content-Type": "application/json"}),
        (b'{"streams":[{"stream":{"a":"b"},"values":[["5","x",{"k":1}]]}]}', {"Content-Type": "application/json"}),
        (b'{"streams":[{"stream":{"a.b":"c"},"values":[]}]}', {"Content-Type": "application/json"}),
        (b'{"streams":[{"stream":{"a":"\xff"},"values":[]}]}', {"Content-Type": "application/json"}),
        (b'{"streams":[{"stream":{"a":"b"},"values":[["5","\x01"]]}]}', {"Content-Type": "application/json"}),
        (b'{}', {"Content-Type": "text/plain"}),
    ]
    for i, (body, headers) in enumerate(refusals):
        status, text, _ = post(PUSH, body, headers)
        assert status == 400, (i, status, text)
    assert len(pushes()) == 7

    # /control
    assert post("/control", json.dumps({"status": 429, "times": 2, "retry_after": "1",
                                        "body": "slow down"}))[0] == 204
    assert post(PUSH, snappy(raw), PROTO) == (429, "slow down", "1")
    assert post(PUSH, snappy(raw), PROTO)[0] == 429
    assert post(PUSH, snappy(raw), PROTO)[0] == 204
    assert post("/control", json.dumps({"status": 503}))[0] == 204
    assert post(PUSH, snappy(raw), PROTO)[:2] == (503, "")
    assert post("/control", b"not json")[0] == 400
    assert len(pushes()) == 8
    assert post("/reset", b"")[0] == 204
    assert pushes() == []

    # SIGTERM stops it; a second peer stops when stdin closes.
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=10) == 0
    p2, _ = start()
    p2.stdin.close()
    assert p2.wait(timeout=10) == 0
    print("loki_peer self-test: ok")


if __name__ == "__main__":
    main()
