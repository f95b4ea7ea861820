# Sourced by every script: one place for the paths all of them share.
# The cargo target dir lives OUTSIDE the clone, so a fresh clone on the same machine (CI) reuses
# the ~40-minute lancedb build instead of starting over.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lance-hashmaps/target}"
# `napi build` always passes `--target <triple>`, and cargo keeps explicit-target artifacts apart from
# host ones. Setting the same target for every cargo command (test, clippy, build) keeps ONE set of
# dependency artifacts; without it, `cargo test` would compile lancedb a second time.
if [ -z "${CARGO_BUILD_TARGET:-}" ]; then
  CARGO_BUILD_TARGET="$(rustc -vV 2>/dev/null | sed -n 's/^host: //p')"
  export CARGO_BUILD_TARGET
fi
# The glibc floor of the Linux binaries (issue 21): on a Linux gnu host every cargo build, test and
# clippy goes through cargo-zigbuild with the target `<triple>.2.17`, so zig compiles the C parts
# of the dependencies (zstd, lz4, aws-lc, ring, blake3) and links against glibc 2.17's symbols.
# Artifacts still land under $CARGO_TARGET_DIR/$CARGO_BUILD_TARGET (the suffix is zig's, not
# cargo's). `cargo_floor <subcommand> …` is the one way the scripts call cargo for a build.
GLIBC_FLOOR=2.17
export ZIG_VENV="${ZIG_VENV:-$HOME/.cache/lance-hashmaps/zig-venv}"
case "$CARGO_BUILD_TARGET" in
  x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu) export ZIG_TARGET="$CARGO_BUILD_TARGET.$GLIBC_FLOOR" ;;
  *) unset ZIG_TARGET ;;
esac
cargo_floor() {
  local sub="$1"
  shift
  if [ -n "${ZIG_TARGET:-}" ]; then
    [ "$sub" = build ] && sub=zigbuild
    cargo-zigbuild "$sub" --target "$ZIG_TARGET" "$@"
  else
    cargo "$sub" "$@"
  fi
}
# The workflow linter (actionlint), in a venv of its own (scripts/setup.sh).
export LINT_VENV="${LINT_VENV:-$HOME/.cache/lance-hashmaps/lint-venv}"
export PATH="$ROOT/node_modules/.bin:$ZIG_VENV/bin:$HOME/.cargo/bin:$PATH"
# lance's tokio warning about 2-core machines is noise in test and demo output.
export RUST_LOG="${RUST_LOG:-error}"
export LANCEDB_LOG="${LANCEDB_LOG:-error}"
# Tests and benches talk to object stores on 127.0.0.1 only, always with credentials. Should a
# credential ever be missing, the AWS SDK's chain must not look for one on the cloud metadata
# address (169.254.169.254): nothing off this machine is ever contacted.
export AWS_EC2_METADATA_DISABLED="${AWS_EC2_METADATA_DISABLED:-true}"
