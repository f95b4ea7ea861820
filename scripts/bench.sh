#!/usr/bin/env bash
# The benchmark (npm run bench): set-up, the raw-scan lower bound, then bench/bench.ts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh >&2
# The cold path beside a baseline: BENCH_BASELINE names a commit of this repository (default
# 942e20f, the main that issue 23's targets are measured against; `none` for no baseline), built
# by scripts/bench-baseline.sh before this clone's raw_scan (both build the same target paths).
# BENCH_OTHER (a built checkout) with BENCH_OTHER_RAW_SCAN (its raw_scan binary) names one instead.
baseline="${BENCH_BASELINE:-942e20f}"
if [ -z "${BENCH_OTHER:-}" ] && [ "$baseline" != none ]; then
  BENCH_OTHER="$(bash scripts/bench-baseline.sh "$baseline")"
  BENCH_OTHER_RAW_SCAN="$BENCH_OTHER/raw_scan"
fi
cargo_floor build --release --example raw_scan >&2
export RAW_SCAN_BIN="$CARGO_TARGET_DIR/$CARGO_BUILD_TARGET/release/examples/raw_scan"
bun bench/bench.ts "$@"
# The service as it ships: a compiled binary per load path (bench/results-compiled.md), on the
# 450k-row table of the 0.13 line that bench.ts wrote.
t013="$HOME/.cache/lance-hashmaps/bench-tables/0.13-0.13.0-450000-768/embeddings.lance"
if [ -d "$t013" ]; then bun bench/compiled.ts "$t013" 3; else echo "no 450k 0.13 table: compiled-binary bench skipped" >&2; fi
# The cold path: fresh processes, require + the first load beside the raw scan and the SDK paths
# (bench/results-cold.md), beside the baseline above.
t039="$HOME/.cache/lance-hashmaps/bench-tables/latest-0.39.0-450000-768/embeddings.lance"
cold_tables=()
for t in "$t013" "$t039"; do [ -d "$t" ] && cold_tables+=("$t"); done
if [ ${#cold_tables[@]} -gt 0 ]; then
  other=()
  if [ -n "${BENCH_OTHER:-}" ] && [ -n "${BENCH_OTHER_RAW_SCAN:-}" ]; then
    other=(--other "$BENCH_OTHER" --other-raw-scan "$BENCH_OTHER_RAW_SCAN")
  fi
  bun bench/cold.ts "${other[@]}" --rounds 7 --out bench/results-cold.md "${cold_tables[@]}"
fi
# What `require` costs, split (bench/results-require.md): the everyday binary, and the published
# (dist) one when scripts/dist.sh has built it.
platform="$(node -p 'require("./js/platform-name.js").platformName()')"
bins=("release=lance-hashmaps.$platform.node")
if [ -f "dist/lance-hashmaps.$platform.node" ]; then bins+=("dist=dist/lance-hashmaps.$platform.node"); fi
bun bench/require.ts --rounds 9 --out bench/results-require.md "${bins[@]}"
