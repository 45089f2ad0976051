#!/usr/bin/env bash
# scripts/test-env.sh — prepare the Python/apt environment used by otelsw's tests.
#
# Idempotent and cheap on repeat runs:
#   * installs the Debian packages in $OTELSW_APT_PACKAGES (default "zlib1g-dev wrk prometheus prometheus-alertmanager") that are
#     missing, running `apt-get update` only when something has to be installed (sudo if not root);
#   * creates <repo>/.venv with `python3 -m venv` when missing (installs python3-venv via apt if the
#     venv module is unusable, as on a bare Debian 12);
#   * installs Tests/python/requirements.txt into it only when that file's sha256 differs from the
#     stamp kept at .venv/.requirements.sha256.
# Progress goes to stderr; the LAST line on stdout is the venv's python path, so callers can do
#   PY="$(scripts/test-env.sh)"
# Environment: OTELSW_VENV (venv dir, default <repo>/.venv), OTELSW_APT_PACKAGES (space separated,
# may be empty), PYTHON (interpreter used to create the venv, default python3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${OTELSW_VENV:-$ROOT/.venv}"
REQ="$ROOT/Tests/python/requirements.txt"
APT_PACKAGES="${OTELSW_APT_PACKAGES-zlib1g-dev wrk prometheus prometheus-alertmanager}"
PYTHON="${PYTHON:-python3}"

log() { printf 'test-env: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
    # apt_install PKG... : install only the given packages that are not installed yet.
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    log "installing apt packages: ${missing[*]}"
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Serialise concurrent callers (e.g. several test processes) on one lock file.
mkdir -p "$(dirname "$VENV")"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$VENV.lock"
    flock 9
fi

# 1. apt packages.
if [ -n "${APT_PACKAGES// /}" ]; then
    # shellcheck disable=SC2086
    apt_install $APT_PACKAGES
fi

# 2. the virtualenv.
venv_ok() { [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1 \
    && [ -x "$VENV/bin/pip" ]; }
if ! venv_ok; then
    rm -rf "$VENV"
    log "creating venv at $VENV"
    if ! "$PYTHON" -m venv "$VENV" >&2; then
        log "python3 -m venv failed; installing python3-venv"
        rm -rf "$VENV"
        apt_install python3-venv
        "$PYTHON" -m venv "$VENV" >&2
    fi
fi

# 3. requirements, keyed on their sha256.
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
    log "installing $REQ"
    rm -f "$STAMP"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ" >&2
    printf '%s\n' "$want" >"$STAMP"
fi

echo "$VENV/bin/python"
