#!/usr/bin/env bash
# Installs what is missing, builds, and opens Compute Cliff Explorer on its embedded figures.
# Extra arguments go to the app (try --help).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

cliff_install_packages
cliff_build release
app="$CLIFF_ROOT/build/release/app/compute-cliff"
if [ $# -eq 0 ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: running under xvfb-run (nothing will be visible)." >&2
    exec xvfb-run -a "$app"
fi
exec "$app" "$@"
