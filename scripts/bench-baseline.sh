#!/usr/bin/env bash
# A baseline for the benches to run beside this checkout: `bash scripts/bench-baseline.sh REV`
# exports commit REV of this repository to ~/.cache/lance-hashmaps/baseline/<commit> (once),
# builds its addon and its examples/raw_scan there with this clone's toolchain and target
# directory (the dependencies are shared: only the crate itself is compiled, ~30 s here),
# and prints the directory, which then holds `lance-hashmaps.<platform>.node` and `raw_scan`.
# A second call with the same commit only prints the directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
rev="${1:?usage: bash scripts/bench-baseline.sh REV}"
commit="$(git -C "$ROOT" rev-parse --verify --quiet "$rev^{commit}")" || {
  echo "bench-baseline: no commit $rev in $ROOT" >&2
  exit 1
}
dir="$HOME/.cache/lance-hashmaps/baseline/${commit:0:12}"
platform="$(cd "$ROOT" && node -p 'require("./js/platform-name.js").platformName()')"
if [ -f "$dir/raw_scan" ] && [ -f "$dir/lance-hashmaps.$platform.node" ]; then
  echo "$dir"
  exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
# A plain export, not a worktree: nothing is registered in this clone's .git.
git -C "$ROOT" archive "$commit" | tar -x -C "$dir"
# cargo names a path package's artifacts without its path: with the same version, this build and
# the clone's own would take each other's artifacts as up to date. Another version keeps them apart.
sed -i '0,/^version = "\([^"]*\)"/s//version = "\1-baseline"/' "$dir/Cargo.toml"
echo "bench-baseline: building ${commit:0:12} in $dir" >&2
(cd "$dir" && cargo_floor build --release --lib --example raw_scan >&2)
out="$CARGO_TARGET_DIR/$CARGO_BUILD_TARGET/release"
# Copies: the next build of this clone writes the same paths in the target directory.
cp "$out/liblance_hashmaps.so" "$dir/lance-hashmaps.$platform.node.part"
cp "$out/examples/raw_scan" "$dir/raw_scan.part"
mv "$dir/lance-hashmaps.$platform.node.part" "$dir/lance-hashmaps.$platform.node"
mv "$dir/raw_scan.part" "$dir/raw_scan"
echo "$dir"
