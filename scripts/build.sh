#!/usr/bin/env bash
# Builds the release addon in place: lance-hashmaps.<platform>.node at the root, and the generated
# loader native.js with its types native.d.ts (the public index.js / index.d.ts are hand-written).
# Same profile, features and toolchain as `cargo test --release` (scripts/env.sh, cargo_floor), so
# the two share every dependency artifact.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
printf '\n== building the addon (release; target dir %s)\n' "$CARGO_TARGET_DIR"
floor=()
[ -n "${ZIG_TARGET:-}" ] && floor=(--cross-compile --target "$ZIG_TARGET")
napi build --platform --release --target-dir "$CARGO_TARGET_DIR" "${floor[@]}" --js native.js --dts native.d.ts "$@"
