#!/usr/bin/env bash
# Installs the S3 server the object-store tests run on loopback: moto's `moto_server` (PyPI
# `moto[server]`), in a venv OUTSIDE the clone so a fresh clone on the same machine (CI) reuses it.
# Azurite (the Azure Blob emulator) is an npm devDependency instead: `npm install` brings it.
# Called from scripts/setup.sh; safe to run again: skipped when the pinned version is installed.
#
#   MOTO_VENV   where the venv lives (default $HOME/.cache/lance-hashmaps/venv);
#               fixtures/object-store/servers.ts reads the same variable.
set -euo pipefail

MOTO_VERSION="5.2.5"
VENV="${MOTO_VENV:-$HOME/.cache/lance-hashmaps/venv}"
STAMP="$VENV/.lance-hashmaps-moto"
WANT="moto[server]==$MOTO_VERSION"

# Up to date: the stamp names the pinned version and the server still starts its CLI.
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && "$VENV/bin/moto_server" --help >/dev/null 2>&1; then
  exit 0
fi

printf '\n== installing %s into %s (S3 server for the object-store tests)\n' "$WANT" "$VENV"

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
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "$WANT"
"$VENV/bin/moto_server" --help >/dev/null
echo "$WANT" > "$STAMP"
