#!/usr/bin/env bash
# Installs the S3 server the object-store tests run on loopback: moto's `moto_server` (PyPI
# `moto[server]`), in a venv OUTSIDE the clone so a fresh clone on the same machine (CI) reuses it.
# Azurite (the Azure Blob emulator) is an npm devDependency instead: `npm install` brings it.
# Called from scripts/setup.sh; safe to run again: skipped when the pinned version is installed.
#
#   MOTO_VENV   where the venv lives (default $HOME/.cache/lance-hashmaps/venv);
#               fixtures/object-store/servers.ts reads the same variable.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/venv-install.sh" "${MOTO_VENV:-$HOME/.cache/lance-hashmaps/venv}" \
  "moto_server --help" "moto[server]==5.2.5"
