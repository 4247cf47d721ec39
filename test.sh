#!/usr/bin/env bash
# Installs what eqlab needs, builds it and runs every test.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/build.sh
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
cd build
ctest --output-on-failure --timeout 1200 "$@"
