#!/usr/bin/env python3
"""Independent Snappy block-format peer for interoperability tests.

Usage: snappy_peer.py compress IN OUT
       snappy_peer.py decompress IN OUT

Uses cramjam (see requirements.txt) for the raw block format.
"""
import sys

import cramjam


def main(argv):
    if len(argv) != 4 or argv[1] not in ("compress", "decompress"):
        sys.stderr.write("usage: snappy_peer.py compress|decompress IN OUT\n")
        return 2
    command, source, target = argv[1:]
    with open(source, "rb") as f:
        data = f.read()
    if command == "compress":
        result = cramjam.snappy.compress_raw(data)
    else:
        result = cramjam.snappy.decompress_raw(data)
    with open(target, "wb") as f:
        f.write(bytes(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
