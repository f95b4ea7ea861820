#!/usr/bin/env bash
# Builds the published binary (scripts/build-dist.sh: the `dist` profile, glibc floor checked) into
# dist/lance-hashmaps.<platform>.node, then compares it with the everyday release build (size, and
# buildHashMaps speed on the cached 450k-row bench tables) in bench/results-dist.md, and runs the
# install test (__test__/pack.test.ts) with it.
# Usage: bash scripts/dist.sh [rounds]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh >&2
dist="$(bash scripts/build-dist.sh)"
release="$ROOT/$(basename "$dist")"
size=$(stat -c %s "$dist")
if [ "$size" -gt 80000000 ]; then
  echo "$dist is $size bytes: over the 80 MB that a compiled service may grow by (README, Compiled Bun binaries)" >&2
  exit 1
fi
tables=()
for line in 0.13-0.13.0 latest-0.39.0; do
  t="$HOME/.cache/lance-hashmaps/bench-tables/$line-450000-768/embeddings.lance"
  [ -d "$t" ] && tables+=("$t")
done
[ ${#tables[@]} -gt 0 ] || echo "no cached bench tables: run npm run bench first for speed figures" >&2
bun bench/dist.ts "$release" "$dist" "${1:-7}" "${tables[@]}"
printf '\n== the install test (npm run pack, fresh project, node, bun, compiled binary) with the dist binary\n' >&2
LANCE_HASHMAPS_PACK_BINARY="$dist" bun test __test__/pack.test.ts
