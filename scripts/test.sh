#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole test suite without
# a display. With --sanitize, builds and tests under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

preset=ci
case "${1:-}" in
    "") ;;
    --sanitize) preset=asan ;;
    *) echo "usage: scripts/test.sh [--sanitize]" >&2; exit 2 ;;
esac

cliff_install_packages
cliff_build "$preset"
export QT_QPA_PLATFORM=offscreen
ctest --preset "$preset" -j 2
