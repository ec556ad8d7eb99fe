#!/bin/bash
# Installs what is missing, builds, starts the virtual devices and runs the kiosk in a window.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/deploy/dev/setup.sh" "$root/build"
"$root/deploy/dev/virtual-devices.sh"
kiosk="$root/build/kiosk/cli/kiosk"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "No display here: run it headless with  $kiosk run --headless --script $root/tests/e2e/scripts/full_session.ks --screenshots /tmp/kiosk-screenshots"
    exit 0
fi
exec "$kiosk" run --windowed "$@"
