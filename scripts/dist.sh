#!/usr/bin/env bash
# Builds the published binary (cargo profile `dist`: fat LTO, one codegen unit, stripped) into
# dist/lance-hashmaps.<platform>.node, then compares it with the everyday release build (size, and
# buildHashMaps speed on the cached 450k-row bench tables) in bench/results-dist.md, and runs the
# install test (__test__/pack.test.ts) with it.
# The first dist build compiles every dependency again in that profile (as LTO bitcode): about
# 45 minutes on 2 cores, plus the link.
# Usage: bash scripts/dist.sh [rounds]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh >&2
printf '\n== building the dist addon (target dir %s)\n' "$CARGO_TARGET_DIR" >&2
# Only the cdylib: with the manifest's two crate types (cdylib + rlib, the rlib for tests and
# examples) cargo silently builds without LTO.
cargo rustc --profile dist --lib --crate-type cdylib >&2
mkdir -p dist
platform="$(node -p 'process.platform + "-" + process.arch')-gnu"
cp "$CARGO_TARGET_DIR/$CARGO_BUILD_TARGET/dist/liblance_hashmaps.so" "dist/lance-hashmaps.$platform.node"
release="$ROOT/lance-hashmaps.$platform.node"
tables=()
for line in 0.13-0.13.0 latest-0.39.0; do
  t="$HOME/.cache/lance-hashmaps/bench-tables/$line-450000-768/embeddings.lance"
  [ -d "$t" ] && tables+=("$t")
done
[ ${#tables[@]} -gt 0 ] || echo "no cached bench tables: run npm run bench first for speed figures" >&2
bun bench/dist.ts "$release" "$ROOT/dist/lance-hashmaps.$platform.node" "${1:-7}" "${tables[@]}"
printf '\n== the install test (npm pack, fresh project, node, bun, compiled binary) with the dist binary\n' >&2
LANCE_HASHMAPS_PACK_BINARY="$ROOT/dist/lance-hashmaps.$platform.node" bun test __test__/pack.test.ts
