#!/bin/bash
# Installs what is missing, builds, starts the virtual devices and runs the kiosk in a window.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/deploy/dev/setup.sh" "$root/build"
kiosk="$root/build/kiosk/cli/kiosk"

# A demo agent for trying the unlock on the virtual devices only: its file lives in the build tree and a
# deployed configuration never points at it. The agent's badge is the one virtual-badge.py presents by default;
# the technician's is `deploy/dev/pcsc/virtual-badge.py 04C0FFEE`. (PINs became 6 digits: a new file.)
dev_config="$root/build/dev-kiosk.toml"
dev_agents="$root/build/dev-agents-v2.toml"
if [ ! -f "$dev_agents" ]; then
    echo 123456 | "$kiosk" agent add demo --name "Agent de démonstration" --file "$dev_agents"
    echo 999999 | "$kiosk" agent add demo-tech --name "Technicien de démonstration" --role technician --file "$dev_agents"
    "$kiosk" agent set-badge demo 04A1B2C3D4E5F6 --file "$dev_agents"
    "$kiosk" agent set-badge demo-tech 04C0FFEE --file "$dev_agents"
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    cat > "$dev_config" <<TOML
[kiosk]
dev_mode = true
agents_file = "$dev_agents"
audit_log = "$root/build/dev-audit.jsonl"
TOML
    echo "No display here: run it headless with  $kiosk run --headless --config $dev_config --script $root/tests/e2e/scripts/full_session.ks --screenshots /tmp/kiosk-screenshots"
    exit 0
fi

. "$root/deploy/dev/virtual-devices.sh" "$root/build/dev-devices"
trap stop_virtual_devices EXIT
# Partner sites open in Debian's Chromium when it and bubblewrap are installed: the driver confines it to the
# session's folders and shows it the visit's policy itself, so nothing is written to /etc and, as root too,
# Chromium keeps its own sandbox (it runs as user 65534 inside). Otherwise say why the simulated browser stands in.
browser=sim
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/bwrap ]; then
    echo "chromium or bubblewrap is not installed: partner sites use the simulated browser (apt-get install chromium bubblewrap)"
else
    browser=chromium
fi
cat > "$dev_config" <<TOML
[kiosk]
dev_mode = true
agents_file = "$dev_agents"
audit_log = "$root/build/dev-audit.jsonl"
[devices]
scanner = "$KIOSK_DEV_SCANNER"
printer = "$KIOSK_DEV_PRINTER"
idreader = "$KIOSK_DEV_IDREADER"
browser = "$browser"
[display]
fullscreen = false
TOML
echo "agent unlock (virtual devices only): deploy/dev/pcsc/virtual-badge.py, then PIN 123456; technician: virtual-badge.py 04C0FFEE, PIN 999999"
"$kiosk" run --windowed --config "$dev_config" "$@"
