#!/usr/bin/env bash
# Installs the toolchain that gives the Linux binaries their glibc 2.17 floor: zig as the C
# compiler and linker (PyPI `ziglang`), driven by cargo-zigbuild (PyPI `cargo-zigbuild`), in the
# venv $ZIG_VENV outside the clone (scripts/env.sh). Why zig: CONTRIBUTING.md, "The glibc floor".
# Called from scripts/setup.sh; safe to run again: skipped when the pinned versions are installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ -n "${ZIG_TARGET:-}" ] || exit 0 # not a Linux gnu host: plain cargo, no floor to enforce
bash "$ROOT/scripts/venv-install.sh" "$ZIG_VENV" "cargo-zigbuild --help && python3 -m ziglang version" \
  "ziglang==0.17.0" "cargo-zigbuild==0.24.0"
