#!/usr/bin/env bash
# Builds the release addon in place: index.js, index.d.ts and lance-hashmaps.<platform>.node at the root.
# Same profile and features as `cargo test --release`, so the two share every dependency artifact.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
printf '\n== building the addon (release; target dir %s)\n' "$CARGO_TARGET_DIR"
napi build --platform --release --target-dir "$CARGO_TARGET_DIR" "$@"
