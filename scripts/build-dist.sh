#!/usr/bin/env bash
# Builds the binary a user ships (cargo profile `dist`: fat LTO, one codegen unit, stripped, the
# size-optimised crates of Cargo.toml) into dist/lance-hashmaps.<platform>.node with the same
# toolchain as every other build (scripts/env.sh, cargo_floor), and checks its glibc floor.
# The first dist build compiles every dependency again in that profile (as LTO bitcode): about
# 45 minutes on 2 cores, plus the link. Prints the binary's path on stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
printf '\n== building the dist addon (target dir %s)\n' "$CARGO_TARGET_DIR" >&2
# Only the cdylib: with the manifest's two crate types (cdylib + rlib, the rlib for tests and
# examples) cargo silently builds without LTO.
cargo_floor rustc --profile dist --lib --crate-type cdylib >&2
platform="$(node -p 'require("./js/platform-name.js").platformName()')"
case "$platform" in
  darwin-*) lib=liblance_hashmaps.dylib ;;
  win32-*) lib=lance_hashmaps.dll ;;
  *) lib=liblance_hashmaps.so ;;
esac
mkdir -p dist
out="$ROOT/dist/lance-hashmaps.$platform.node"
cp "$CARGO_TARGET_DIR/$CARGO_BUILD_TARGET/dist/$lib" "$out"
if [ -n "${ZIG_TARGET:-}" ]; then
  node scripts/check-glibc.mjs "$out" "$GLIBC_FLOOR" >&2
fi
echo "$out"
