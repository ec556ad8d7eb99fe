#!/usr/bin/env python3
"""ctest "image: boot": the packaged kiosk in a booted Debian 12 image, in QEMU (TCG).

Builds the package (cmake --build BUILD --target package), the image from it (deploy/image/build-image.sh, its cache
under BUILD/image/cache), then boots it and checks that france-services-kiosk.service is active with the attract
screen on the display (a screendump), that a kill -9 of the kiosk is followed by a restart with a startup purge in
the audit log, and measures power-on -> attract screen beside the same image booted to multi-user.target with the
kiosk masked (power-on -> login prompt on the serial console).

  image_test.py --build-dir BUILD [--deb FILE] [--figures-only] [--keep]
--deb skips the package build; --figures-only only boots and prints the figures (tests/bench/boot_bench.sh).
Exit 77 (skipped) when the build tree has no package target or this is not root (the image is built as root).
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk_vm import VM, attract_screen_check, temporary_dir, wait_until  # noqa: E402

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
UNIT = "france-services-kiosk.service"
AUDIT = "/var/log/france-services-kiosk/audit.jsonl"
BOOT_TIMEOUT = 300


def log(message):
    print(f"image: {message}", flush=True)


def skip(message):
    print(f"image: SKIPPED: {message}", flush=True)
    sys.exit(77)


def build_package(build_dir):
    if not os.path.exists(os.path.join(build_dir, "CPackConfig.cmake")):
        skip(f"{build_dir} has no package target (CPackConfig.cmake)")
    started = time.monotonic()
    subprocess.run(["nice", "cmake", "--build", build_dir, "--target", "package"], check=True,
                   stdout=subprocess.DEVNULL)
    debs = sorted(glob.glob(os.path.join(build_dir, "france-services-kiosk_*_amd64.deb")), key=os.path.getmtime)
    if not debs:
        raise RuntimeError(f"the package target made no france-services-kiosk_*_amd64.deb in {build_dir}")
    log(f"package {os.path.basename(debs[-1])} built in {time.monotonic() - started:.0f} s")
    return debs[-1]


def build_image(deb, image_dir, cache_dir):
    started = time.monotonic()
    subprocess.run([os.path.join(SOURCE, "deploy", "image", "build-image.sh"), deb, image_dir, cache_dir],
                   check=True, stdout=subprocess.DEVNULL)
    log(f"image built in {time.monotonic() - started:.0f} s")


def unit_state(vm):
    """(ActiveState, MainPID, NRestarts) of the kiosk's unit in the guest."""
    code, out, err = vm.run("/bin/systemctl", "show", "-p", "ActiveState", "-p", "MainPID", "-p", "NRestarts", UNIT)
    if code != 0:
        raise RuntimeError(f"systemctl show {UNIT}: {err.strip()}")
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return values.get("ActiveState"), int(values.get("MainPID", "0")), int(values.get("NRestarts", "0"))


def startup_purges(vm):
    """The audit log's startup_purge lines, in order."""
    code, out, _ = vm.run("/bin/grep", "startup_purge", AUDIT)
    return [line for line in out.splitlines() if line.strip()] if code in (0, 1) else []


def check_devices(vm):
    """The virtual devices answer the kiosk's user as the packaged kiosk.toml reaches them."""
    code, out, err = vm.run("/sbin/runuser", "-u", "france-services-kiosk", "--", "scanimage", "-L")
    if "test:0" not in out:
        raise AssertionError(f"scanimage -L as the kiosk's user lists no SANE test device: {out.strip()} {err.strip()}")

    def default_printer():
        return "system default destination: Virtuelle" in vm.run("/usr/bin/lpstat", "-d")[1]

    wait_until("the default CUPS destination Virtuelle (virtual-printer-queue.service)", default_printer, 60, vm=vm)
    code, out, _ = vm.run("/bin/systemctl", "is-active", "pcscd.socket")
    if out.strip() != "active":
        raise AssertionError(f"pcscd.socket is {out.strip()}")
    _, analyze, _ = vm.run("/usr/bin/systemd-analyze", "time")
    log("devices: SANE test:0, CUPS default Virtuelle, pcscd.socket; guest " + analyze.splitlines()[0]
        if analyze else "devices: SANE test:0, CUPS default Virtuelle, pcscd.socket")


def wait_for_attract(vm, work_dir, timeout):
    """Seconds from QEMU's start to the first screendump showing the attract screen; the last reason otherwise."""
    path = os.path.join(work_dir, f"{vm.name}-screen.ppm")
    last = ["no screendump yet"]

    def attract_shown():
        vm.screendump(path)
        last[0] = attract_screen_check(path)
        return last[0] is None

    try:
        wait_until("the attract screen", attract_shown, timeout, interval=0.5, vm=vm)
    except TimeoutError:
        raise TimeoutError(f"no attract screen {timeout} s after power-on: {last[0]} (see {path}, "
                           f"{vm.serial_log})") from None
    return vm.elapsed(), path


def boot_kiosk(image_dir, work_dir, checks):
    """Boots the image as built; returns seconds from power-on to the attract screen."""
    vm = VM(image_dir, work_dir, name="kiosk")
    vm.start()
    try:
        to_attract, screen = wait_for_attract(vm, work_dir, BOOT_TIMEOUT)
        log(f"attract screen on the display {to_attract:.1f} s after power-on ({screen})")
        if not checks:
            return to_attract
        wait_until("the guest agent", vm.agent_ready, 120, vm=vm)
        # READY=1 follows the first frame: give it a moment, then say what the guest's systemd says.
        try:
            wait_until(f"{UNIT} active", lambda: unit_state(vm)[0] == "active", 60, vm=vm)
        except TimeoutError:
            _, status, _ = vm.run("/bin/systemctl", "status", "--no-pager", "-l", UNIT)
            _, journal, _ = vm.run("/bin/journalctl", "-b", "--no-pager", "-n", "40", "-u", UNIT)
            raise AssertionError(f"{UNIT} is {unit_state(vm)[0]} a minute after the attract screen showed:\n"
                                 f"{status}\n{journal}") from None
        active_since = time.monotonic()
        state, pid, restarts = unit_state(vm)
        log(f"{UNIT} active, main process {pid}, {restarts} restarts")
        check_devices(vm)
        # Past the unit's WatchdogSec (30 s): the kiosk's pings reach systemd, so the same process is still there.
        time.sleep(max(0.0, active_since + 35 - time.monotonic()))
        if unit_state(vm) != (state, pid, restarts):
            raise AssertionError(f"{UNIT} changed 35 s after it became active (the watchdog?): {unit_state(vm)}, "
                                 f"was {(state, pid, restarts)}")
        purges = startup_purges(vm)
        if not purges or '"ok":true' not in purges[-1].replace(" ", ""):
            raise AssertionError(f"no successful startup_purge in {AUDIT} after the first start: {purges}")

        # kill -9 of the kiosk: systemd restarts it (Restart=always), and the restarted kiosk purges first.
        code, _, err = vm.run("/bin/kill", "-9", str(pid))
        if code != 0:
            raise AssertionError(f"kill -9 {pid} in the guest: {err.strip()}")
        killed_at = time.monotonic()

        def restarted():
            state2, pid2, restarts2 = unit_state(vm)
            return state2 == "active" and pid2 not in (0, pid) and restarts2 > restarts

        wait_until(f"{UNIT} to restart after kill -9", restarted, 120, vm=vm)
        wait_until("a second startup_purge in the audit log", lambda: len(startup_purges(vm)) > len(purges), 60,
                   vm=vm)
        after = startup_purges(vm)[-1]
        if '"ok":true' not in after.replace(" ", ""):
            raise AssertionError(f"the restarted kiosk's startup purge failed: {after}")
        vm.started_at = killed_at
        back, _ = wait_for_attract(vm, work_dir, 120)
        log(f"kill -9: restarted, audit has {after.strip()}; attract screen back {back:.1f} s after the kill")
        return to_attract
    finally:
        vm.stop()


def boot_plain(image_dir, work_dir):
    """Boots the same image to multi-user.target with the kiosk masked; seconds to the serial login prompt."""
    vm = VM(image_dir, work_dir, extra_cmdline=f"systemd.unit=multi-user.target systemd.mask={UNIT}", name="plain")
    vm.start()
    try:
        wait_until("a login prompt on the serial console", lambda: re.search(r"login: ", vm.serial_text()),
                   BOOT_TIMEOUT, interval=0.2, vm=vm)
        return vm.elapsed()
    finally:
        vm.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--deb")
    parser.add_argument("--figures-only", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the screendumps and serial logs")
    args = parser.parse_args()
    if os.geteuid() != 0:
        skip("the image is built as root (mmdebstrap, systemd-nspawn)")
    for tool in ("mmdebstrap", "systemd-nspawn", "qemu-system-x86_64", "mkfs.ext4"):
        if not shutil.which(tool):
            raise SystemExit(f"image: {tool} is missing (deploy/dev/packages.txt lists its package)")

    build_dir = os.path.abspath(args.build_dir)
    image_dir = os.path.join(build_dir, "image", "out")
    cache_dir = os.path.join(build_dir, "image", "cache")
    deb = args.deb or build_package(build_dir)
    build_image(deb, image_dir, cache_dir)

    work_dir = temporary_dir("kiosk-image-")
    try:
        to_attract = boot_kiosk(image_dir, work_dir, checks=not args.figures_only)
        to_login = boot_plain(image_dir, work_dir)
        log(f"power-on -> attract screen: {to_attract:.1f} s; same image to multi-user.target -> login prompt: "
            f"{to_login:.1f} s; ratio {to_attract / to_login:.2f}")
    except BaseException:
        args.keep = True
        raise
    finally:
        if args.keep:
            log(f"logs and screendumps kept in {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
