#!/usr/bin/env bash
# Every test and check, after doing its own set-up. This is the README's test command (npm test).
# Quicker tiers: `npm run test:rust` (fmt, clippy, cargo test) and `npm run test:js` (lint, types,
# bun test, node --test), each still doing its own set-up first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
tier="${1:-all}"
bash scripts/setup.sh
# The addon's test hook (injectPanic) is off unless the process starts with this (CONTRIBUTING).
export LANCE_HASHMAPS_TEST_HOOKS=1

step() { printf '\n== %s\n' "$*"; }

if [ "$tier" != js ] && [ -d .git ] && command -v git >/dev/null; then
  step "generated native.js / native.d.ts match the committed ones"
  git diff --exit-code -- native.js native.d.ts || {
    echo "native.js or native.d.ts changed when built: commit the regenerated files" >&2
    exit 1
  }
fi

if [ "$tier" != js ]; then
  step "cargo fmt --check"
  cargo fmt --check

  step "cargo clippy (release profile, warnings are errors)"
  cargo_floor clippy --release --all-targets -- -D warnings

  step "cargo test --release (the pure-Rust core)"
  cargo_floor test --release

  if [ -n "${ZIG_TARGET:-}" ]; then
    step "the addon loads on glibc $GLIBC_FLOOR (no newer glibc symbol, nothing but the C runtime linked)"
    node scripts/check-glibc.mjs "lance-hashmaps.$(node -p 'require("./js/platform-name.js").platformName()').node" "$GLIBC_FLOOR"
  fi

  step "actionlint: the workflow files"
  "$LINT_VENV/bin/actionlint" .github/workflows/*.yml
fi

if [ "$tier" != rust ]; then
  step "biome: lint and format of the JS and TS"
  biome check .

  # Two TypeScript compilers are installed (the current one and 5.0, both with a `tsc` bin): each
  # is called by its path.
  tsc_now=(node node_modules/typescript/bin/tsc)
  tsc_50=(node node_modules/typescript-5.0/bin/tsc)
  step "TypeScript $("${tsc_now[@]}" --version | cut -d' ' -f2): tests, examples and bench"
  "${tsc_now[@]}" -p tsconfig.json

  step "TypeScript: the JS layer (index.js, js/) against native.d.ts and its JSDoc types"
  "${tsc_now[@]}" -p tsconfig.js.json

  step "TypeScript: a service's own code accepts the maps (current tsc: ESNext, ES2020 + DOM; tsc $("${tsc_50[@]}" --version | cut -d' ' -f2): ES2020 + DOM)"
  "${tsc_now[@]}" -p __test__/types/tsconfig.esnext.json
  "${tsc_now[@]}" -p __test__/types/tsconfig.es2020.json
  "${tsc_50[@]}" -p __test__/types/tsconfig.es2020.json

  step "bun test"
  bun test --timeout 120000 __test__/

  step "node test runner (the addon under Node)"
  node --expose-gc --test __test__/node/*.node.mjs

  # The oldest runtimes README names (engines in package.json), from fixtures/oldest-runtimes.
  oldest="$ROOT/fixtures/oldest-runtimes/node_modules/.bin"
  step "bun test under Bun $("$oldest/bun" --version) (the oldest Bun README names)"
  "$oldest/bun" test --timeout 120000 __test__/

  step "node test runner under Node $("$oldest/node" --version) (the oldest Node README names)"
  "$oldest/node" --expose-gc --test __test__/node/*.node.mjs
fi
