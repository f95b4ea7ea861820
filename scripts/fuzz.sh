#!/usr/bin/env bash
# Fuzzes the base-id rule and the hash encoding for a bounded time (default 60 s per target).
# Needs cargo-fuzz and a nightly toolchain (`cargo install cargo-fuzz`; `rustup toolchain install
# nightly`). Not part of `npm test`: its time is better spent elsewhere in CI.
# Usage: bash scripts/fuzz.sh [seconds per target]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT/fuzz"
unset CARGO_BUILD_TARGET
export CARGO_TARGET_DIR="$HOME/.cache/lance-hashmaps/fuzz-target"
secs="${1:-60}"
for t in base_id text_hash; do
  printf '\n== fuzzing %s for %s s\n' "$t" "$secs"
  cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -max_len=4096
done
