#!/usr/bin/env bash
# npm run pack: the two tarballs a user installs from source, written into pack/ (or --out DIR):
# lance-hashmaps-<version>.tgz (the JS API, the loader, the types) and
# lance-hashmaps-<platform>-<version>.tgz (the platform package with the binary). Then, in the
# service: `bun add ./pack/lance-hashmaps-*.tgz` (both files), or npm install / pnpm add.
# The binary is the one a user ships (scripts/build-dist.sh: the dist profile, much smaller than
# the everyday build: bench/README.md, "Build and size"), unless --binary FILE names another (the
# tests pack the everyday build, which is already built).
# Usage: npm run pack [-- --binary FILE] [-- --out DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
out="$ROOT/pack"
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --out) mkdir -p "$2"; out="$(cd "$2" && pwd)"; shift 2 ;;
    *) echo "usage: npm run pack [-- --binary FILE] [-- --out DIR]" >&2; exit 2 ;;
  esac
done
if [ -z "$binary" ]; then
  bash scripts/setup.sh --no-build >&2
  binary="$(bash scripts/build-dist.sh)"
fi
[ -f "$binary" ] || { echo "no binary at $binary" >&2; exit 1; }
platform="$(node -p 'require("./js/platform-name.js").platformName()')"
[ -d "npm/$platform" ] || { echo "no platform package npm/$platform for this platform" >&2; exit 1; }
mkdir -p "$out"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp -r "npm/$platform/." "$staging/"
cp "$binary" "$staging/lance-hashmaps.$platform.node"
npm pack --pack-destination "$out" --loglevel=error >/dev/null
(cd "$staging" && npm pack --pack-destination "$out" --loglevel=error >/dev/null)
version="$(node -p 'require("./package.json").version')"
printf '\n== packed into %s:\n' "$out" >&2
ls -l "$out/lance-hashmaps-$version.tgz" "$out/lance-hashmaps-$platform-$version.tgz" >&2
printf 'install both in your service: bun add %s %s\n' "$out/lance-hashmaps-$version.tgz" "$out/lance-hashmaps-$platform-$version.tgz" >&2
