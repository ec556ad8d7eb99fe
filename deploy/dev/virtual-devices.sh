#!/bin/bash
# Starts the virtual devices the configured drivers need, and says which ones the kiosk will use.
# Today every device class runs on its simulated backend, inside the kiosk process: nothing to start.
# FIXME: the SANE test backend, a private cupsd with ippeveprinter and pcscd with vpcd join here with the
# real drivers (issues on scanning, printing and ID readers).
set -euo pipefail
echo "virtual devices: scanner, printer, ID reader and browser are simulated inside the kiosk"
