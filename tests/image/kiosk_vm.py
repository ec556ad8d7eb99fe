"""The kiosk image in QEMU (TCG): boot, the monitor (screendump), the guest agent (commands), the serial log."""

import base64
import json
import os
import re
import socket
import subprocess
import tempfile
import time

# The attract screen's colours (kiosk/ui/theme.h): bleu France behind everything, white text, and the tricolour
# strip across the top (blue_france_hover #1212FF, white, red_marianne #E1000F).
BLUE_FRANCE = (0x00, 0x00, 0x91)
STRIP_BLUE = (0x12, 0x12, 0xFF)
WHITE = (0xFF, 0xFF, 0xFF)
RED_MARIANNE = (0xE1, 0x00, 0x0F)


def read_ppm(path):
    """(width, height, bytes) of a binary PPM (P6) as QEMU's screendump writes it."""
    with open(path, "rb") as f:
        data = f.read()
    fields = []
    pos = 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError(f"{path}: not an 8-bit P6 PPM")
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos + 1:pos + 1 + width * height * 3]


def close_to(pixel, colour, tolerance=8):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def attract_screen_check(path):
    """None when the screendump at PATH shows the attract screen, else what is missing (a sentence)."""
    width, height, pixels = read_ppm(path)
    if width < 640 or height < 480:
        return f"the screen is {width}x{height}, not the kiosk's mode"

    def pixel(x, y):
        i = (y * width + x) * 3
        return tuple(pixels[i:i + 3])

    # Every 4th pixel of every 4th row: enough for proportions, fast in pure Python.
    samples = [pixel(x, y) for y in range(0, height, 4) for x in range(0, width, 4)]
    blue = sum(close_to(p, BLUE_FRANCE) for p in samples) / len(samples)
    white = sum(close_to(p, WHITE) for p in samples) / len(samples)
    if blue < 0.6:
        return f"bleu France #000091 covers {blue:.0%} of the screen (the attract screen: most of it)"
    if white < 0.005:
        return f"white covers {white:.2%} of the screen (the attract screen's text and button: some)"
    # The strip is 24 design pixels high (at least 10 on a 1280x800 screen): look at its 3rd row.
    row = 3
    thirds = [(STRIP_BLUE, "blue"), (WHITE, "white"), (RED_MARIANNE, "red")]
    for i, (colour, name) in enumerate(thirds):
        xs = range(i * width // 3 + 8, (i + 1) * width // 3 - 8, 8)
        share = sum(close_to(pixel(x, row), colour) for x in xs) / len(xs)
        if share < 0.9:
            return f"the top strip's {name} third is {share:.0%} {name}"
    return None


class VM:
    """One QEMU process booting the image in OUTDIR (vmlinuz, initrd.img, disk.raw, cmdline) with -snapshot, so
    the disk is never changed and every boot is a first boot."""

    def __init__(self, image_dir, work_dir, extra_cmdline="", name="vm"):
        self.image_dir = image_dir
        self.work_dir = work_dir
        self.name = name
        self.serial_log = os.path.join(work_dir, f"{name}-serial.log")
        self.monitor_path = os.path.join(work_dir, f"{name}-monitor.sock")
        self.qga_path = os.path.join(work_dir, f"{name}-qga.sock")
        with open(os.path.join(image_dir, "cmdline")) as f:
            self.cmdline = (f.read().strip() + " " + extra_cmdline).strip()
        self.process = None
        self.started_at = None

    def command(self):
        d = self.image_dir
        return [
            "qemu-system-x86_64", "-accel", "tcg", "-m", "2048", "-smp", "2", "-nographic",
            # -vga std's adapter, with a 1280x800 preferred mode in its EDID (the kiosk's smallest screen).
            "-vga", "none", "-device", "VGA,edid=on,xres=1280,yres=800",
            "-kernel", os.path.join(d, "vmlinuz"), "-initrd", os.path.join(d, "initrd.img"),
            "-append", self.cmdline,
            "-drive", f"file={os.path.join(d, 'disk.raw')},format=raw,if=virtio", "-snapshot",
            "-serial", f"file:{self.serial_log}",
            "-monitor", f"unix:{self.monitor_path},server,nowait",
            "-chardev", f"socket,path={self.qga_path},server=on,wait=off,id=qga0",
            "-device", "virtio-serial-pci",
            "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
            "-nic", "none",
        ]

    def start(self):
        for path in (self.serial_log, self.monitor_path, self.qga_path):
            if os.path.exists(path):
                os.unlink(path)
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                        stdout=open(os.path.join(self.work_dir, f"{self.name}-qemu.out"), "wb"),
                                        stderr=subprocess.STDOUT)

    def elapsed(self):
        return time.monotonic() - self.started_at

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def check_running(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"QEMU ended (exit {self.process.returncode}); see {self.work_dir}/{self.name}-qemu.out")

    def serial_text(self):
        try:
            with open(self.serial_log, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    # --- the monitor ---
    def monitor(self, line, timeout=30):
        """Sends one monitor command and returns its output."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.settimeout(timeout)
                s.connect(self.monitor_path)
                break
            except OSError:
                s.close()
                self.check_running()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with s:
            def read_to_prompt():
                data = b""
                while not data.endswith(b"(qemu) "):
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                return data.decode("utf-8", "replace")
            read_to_prompt()
            s.sendall(line.encode() + b"\n")
            return read_to_prompt()

    def screendump(self, path):
        if os.path.exists(path):
            os.unlink(path)
        self.monitor(f"screendump {path}")
        # The file is complete once the monitor answers.
        return path

    # --- the guest agent ---
    def qga(self, request, timeout=30):
        """One guest-agent request (a dict); returns its "return" value. Raises on an error or a timeout."""
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(timeout)
        try:
            s.connect(self.qga_path)
            f = s.makefile("rwb")
            # guest-sync-delimited: skip whatever an earlier, abandoned request left in the channel.
            sync_id = int(time.monotonic() * 1000) % 2**31
            f.write(b"\xff" + json.dumps({"execute": "guest-sync-delimited",
                                          "arguments": {"id": sync_id}}).encode() + b"\n")
            f.flush()
            while True:
                line = f.readline()
                if not line:
                    raise RuntimeError("guest agent: channel closed")
                line = line.lstrip(b"\xff").strip()
                if not line:
                    continue
                try:
                    answer = json.loads(line)
                except ValueError:
                    continue
                if answer.get("return") == sync_id:
                    break
            f.write(json.dumps(request).encode() + b"\n")
            f.flush()
            answer = json.loads(f.readline())
            if "error" in answer:
                raise RuntimeError(f"guest agent: {answer['error']}")
            return answer["return"]
        finally:
            s.close()

    def run(self, *argv, timeout=60):
        """Runs ARGV in the guest as root; returns (exit code, stdout, stderr)."""
        started = self.qga({"execute": "guest-exec", "arguments": {
            "path": argv[0], "arg": list(argv[1:]), "capture-output": True}})
        deadline = time.monotonic() + timeout
        while True:
            status = self.qga({"execute": "guest-exec-status", "arguments": {"pid": started["pid"]}})
            if status.get("exited"):
                out = base64.b64decode(status.get("out-data", "")).decode("utf-8", "replace")
                err = base64.b64decode(status.get("err-data", "")).decode("utf-8", "replace")
                return status.get("exitcode", -1), out, err
            if time.monotonic() > deadline:
                raise TimeoutError(f"guest: {' '.join(argv)} still running after {timeout} s")
            time.sleep(0.2)

    def agent_ready(self):
        try:
            self.qga({"execute": "guest-ping"}, timeout=3)
            return True
        except (OSError, RuntimeError, ValueError):
            return False


def wait_until(what, condition, timeout, interval=1.0, vm=None):
    """Polls CONDITION until it returns a true value (returned) or TIMEOUT seconds pass (TimeoutError)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if vm is not None:
            vm.check_running()
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def temporary_dir(prefix):
    return tempfile.mkdtemp(prefix=prefix)
