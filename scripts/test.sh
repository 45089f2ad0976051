#!/usr/bin/env bash
# Installs what the tests need (apt packages and a Python venv, both idempotent) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="$(scripts/test-env.sh)"
export OTELSW_PYTHON="$PY"
# Tests that talk to real peers fail instead of skipping when a peer is missing.
export OTELSW_REQUIRE_PEERS=1

swift build --build-tests
swift test --skip-build

# The demo platform is a package of its own (the agent's build never compiles it).
(cd demo && swift build --build-tests && swift test --skip-build)

# The demo platform end to end: the agent, the services, a real Prometheus and Alertmanager and the
# responder on 127.0.0.1, from an order's trace and logs to an alert that fires and is healed.
"$PY" scripts/demo.py

# The shipped pipelines pass the real binary's validator.
for f in pipelines/*.yaml pipelines/examples/*.yaml; do
    .build/debug/otelsw validate --pipeline "$f"
done
