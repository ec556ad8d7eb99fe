#!/bin/bash
# Starts the virtual devices for a development run and exports what the kiosk needs to reach them.
# Source it:  . deploy/dev/virtual-devices.sh DIR   then  stop_virtual_devices  when done.
#   scanner: the SANE test backend (SANE_CONFIG_DIR → deploy/dev/sane, A4 pages)
#   printer: a private cupsd with an IPP Everywhere queue on an ippeveprinter (deploy/dev/cups)
#   badges:  pcscd with the vsmartcard vpcd reader (deploy/dev/pcsc); put a badge with virtual-badge.py
# Sets KIOSK_DEV_SCANNER, KIOSK_DEV_PRINTER and KIOSK_DEV_IDREADER to the driver strings to use.
dev_root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
virtual_dir=${1:?usage: . virtual-devices.sh DIR}
mkdir -p "$virtual_dir"
chmod 755 "$virtual_dir"

export SANE_CONFIG_DIR="$dev_root/sane"
export KIOSK_DEV_SCANNER="sane:device=test:0,paper=a4"
echo "virtual devices: scanner = SANE test backend (test:0)"

if printer_env=$("$dev_root/cups/virtual-printer.sh" start "$virtual_dir/cups"); then
    eval "$printer_env"
    export CUPS_SERVER CUPS_STATEDIR
    export KIOSK_DEV_PRINTER="cups:queue=$KIOSK_PRINTER_QUEUE,server=$CUPS_SERVER"
    echo "virtual devices: printer = private cupsd, queue $KIOSK_PRINTER_QUEUE; printed files land in $IPPEVE_SPOOL"
else
    export KIOSK_DEV_PRINTER="sim:dir=$virtual_dir/printed"
    echo "virtual devices: the private cupsd did not start; printing goes to the simulated printer ($virtual_dir/printed)"
fi

if "$dev_root/pcsc/start-pcscd.sh"; then
    export KIOSK_DEV_IDREADER="pcsc"
    echo "virtual devices: badge reader = pcscd + vpcd; badge: $dev_root/pcsc/virtual-badge.py 04A1B2C3D4E5F6"
else
    export KIOSK_DEV_IDREADER="sim"
    echo "virtual devices: pcscd did not start; the ID reader is simulated"
fi

stop_virtual_devices() {
    "$dev_root/cups/virtual-printer.sh" stop "$virtual_dir/cups" > /dev/null 2>&1 || true
}
