#!/usr/bin/env bash
# Installs pinned PyPI packages into a venv OUTSIDE the clone, so a fresh clone on the same machine
# (CI) reuses it; skipped when the venv already holds them and CHECK (a command run with the
# venv's bin/ first on PATH) succeeds. Used by the setup scripts for the test servers (moto), the
# glibc-floor toolchain (zig, cargo-zigbuild) and the workflow linter (actionlint).
# Usage: bash scripts/venv-install.sh VENV "CHECK" REQUIREMENT...
set -euo pipefail
VENV="$1"
CHECK="$2"
shift 2
WANT="$*"
STAMP="$VENV/.lance-hashmaps-stamp"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && PATH="$VENV/bin:$PATH" bash -c "$CHECK" >/dev/null 2>&1; then
  exit 0
fi
printf '\n== installing %s into %s\n' "$WANT" "$VENV"

PY="$(command -v python3 || true)"
[ -n "$PY" ] || { echo "python3 not found: install Python 3.9 or newer, then run this again" >&2; exit 1; }

# Debian's python3 ships without the venv module (and ensurepip) unless python3-venv is installed.
if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  pkg="python3-venv"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
  else
    echo "python3's venv module is missing: install $pkg, then run this again" >&2
    exit 1
  fi
fi

# A half-made venv (interrupted run, python upgraded under it) is rebuilt from scratch.
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PY" -m venv "$VENV"
fi
# shellcheck disable=SC2068 # each requirement is one word
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade $@
PATH="$VENV/bin:$PATH" bash -c "$CHECK" >/dev/null
echo "$WANT" > "$STAMP"
