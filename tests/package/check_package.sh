#!/bin/bash
# Builds the Debian package with CPack into a temporary directory and checks it: its name, what it installs,
# its Depends and conffiles, lintian, the units (systemd-analyze verify and the README's security scores),
# sysusers.d and tmpfiles.d applied to the unpacked tree.
# Usage: check_package.sh BUILD_DIR VERSION INSTALL_PREFIX
set -euo pipefail

build_dir=$1
version=$2
prefix=$3
if [ "$prefix" != /usr ]; then
    echo "FAIL: $build_dir is configured with CMAKE_INSTALL_PREFIX=$prefix; the package needs /usr (a new build" \
        "directory has it; for this one: cmake -DCMAKE_INSTALL_PREFIX=/usr $build_dir)"
    exit 1
fi
arch=$(dpkg --print-architecture)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# Exposure levels (systemd-analyze security, ×10) that the README gives; a change that raises one fails here.
max_exposure_kiosk=26

(cd "$build_dir" && cpack --config CPackConfig.cmake -B "$work/out" > "$work/cpack.log" 2>&1) || {
    cat "$work/cpack.log"
    echo "FAIL: cpack"
    exit 1
}
deb=$work/out/france-services-kiosk_${version}_${arch}.deb
[ -f "$deb" ] || {
    ls "$work/out"
    echo "FAIL: no $deb"
    exit 1
}
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# What it installs.
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||' > "$work/contents"
for path in /usr/bin/kiosk \
    /usr/libexec/france-services-kiosk/kiosk-run /usr/libexec/france-services-kiosk/kiosk-wipe \
    /usr/libexec/france-services-kiosk/kiosk-agent /usr/libexec/france-services-kiosk/kiosk-config \
    /usr/libexec/france-services-kiosk/merge-cupsd-conf \
    /usr/libexec/france-services-kiosk/session \
    /usr/libexec/france-services-kiosk/restart-when-idle \
    /usr/share/france-services-kiosk/assets/catalogue.toml /usr/share/france-services-kiosk/cups/cupsd-kiosk.conf \
    /etc/france-services-kiosk/kiosk.toml /etc/chromium/policies/managed/france-services-kiosk.json \
    /etc/pam.d/france-services-kiosk \
    /lib/systemd/system/france-services-kiosk.service /lib/systemd/system/cups.service.d/france-services-kiosk.conf \
    /usr/lib/sysusers.d/france-services-kiosk.conf /usr/lib/tmpfiles.d/france-services-kiosk.conf \
    /usr/lib/sysctl.d/50-france-services-kiosk.conf /usr/lib/systemd/logind.conf.d/france-services-kiosk.conf \
    /usr/share/X11/xorg.conf.d/50-france-services-kiosk.conf \
    /usr/share/doc/france-services-kiosk/copyright /usr/share/doc/france-services-kiosk/changelog.gz; do
    grep -qxF "$path" "$work/contents" || fail "the package does not install $path"
done
if grep -E '^/usr/local|^/home|^/tmp' "$work/contents"; then
    fail "files outside the places a package may use"
fi
# Files in /etc owned by root, everything else too (no build user's ids).
if dpkg-deb -c "$deb" | awk '$2 != "root/root"' | grep .; then
    fail "files not owned by root"
fi

# Depends: what dpkg-shlibdeps found, and the programs the kiosk runs.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for package in libsdl2-2.0-0 libcups2 libsane1 libpcsclite1 libpoppler-cpp0v5 libcairo2 libpangocairo-1.0-0 \
    chromium bubblewrap cups-daemon cups-filters sane-utils pcscd xserver-xorg-core xserver-xorg-input-libinput \
    libpam-systemd fonts-dejavu-core fonts-font-awesome libcurl4 libespeak-ng1; do
    [[ ", $depends," == *", $package"[\ ,]* ]] || fail "Depends lacks $package"
done
[[ $(dpkg-deb -f "$deb" Conflicts) == *xserver-xorg-legacy* ]] || fail "Conflicts lacks xserver-xorg-legacy"

# Control archive: conffiles and maintainer scripts.
dpkg-deb -e "$deb" "$work/control"
for conffile in /etc/france-services-kiosk/kiosk.toml /etc/chromium/policies/managed/france-services-kiosk.json \
    /etc/pam.d/france-services-kiosk; do
    grep -qxF "$conffile" "$work/control/conffiles" || fail "$conffile is not a conffile"
done
for script in postinst prerm postrm; do
    [ -x "$work/control/$script" ] || fail "no executable $script"
    sh -n "$work/control/$script" || fail "$script: syntax"
done

# lintian: no errors (warnings are listed in the README).
if command -v lintian > /dev/null; then
    lintian --tag-display-limit 0 "$deb" > "$work/lintian.log" 2>&1 || true
    cat "$work/lintian.log"
    if grep -q '^E:' "$work/lintian.log"; then
        fail "lintian reports errors"
    fi
else
    echo "SKIP lintian: not installed (deploy/dev/packages.txt lists it; run deploy/dev/setup.sh)"
fi

# The unpacked tree: the configuration is the real one, the units verify, sysusers and tmpfiles apply.
root=$work/root
dpkg-deb -x "$deb" "$root"
config=$root/etc/france-services-kiosk/kiosk.toml
for line in 'runtime_dir = "/run/kiosk"' 'audit_log = "/var/log/france-services-kiosk/audit.jsonl"' \
    'agents_file = "/var/lib/france-services-kiosk/agents.toml"' 'scanner = "sane"' \
    'printer = "cups:user=france-services-kiosk"' 'idreader = "pcsc"' 'browser = "chromium"'; do
    grep -qxF "$line" "$config" || fail "kiosk.toml lacks: $line"
done

# systemd-analyze verify checks that the programs exist in the tree: stand-ins for what Depends brings.
mkdir -p "$root/usr/sbin" "$root/lib/systemd/system"
for program in /usr/sbin/cupsd /usr/bin/pkill; do
    [ -e "$root$program" ] || install -m 0755 /dev/null "$root$program"
done
# The targets and services the units name (sysinit.target, cups.service…) come from this machine's systemd.
cp -rn /lib/systemd/system/. "$root/lib/systemd/system/"
units=(france-services-kiosk.service)
[ -f /lib/systemd/system/cups.service ] && units+=(cups.service)
if systemd-analyze verify --root="$root" "${units[@]}" > "$work/verify.log" 2>&1; then
    echo "systemd-analyze verify: ${units[*]} OK"
else
    cat "$work/verify.log"
    fail "systemd-analyze verify"
fi
systemd-analyze security --offline=yes --threshold=$max_exposure_kiosk \
    "$root/lib/systemd/system/france-services-kiosk.service" > "$work/security.log" 2>&1 || {
    tail -1 "$work/security.log"
    fail "france-services-kiosk.service is more exposed than the README's $max_exposure_kiosk"
}
tail -1 "$work/security.log"

systemd-sysusers --root="$root" > "$work/sysusers.log" 2>&1 || {
    cat "$work/sysusers.log"
    fail "sysusers.d entry"
}
grep -q '^france-services-kiosk:x:[0-9]*:[0-9]*:.*:/var/lib/france-services-kiosk:/usr/sbin/nologin$' \
    "$root/etc/passwd" || fail "sysusers: no france-services-kiosk system user with no login shell"
for group in video render input scanner dialout audio; do
    grep -q "^$group:.*france-services-kiosk" "$root/etc/group" || fail "france-services-kiosk not in group $group"
done
if systemd-tmpfiles --root="$root" --create france-services-kiosk.conf > "$work/tmpfiles.log" 2>&1; then
    [ "$(stat -c %a "$root/run/kiosk")" = 700 ] || fail "/run/kiosk is not 0700"
    [ "$(stat -c %U "$root/var/lib/france-services-kiosk")" = root ] || fail "the agents' directory is not root's"
else
    cat "$work/tmpfiles.log"
    fail "tmpfiles.d entry"
fi

# The cupsd settings merge into a configuration cupsd accepts.
if command -v cupsd > /dev/null && [ -f /etc/cups/cupsd.conf ]; then
    KIOSK_CUPSD_SETTINGS=$root/usr/share/france-services-kiosk/cups/cupsd-kiosk.conf \
        "$root/usr/libexec/france-services-kiosk/merge-cupsd-conf" "$work/cups/cupsd.conf" 2> "$work/cups.log" || {
        cat "$work/cups.log"
        fail "merge-cupsd-conf"
    }
    grep -qx 'PreserveJobFiles No' "$work/cups/cupsd.conf" || fail "the merged cupsd.conf lacks the kiosk's settings"
fi

# Install and purge in a throwaway Debian 12 tree (a chroot; the package's dependencies are not installed there,
# so --force-depends): the user, its directories and the service link appear; after what a session and an agent
# leave, a purge must leave the tree as it was. The base tree is made once with mmdebstrap (a minute, from the
# Debian archive) and kept in the build directory; without root or mmdebstrap this part is skipped.
base=$build_dir/package-test-root
if [ "$(id -u)" != 0 ]; then
    echo "SKIP install/purge: needs root (chroot)"
elif [ ! -d "$base" ] && ! command -v mmdebstrap > /dev/null; then
    echo "SKIP install/purge: no $base and no mmdebstrap to make it"
elif [ ! -d "$base" ] && ! mmdebstrap --variant=apt --mode=root --include=systemd,passwd bookworm "$base.new" \
    > "$work/mmdebstrap.log" 2>&1; then
    tail -3 "$work/mmdebstrap.log"
    rm -rf "$base.new"
    echo "SKIP install/purge: mmdebstrap could not make a Debian 12 tree"
else
    [ -d "$base" ] || mv "$base.new" "$base"
    tree=$work/tree
    cp -a "$base" "$tree"
    mount -t proc proc "$tree/proc"
    trap 'umount "$tree/proc" 2> /dev/null; rm -rf "$work"' EXIT
    # Everything but dpkg's own records; /etc by content. Groups the package's dependencies would have made
    # (render, input, scanner) are shared and stay: of users and groups, compare what names the kiosk's user.
    snapshot() {
        (cd "$tree" && find . -xdev \( -path ./var/lib/dpkg -o -path ./var/log/dpkg.log -o -path ./var/cache -o \
            -path ./tmp -o -path ./proc -o -name 'passwd-' -o -name 'group*' -o -name 'shadow-' -o -name 'gshadow*' \) \
            -prune -o -printf '%p %m %u %g\n' | sort
        find etc -xdev -type f ! -name 'group*' ! -name 'gshadow*' ! -name '*-' -exec md5sum {} + | sort -k2
        grep -h france-services-kiosk etc/passwd etc/shadow etc/group etc/gshadow || true)
    }
    snapshot > "$work/before"
    cp "$deb" "$tree/tmp/package.deb"
    chroot "$tree" dpkg -i --force-depends --force-conflicts /tmp/package.deb > "$work/dpkg.log" 2>&1 ||
        fail "dpkg -i in a fresh tree: $(tail -3 "$work/dpkg.log")"
    chroot "$tree" id france-services-kiosk > /dev/null || fail "installed: no user france-services-kiosk"
    [ "$(chroot "$tree" stat -c '%a %U' /run/kiosk)" = "700 france-services-kiosk" ] || fail "installed: /run/kiosk"
    [ -L "$tree/etc/systemd/system/graphical.target.wants/france-services-kiosk.service" ] ||
        fail "installed: the service is not enabled"
    chroot "$tree" sh -c 'touch /var/log/france-services-kiosk/audit.jsonl /var/lib/france-services-kiosk/agents.toml
        mkdir /run/kiosk/session-0 && echo "# changed" >> /etc/france-services-kiosk/kiosk.toml'
    chroot "$tree" dpkg --purge france-services-kiosk > "$work/dpkg.log" 2>&1 ||
        fail "dpkg --purge: $(tail -3 "$work/dpkg.log")"
    rm -f "$tree/tmp/package.deb"
    snapshot > "$work/after"
    if diff "$work/before" "$work/after"; then
        echo "install and purge: nothing left behind"
    else
        fail "the purge left the lines above behind"
    fi
fi

# The session unit under systemd 252 (systemd-nspawn --boot of a Debian 12 tree with the package, bubblewrap,
# Chromium, cupsd and Xvfb). A container has no VT, GPU or seat; tests/package/boot/ holds the test's drop-ins and
# stand-ins. Checked: the unit itself, with Xvfb for Xorg and a stand-in kiosk, opens its PAM session, wipes,
# starts the display, execs the kiosk as its main process and takes its READY=1, and a stop reaches the kiosk
# while its display is up; a copy of the unit with every hardening setting runs bubblewrap and Chromium with its
# own sandbox as the kiosk's user; cupsd runs with the package's drop-in and comes back after a crash.
# The tree is made once (about a minute, 1.3 GB) and kept in the build directory.
boot_tree=$build_dir/package-test-root-browser
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ] || ! command -v systemd-nspawn > /dev/null || [ ! -d "$base" ]; then
    echo "SKIP the unit under systemd: needs root, systemd-nspawn (systemd-container) and the Debian 12 tree"
elif [ ! -d "$boot_tree" ] && ! {
    rm -rf "$boot_tree.new" && cp -a "$base" "$boot_tree.new" && cp /etc/resolv.conf "$boot_tree.new/etc/" &&
        chroot "$boot_tree.new" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends bubblewrap chromium cups-daemon xvfb python3-minimal' > "$work/boot-tree.log" 2>&1 &&
        mv "$boot_tree.new" "$boot_tree"
}; then
    tail -3 "$work/boot-tree.log"
    echo "SKIP the unit under systemd: could not install the test's packages in a Debian 12 tree"
else
    cp "$deb" "$boot_tree/tmp/package.deb"
    chroot "$boot_tree" dpkg -i --force-depends --force-conflicts /tmp/package.deb > "$work/dpkg.log" 2>&1 ||
        fail "dpkg -i in the boot tree: $(tail -3 "$work/dpkg.log")"
    units=$boot_tree/etc/systemd/system
    rm -rf "$boot_tree/tmp/package.deb" "$boot_tree/root/kiosk-"*.txt "$boot_tree/root/cups-report.txt" \
        "$boot_tree/var/log/france-services-kiosk/"* "$units/france-services-kiosk.service.d" \
        "$units/france-services-kiosk-sandbox.service"*
    install -m 0755 "$here/boot/Xorg-standin" "$boot_tree/usr/bin/Xorg"
    install -m 0755 "$here/boot/kiosk-standin" "$boot_tree/usr/bin/kiosk"
    install -D -m 0644 "$here/boot/france-services-kiosk-test.conf" "$units/france-services-kiosk.service.d/test.conf"
    cp "$boot_tree/lib/systemd/system/france-services-kiosk.service" "$units/france-services-kiosk-sandbox.service"
    install -D -m 0644 "$here/boot/france-services-kiosk-sandbox-test.conf" \
        "$units/france-services-kiosk-sandbox.service.d/test.conf"
    install -D -m 0755 "$here/boot/sandbox-check" "$boot_tree/usr/local/bin/sandbox-check"
    install -D -m 0755 "$here/boot/report-and-poweroff" "$boot_tree/usr/local/bin/report-and-poweroff"
    install -m 0644 "$here/boot/report-and-poweroff.service" "$units/report-and-poweroff.service"
    for unit in report-and-poweroff.service france-services-kiosk-sandbox.service; do
        ln -sf "/etc/systemd/system/$unit" "$units/graphical.target.wants/$unit"
    done
    timeout 120 systemd-nspawn --quiet --boot --register=no --keep-unit -D "$boot_tree" > "$work/boot.log" 2>&1 ||
        fail "systemd-nspawn --boot: $(tail -3 "$work/boot.log")"
    log=$boot_tree/var/log/france-services-kiosk
    cat "$log/kiosk-standin" "$boot_tree/root/kiosk-state.txt" 2> /dev/null
    grep -q '^wipe as [1-9]' "$log/kiosk-standin" 2> /dev/null || fail "session: no wipe as the kiosk's user"
    grep -q '^run: .*display alive, WATCHDOG_PID is own pid: True, WATCHDOG_USEC=30000000$' "$log/kiosk-standin" \
        2> /dev/null || fail "session: the kiosk did not run as main process on a live display with the watchdog"
    grep -qx 'kiosk: active' "$boot_tree/root/kiosk-state.txt" 2> /dev/null ||
        fail "session: not active (READY=1 from the kiosk not taken?)"
    grep -qx 'sigterm: display alive' "$log/kiosk-standin" 2> /dev/null ||
        fail "session: a stop did not reach the kiosk while its display was up"
    grep -qx 'after stop: inactive' "$boot_tree/root/kiosk-state.txt" 2> /dev/null || fail "session: did not stop"
    result=$log/sandbox-check
    if [ -f "$result" ]; then
        cat "$result"
        grep -qx 'france-services-kiosk' "$result" || fail "under systemd: not run as france-services-kiosk"
        grep -q '^session: [0-9]' "$result" || fail "under systemd: the PAM file opened no logind session"
        grep -q '^NoNewPrivs:.*1$' "$result" || fail "under systemd: NoNewPrivileges not in effect"
        grep -q '^CapBnd:.*0000000000000000$' "$result" || fail "under systemd: capabilities left"
        grep -q '^Seccomp:.*2$' "$result" || fail "under systemd: no system call filter"
        grep -q 'wrote under /usr' "$result" && fail "under systemd: /usr is writable"
        grep -q 'sandbox-ok' "$result" || fail "under systemd: Chromium in bubblewrap did not run"
    else
        fail "under systemd: the sandbox check did not run (no $result)"
    fi
    # cupsd with the drop-in: the merged settings, and back after a crash.
    cups=$boot_tree/root/cups-report.txt
    cat "$cups" 2> /dev/null
    grep -qx 'cups: active' "$cups" 2> /dev/null || fail "under systemd: cupsd did not start with the drop-in"
    grep -q '^cmdline: /usr/sbin/cupsd -l -c /run/cups-france-services-kiosk/cupsd.conf -s /etc/cups/cups-files.conf' \
        "$cups" 2> /dev/null || fail "under systemd: cupsd does not run with the merged cupsd.conf"
    grep -qx 'PreserveJobFiles No' "$cups" 2> /dev/null || fail "under systemd: the merged cupsd.conf lacks the settings"
    grep -q '^after SIGSEGV: active, restarts [1-9]' "$cups" 2> /dev/null || fail "under systemd: cupsd not restarted"
    if [ $failures -gt 0 ]; then
        cat "$boot_tree/root/kiosk-status.txt" "$boot_tree/root/kiosk-journal.txt" 2> /dev/null | tail -40
    fi
fi

if [ $failures -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "package checks passed"
