#!/usr/bin/env bash
# Every test and check, after doing its own set-up. This is the README's test command (npm test).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }

if [ -d .git ] && command -v git >/dev/null; then
  step "generated index.js / index.d.ts match the committed ones"
  git diff --exit-code -- index.js index.d.ts || {
    echo "index.js or index.d.ts changed when built: commit the regenerated files" >&2
    exit 1
  }
fi

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy (release profile, warnings are errors)"
cargo clippy --release --all-targets -- -D warnings

step "cargo test --release (the pure-Rust core)"
cargo test --release

step "TypeScript type check of __test__ and examples"
tsc -p tsconfig.json

step "bun test"
bun test --timeout 120000 __test__/

step "node test runner (the addon under Node)"
node --test __test__/node/smoke.node.mjs
