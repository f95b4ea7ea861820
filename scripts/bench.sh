#!/usr/bin/env bash
# The benchmark (npm run bench): set-up, the raw-scan lower bound, then bench/bench.ts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh >&2
cargo build --release --example raw_scan >&2
export RAW_SCAN_BIN="$CARGO_TARGET_DIR/$CARGO_BUILD_TARGET/release/examples/raw_scan"
exec bun bench/bench.ts "$@"
