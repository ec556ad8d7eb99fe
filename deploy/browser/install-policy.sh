#!/bin/sh
# Installs the kiosk's managed Chromium policy: /etc/chromium/policies/managed/france-services-kiosk.json.
# Usage: install-policy.sh [KIOSK_USER]   (run as root; KIOSK_USER, when given, may then rewrite that one file)
set -eu

here=$(dirname "$0")
dir=/etc/chromium/policies/managed
file=$dir/france-services-kiosk.json

install -d -o root -g root -m 0755 /etc/chromium/policies "$dir"
install -o root -g root -m 0644 "$here/france-services-kiosk.json" "$file"
if [ "$#" -ge 1 ]; then
    # The driver rewrites the file in place for each partner visit (allow-list, download folder). The directory
    # stays root's, so the kiosk user cannot add a second, conflicting policy file beside it.
    chown "$1" "$file"
fi
echo "installed $file"
