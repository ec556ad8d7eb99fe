#!/bin/bash
# Starts (or stops) a private cupsd with an IPP Everywhere queue on an ippeveprinter, all under one directory.
#   virtual-printer.sh start DIR [QUEUE] [MODE]    MODE: media-empty or media-jam, set by the printer on each job;
#                                                  fast: each job is done at once instead of ~12 s a page (soak runs)
#   virtual-printer.sh stop DIR                    stops what start started (never daemons it found running)
#   virtual-printer.sh stop-cupsd DIR | start-cupsd DIR   only the cupsd, to test a server that goes away
#   virtual-printer.sh kill-cupsd DIR              SIGKILL to cupsd, as a crash would end it
# start prints shell assignments: CUPS_SERVER, CUPS_STATEDIR, KIOSK_PRINTER_QUEUE, IPPEVE_SPOOL, CUPSD_SPOOL.
set -euo pipefail

command=${1:-}
dir=${2:-}
[[ -n "$command" && -n "$dir" ]] || { echo "usage: $0 start|stop|stop-cupsd|kill-cupsd|start-cupsd DIR [QUEUE] [FAULT]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 10 s for a condition, so a start that fails is reported instead of hanging.
wait_for() {
    for _ in $(seq 100); do
        if eval "$1" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "virtual printer: timed out waiting for: $1" >&2
    return 1
}

# Something listens on the bus's socket: a connection is taken at once by a live bus (however busy), refused on the
# socket a killed bus left behind.
system_bus_answers() {
    python3 -c 'import socket; socket.socket(socket.AF_UNIX).connect("/run/dbus/system_bus_socket")' 2>/dev/null
}

# Runs a daemon that forks into the background; on failure, says what it said and fails. Its output goes to a file:
# a pipe could be held open by the daemon for as long as it runs.
daemon_started() {
    local log="$dir/log/$1.out"
    if ! "$@" </dev/null >"$log" 2>&1 9>&-; then
        echo "virtual printer: $1 did not start: $(cat "$log")" >&2
        return 1
    fi
}

# ippeveprinter needs the system D-Bus and avahi-daemon for DNS-SD; start them when absent and leave them
# running (they are system-wide and may serve others; stop never kills them).
start_dns_sd() {
    # Two printers starting at once (ctest -j) must not both start the bus: the one that loses the race exits and
    # takes the socket with it, leaving a bus nobody can reach and an avahi-daemon that cannot start. One at a time,
    # and a bus is judged by whether its socket is listened on: neither its process nor the socket's path is enough
    # (a bus that was killed leaves its socket behind, and a bus whose socket was removed still runs).
    mkdir -p /run/lock
    exec 9>/run/lock/kiosk-virtual-printer-dns-sd.lock
    flock 9
    if ! system_bus_answers; then
        # Only the system bus (a session bus serves someone else), and gone before the new one starts: a bus on its
        # way out removes the socket path, which would then be the new one's.
        pkill -f 'dbus-daemon --system' || true
        pkill -x avahi-daemon || true # it was on the bus that is gone
        wait_for "! pgrep -f 'dbus-daemon --system'" || true # a zombie left by a dead parent holds nothing
        wait_for "! pgrep -x avahi-daemon" || true
        mkdir -p /run/dbus
        rm -f /run/dbus/pid /run/avahi-daemon/pid
        rm -f /run/dbus/system_bus_socket # a socket nothing listens on
        # The daemons must not hold the lock; what they say on the way up is kept for a start that fails.
        daemon_started dbus-daemon --system --fork
        wait_for system_bus_answers
    fi
    if ! avahi-daemon -c; then
        rm -f /run/avahi-daemon/pid
        daemon_started avahi-daemon -D --no-drop-root
        wait_for "avahi-daemon -c"
    fi
    exec 9>&-
}

start_cupsd() {
    rm -f "$dir/cupsd.dead"
    cupsd -f -c "$dir/etc/cupsd.conf" -s "$dir/etc/cups-files.conf" >"$dir/log/cupsd.out" 2>&1 &
    echo $! >"$dir/cupsd.pid"
    wait_for "test -S '$dir/cups.sock' && CUPS_SERVER='$dir/cups.sock' lpstat -r | grep -q 'is running'"
}

stop_pid() {
    local file=$1
    [[ -f "$file" ]] || return 0
    local pid
    pid=$(cat "$file")
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

# The backends and filters cupsd started for this directory's jobs. A cupsd that was killed leaves them running,
# and an IPP backend whose printer is gone retries for ever.
stop_children_of_this_cupsd() {
    local proc
    for proc in /proc/[0-9]*; do
        if { tr '\0' '\n' <"$proc/environ"; } 2>/dev/null | grep -qx "CUPS_SERVERROOT=$dir/etc"; then
            kill -9 "${proc#/proc/}" 2>/dev/null || true
        fi
    done
}

case "$command" in
start)
    queue=${3:-kiosk}
    fault=${4:-}
    mkdir -p "$dir"
    chmod 755 "$dir"
    mkdir -p "$dir/etc/ppd" "$dir/spool" "$dir/tmp" "$dir/cache" "$dir/state" "$dir/log" "$dir/printer"
    chmod 1777 "$dir/tmp"
    chown lp "$dir/spool" "$dir/cache" "$dir/state"
    cat >"$dir/etc/cups-files.conf" <<CONF
ServerRoot $dir/etc
RequestRoot $dir/spool
TempDir $dir/tmp
CacheDir $dir/cache
StateDir $dir/state
ErrorLog $dir/log/error_log
AccessLog $dir/log/access_log
PageLog $dir/log/page_log
Printcap $dir/printcap
User lp
Group lp
CONF
    cat >"$dir/etc/cupsd.conf" <<CONF
LogLevel info
Listen $dir/cups.sock
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
    cat "$here/../../cups/cupsd-kiosk.conf" >>"$dir/etc/cupsd.conf"
    cupsd -t -c "$dir/etc/cupsd.conf" -s "$dir/etc/cups-files.conf" >"$dir/log/cupsd-check.out" 2>&1 ||
        { cat "$dir/log/cupsd-check.out" >&2; exit 1; }

    fault_args=()
    if [[ "$fault" == fast ]]; then
        printf '#!/bin/sh\nexit 0\n' >"$dir/printer/fast.sh"
        chmod 755 "$dir/printer/fast.sh"
        fault_args=(-c "$dir/printer/fast.sh")
    elif [[ -n "$fault" ]]; then
        [[ "$fault" == media-empty || "$fault" == media-jam ]] || { echo "virtual printer: unknown fault $fault" >&2; exit 2; }
        # The printer reports the fault while it "prints", then fails the job as a real one does.
        cat >"$dir/printer/fault.sh" <<SCRIPT
#!/bin/sh
echo "STATE: +$fault-error" >&2
sleep 1
exit 1
SCRIPT
        chmod 755 "$dir/printer/fault.sh"
        fault_args=(-c "$dir/printer/fault.sh")
    fi
    start_dns_sd
    port=$(free_port)
    ippeveprinter -r off -p "$port" -d "$dir/printer" -k "${fault_args[@]}" \
        -f application/pdf,image/jpeg,image/pwg-raster,image/urf "kiosk-test-$port" >"$dir/log/ippeveprinter.out" 2>&1 &
    echo $! >"$dir/ippeveprinter.pid"
    wait_for "ipptool -T 2 ipp://localhost:$port/ipp/print get-printer-attributes.test"
    start_cupsd
    CUPS_SERVER="$dir/cups.sock" CUPS_STATEDIR="$dir/state" \
        lpadmin -p "$queue" -E -v "ipp://localhost:$port/ipp/print" -m everywhere
    CUPS_SERVER="$dir/cups.sock" CUPS_STATEDIR="$dir/state" lpadmin -d "$queue"
    # cupsd applies these changes with a delayed reload that would undo a state set right after (a queue
    # stopped by a test comes back enabled); a restart saves and loads them at once.
    stop_pid "$dir/cupsd.pid"
    start_cupsd
    echo "CUPS_SERVER=$dir/cups.sock"
    echo "CUPS_STATEDIR=$dir/state"
    echo "KIOSK_PRINTER_QUEUE=$queue"
    echo "IPPEVE_SPOOL=$dir/printer"
    echo "CUPSD_SPOOL=$dir/spool"
    echo "IPPEVE_URI=ipp://localhost:$port/ipp/print"
    ;;
stop)
    stop_pid "$dir/cupsd.pid"
    stop_pid "$dir/ippeveprinter.pid"
    stop_children_of_this_cupsd
    ;;
stop-cupsd)
    stop_pid "$dir/cupsd.pid"
    ;;
kill-cupsd)
    pid=$(cat "$dir/cupsd.pid")
    kill -9 "$pid"
    # Gone, or a zombie its new parent has not reaped yet: either way it serves nothing.
    for _ in $(seq 50); do
        state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
        [[ -z "$state" || "$state" == Z ]] && break
        sleep 0.1
    done
    # Kept under another name, for the tests' diagnosis; stop must never signal a pid that may be reused.
    mv "$dir/cupsd.pid" "$dir/cupsd.dead"
    ;;
start-cupsd)
    start_cupsd
    ;;
*)
    echo "usage: $0 start|stop|stop-cupsd|kill-cupsd|start-cupsd DIR [QUEUE] [FAULT]" >&2
    exit 2
    ;;
esac
