#!/usr/bin/env bash
# Builds the agent and the demo package, then runs the demo platform on 127.0.0.1 and checks it
# end to end (scripts/demo.py; arguments are passed on, e.g. --keep to leave it running).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$(scripts/test-env.sh)"
swift build --product otelsw
(cd demo && swift build)
exec "$PY" scripts/demo.py "$@"
