#!/bin/bash
# Boot figures of the kiosk image (README "Booted image"): power-on -> attract screen, beside the same image booted
# to multi-user.target with the kiosk masked (power-on -> serial login prompt), and their ratio. QEMU in TCG.
#   tests/bench/boot_bench.sh [BUILD_DIR] [DEB]     (as root; default build/, the package built there)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
args=(--build-dir "$build" --figures-only)
[ -n "${2:-}" ] && args+=(--deb "$2")
exec python3 "$root/tests/image/image_test.py" "${args[@]}"
