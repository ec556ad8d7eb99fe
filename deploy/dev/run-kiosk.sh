#!/bin/bash
# Installs what is missing, builds, starts the virtual devices and runs the kiosk in a window.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/deploy/dev/setup.sh" "$root/build"
"$root/deploy/dev/virtual-devices.sh"
kiosk="$root/build/kiosk/cli/kiosk"

# A demo agent for trying the unlock on the virtual devices only: its file lives in the build tree and a
# deployed configuration never points at it.
dev_config="$root/build/dev-kiosk.toml"
dev_agents="$root/build/dev-agents.toml"
if [ ! -f "$dev_agents" ]; then
    echo 1234 | "$kiosk" agent add demo --name "Agent de démonstration" --file "$dev_agents"
    echo 999999 | "$kiosk" agent add demo-tech --name "Technicien de démonstration" --role technician --file "$dev_agents"
fi
cat > "$dev_config" <<TOML
[kiosk]
agents_file = "$dev_agents"
audit_log = "$root/build/dev-audit.jsonl"
[display]
fullscreen = false
TOML
echo "agent unlock (virtual devices only): tap the faint round key in the bottom-right corner, PIN 1234 (technician: 999999)"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "No display here: run it headless with  $kiosk run --headless --config $dev_config --script $root/tests/e2e/scripts/full_session.ks --screenshots /tmp/kiosk-screenshots"
    exit 0
fi
exec "$kiosk" run --windowed --config "$dev_config" "$@"
