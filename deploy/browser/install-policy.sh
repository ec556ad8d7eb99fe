#!/bin/sh
# Installs the kiosk's baseline Chromium policy: /etc/chromium/policies/managed/france-services-kiosk.json, owned
# by root. It blocks every site for a Chromium started outside the kiosk. The kiosk never writes it: each visit's
# own policy lives in the session and the kiosk's sandbox (bubblewrap) shows it to Chromium in its place.
# Usage: install-policy.sh   (run as root)
set -eu

here=$(dirname "$0")
dir=/etc/chromium/policies/managed
file=$dir/france-services-kiosk.json

install -d -o root -g root -m 0755 /etc/chromium/policies "$dir"
install -o root -g root -m 0644 "$here/france-services-kiosk.json" "$file"
echo "installed $file"
