#!/usr/bin/env bash
# The demo: builds everything, makes a 450k-row service-shaped table in a temp dir (unless a table
# path is given) and compares the toArray path, the TS streaming path and buildHashMaps, each in
# its own process. Usage: npm run demo [-- <tablePath> | --rows N | --dims N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh >&2
exec bun bench/demo.ts "$@"
