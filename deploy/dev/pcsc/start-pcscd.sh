#!/bin/bash
# Starts pcscd with the vsmartcard vpcd reader for the dev run command ("Virtual PCD 00 00" on TCP 35963,
# "Virtual PCD 00 01" on 35964), unless one is running already. Prints the pid of the one it started.
# Stop it with:  kill "$(tr -dc 0-9 </run/pcscd/pcscd.pid)"   (pcscd removes its socket on SIGTERM)
set -euo pipefail
if [ ! -f /etc/reader.conf.d/vpcd ]; then
    echo "start-pcscd: /etc/reader.conf.d/vpcd is missing: install vsmartcard-vpcd" >&2
    exit 1
fi
# pcscd writes its pid file with a trailing NUL byte: keep the digits only.
running=$(tr -dc 0-9 2>/dev/null </run/pcscd/pcscd.pid || true)
if [ -n "$running" ] && kill -0 "$running" 2>/dev/null; then
    echo "start-pcscd: pcscd already running (pid $running); reusing it"
    exit 0
fi
log=${PCSCD_LOG:-/tmp/kiosk-pcscd.log}
pcscd --foreground >"$log" 2>&1 &
pid=$!
for _ in $(seq 50); do
    [ -S /run/pcscd/pcscd.comm ] && break
    kill -0 "$pid" 2>/dev/null || { echo "start-pcscd: pcscd exited; see $log" >&2; exit 1; }
    sleep 0.1
done
echo "start-pcscd: pcscd started (pid $pid, log $log); a virtual badge: $(dirname "$0")/virtual-badge.py"
