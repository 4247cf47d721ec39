#!/usr/bin/env bash
# Installs what eqlab needs, builds it and opens the GUI on the bundled model and sample text.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/build.sh
exec build/app/eqlab "$@"
