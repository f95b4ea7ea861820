# Sourced by every script: one place for the paths all of them share.
# The cargo target dir lives OUTSIDE the clone, so a fresh clone on the same machine (CI) reuses
# the ~40-minute lancedb build instead of starting over.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lance-hashmaps/target}"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# lance's tokio warning about 2-core machines is noise in test and demo output.
export RUST_LOG="${RUST_LOG:-error}"
