#!/usr/bin/env python3
"""The kiosk as a systemd service sees it, without systemd: a notify socket of our own, and a real X display.

  notify  READY=1 once the first screen is up, WATCHDOG=1 again and again while the kiosk waits on its attract screen
          (the event loop wakes for it), STOPPING=1 on SIGTERM.
  close   A request to close the kiosk's window (WM_DELETE_WINDOW, what Alt+F4 or a window manager's close button
          sends) leaves the kiosk running; the same request ends a developer's --windowed kiosk.
  broken  A configuration with a typo: the kiosk's screen says "out of order" in plain words (and READY=1 tells
          systemd it is up, so no restart loop flickers the screen); SIGHUP ends it to try again (exit 0). A
          developer's --windowed run gets the one-line error at once.
  restart SIGHUP (what the package sends after an upgrade) ends the kiosk for systemd to start it again, but only
          once nobody is using it: on the attract screen at once, on the welcome screen when that times out.
"""
import argparse
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


@contextlib.contextmanager
def kiosk_process(command, **options):
    """The kiosk started with subprocess.Popen's options, killed if it is still running when the block ends."""
    process = subprocess.Popen(command, **options)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def write_config(work, extra=""):
    config = os.path.join(work, "kiosk.toml")
    with open(config, "w") as f:
        f.write(f'[kiosk]\ndev_mode = true\nruntime_dir = "{work}/run"\naudit_log = "{work}/audit.jsonl"\n'
                f'agents_file = "{work}/agents.toml"\n{extra}[devices]\nprinter = "sim:dir={work}/printed"\n')
    return config


def notify(kiosk, work):
    address = os.path.join(work, "notify")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(address)
    server.settimeout(10)
    env = dict(os.environ, NOTIFY_SOCKET=address, WATCHDOG_USEC="400000")
    with kiosk_process([kiosk, "run", "--headless", "--config", write_config(work)], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as process:
        messages = []

        def receive():
            data = server.recv(4096).decode()
            messages.append((time.monotonic(), data))
            return data

        first = receive()
        if "READY=1" not in first:
            fail(f"the first message is not READY=1: {first!r}")
        if "STATUS=attract" not in first:
            fail(f"READY=1 does not say the attract screen is up: {first!r}")
        # Nothing happens on the attract screen: only the watchdog can wake the loop, every 200 ms at most.
        start = time.monotonic()
        pings = 0
        while time.monotonic() - start < 2.0:
            if "WATCHDOG=1" in receive():
                pings += 1
        if pings < 5:
            fail(f"{pings} watchdog pings in 2 s with WATCHDOG_USEC=400000")
        gaps = [b[0] - a[0] for a, b in zip(messages[1:], messages[2:])]
        if max(gaps) > 0.4:
            fail(f"a gap of {max(gaps):.2f} s between pings: systemd would have restarted the kiosk")
        process.send_signal(signal.SIGTERM)
        while "STOPPING=1" not in receive():
            pass
        if process.wait(timeout=10) != 0:
            fail(f"exit {process.returncode} after SIGTERM: {process.stderr.read().decode()}")
    print(f"notify: READY, {pings} watchdog pings in 2 s, STOPPING")


class XClientMessageEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class XEvent(ctypes.Union):
    _fields_ = [("xclient", XClientMessageEvent), ("pad", ctypes.c_long * 24)]


def ask_to_close(display_name, window):
    """Sends WM_DELETE_WINDOW to window, as a window manager does for Alt+F4 or its close button."""
    x11 = ctypes.CDLL("libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(XEvent)]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = x11.XOpenDisplay(display_name.encode())
    if not display:
        fail(f"cannot open display {display_name}")
    event = XEvent()
    event.xclient.type = 33  # ClientMessage
    event.xclient.window = window
    event.xclient.message_type = x11.XInternAtom(display, b"WM_PROTOCOLS", 0)
    event.xclient.format = 32
    event.xclient.data[0] = x11.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
    event.xclient.data[1] = 0  # CurrentTime
    if not x11.XSendEvent(display, window, 0, 0, ctypes.byref(event)):
        fail("XSendEvent failed")
    x11.XFlush(display)
    x11.XCloseDisplay(display)


def kiosk_window(display, process):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"the kiosk ended before its window showed: {process.stderr.read().decode()}")
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^France Services$"], env=dict(os.environ, DISPLAY=display),
                               capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.split():
            return int(found.stdout.split()[0])
        time.sleep(0.1)
    fail("the kiosk's window never showed")


class Display:
    """A private Xvfb for as long as the with-block lasts."""

    def __enter__(self):
        number = 90 + os.getpid() % 500
        self.name = f":{number}"
        self.xvfb = subprocess.Popen(["Xvfb", self.name, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not os.path.exists(f"/tmp/.X11-unix/X{number}"):
            if time.monotonic() > deadline or self.xvfb.poll() is not None:
                fail("Xvfb did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.xvfb.terminate()
        self.xvfb.wait()


def display_env(display):
    """The environment of a kiosk on the test's Xvfb. Xvfb has no GPU, so SDL's accelerated renderer would go through
    Mesa's software GL, whose driver leaks as it is unloaded where LeakSanitizer cannot name it (the sanitizer build
    runs these tests too); SDL's own software renderer draws the same screens without it."""
    return dict(os.environ, DISPLAY=display, SDL_RENDER_DRIVER="software", SDL_FRAMEBUFFER_ACCELERATION="0")


def display_tools():
    """Exits 77 (a skip for ctest) when a tool of the display cases is missing."""
    for tool in ("Xvfb", "xdotool", "import"):
        if not shutil.which(tool):
            print(f"SKIPPED: {tool} is not installed")
            sys.exit(77)
    return True


def audit_events(work):
    path = os.path.join(work, "audit.jsonl")
    return open(path).read() if os.path.exists(path) else ""


def restart(kiosk, work):
    display_tools()
    with Display() as display:
        env = display_env(display.name)
        config = write_config(work, "[session]\nwelcome_timeout_seconds = 10\n")
        # On the attract screen: it leaves at once, exit 0, and says why in the audit log.
        with kiosk_process([kiosk, "run", "--config", config], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE) as process:
            kiosk_window(display.name, process)
            time.sleep(1)
            process.send_signal(signal.SIGHUP)
            try:
                code = process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                fail("SIGHUP on the attract screen did not end the kiosk")
            if code != 0:
                fail(f"exit {code} after SIGHUP: {process.stderr.read().decode()}")
        if '"event":"restart","reason":"requested"' not in audit_events(work):
            fail("the restart is not in the audit log")
        # Someone touched the screen: the kiosk waits until the welcome screen gives up on them.
        os.remove(os.path.join(work, "audit.jsonl"))
        with kiosk_process([kiosk, "run", "--config", config], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE) as process:
            kiosk_window(display.name, process)
            time.sleep(1)
            subprocess.run(["xdotool", "mousemove", "640", "400", "click", "1"], env=env, check=True)
            deadline = time.monotonic() + 5
            while '"to":"welcome"' not in audit_events(work) and time.monotonic() < deadline:
                time.sleep(0.1)
            if '"to":"welcome"' not in audit_events(work):
                fail("the touch did not open the welcome screen")
            touched = time.monotonic()
            process.send_signal(signal.SIGHUP)
            try:
                code = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                fail("the kiosk never restarted after the welcome screen timed out")
            waited = time.monotonic() - touched
            if waited < 8:
                fail(f"the kiosk left {waited:.1f} s after the touch, while the welcome screen was still up")
            if code != 0 or '"event":"restart"' not in audit_events(work):
                fail(f"exit {code}; audit: {audit_events(work)}")
    print(f"restart: at once on the attract screen; {waited:.1f} s after a touch, once the welcome screen timed out")


def screen_colours(display):
    """The share of the screen in white and in rouge Marianne (#E1000F), from a capture of the root window."""
    ppm = subprocess.run(["import", "-display", display, "-window", "root", "-depth", "8", "ppm:-"], capture_output=True, check=True).stdout
    fields = ppm.split(maxsplit=4)  # P6 width height maxval pixels
    width, height, pixels = int(fields[1]), int(fields[2]), fields[4]
    total = width * height
    white = red = 0
    for i in range(0, total * 3, 3 * 7):  # every 7th pixel is plenty
        r, g, b = pixels[i], pixels[i + 1], pixels[i + 2]
        if r > 240 and g > 240 and b > 240:
            white += 1
        elif r > 200 and g < 40 and b < 50:
            red += 1
    sampled = (total + 6) // 7
    return white / sampled, red / sampled


def broken(kiosk, work):
    display_tools()
    config = write_config(work, "[session]\nidle_warnings_seconds = 10\n")  # a typo: unknown key
    address = os.path.join(work, "notify")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(address)
    server.settimeout(20)
    with Display() as display:
        env = display_env(display.name)
        windowed = subprocess.run([kiosk, "run", "--windowed", "--config", config], env=env, capture_output=True,
                                  text=True, timeout=30)
        if windowed.returncode != 2 or "idle_warnings_seconds" not in windowed.stderr:
            fail(f"--windowed: exit {windowed.returncode}, {windowed.stderr!r}")
        with kiosk_process([kiosk, "run", "--config", config], env=dict(env, NOTIFY_SOCKET=address),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as process:
            ready = server.recv(4096).decode()
            if "READY=1" not in ready or "out of order" not in ready:
                fail(f"no READY=1 with the reason: {ready!r}")
            kiosk_window(display.name, process)
            time.sleep(0.5)
            white, red = screen_colours(display.name)
            if white < 0.8 or red < 0.002:
                fail(f"the screen is not the out-of-order screen: {white:.0%} white, {red:.2%} red")
            time.sleep(2)
            if process.poll() is not None:
                fail(f"the kiosk ended (exit {process.returncode}) instead of showing it is out of order")
            process.send_signal(signal.SIGHUP)
            code = process.wait(timeout=10)
            stderr = process.stderr.read()
            # A restart asked for is not a failure; the error went to the journal (stderr) when the screen came up.
            if code != 0 or "idle_warnings_seconds" not in stderr:
                fail(f"after SIGHUP: exit {code}, {stderr!r}")
    print(f"broken: out of order on screen ({white:.0%} white, {red:.1%} red), READY sent, ended on SIGHUP")


def close(kiosk, work):
    display_tools()
    with Display() as xvfb:
        display = xvfb.name
        env = display_env(display)
        config = write_config(work)
        for windowed in (False, True):
            command = [kiosk, "run", "--config", config] + (["--windowed"] if windowed else [])
            with kiosk_process(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as process:
                kiosk_window(display, process)
                time.sleep(1)  # the first frame is up and the loop waits for input
                ask_to_close(display, kiosk_window(display, process))
                try:
                    code = process.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    code = None
                if windowed and code != 0:
                    fail(f"a developer's --windowed kiosk did not end on a close request (exit {code})")
                if not windowed and code is not None:
                    fail(f"the kiosk ended (exit {code}) on a request to close its window")
                if not windowed:
                    process.send_signal(signal.SIGTERM)
                    if process.wait(timeout=10) != 0:
                        fail(f"exit {process.returncode} after SIGTERM")
    print("close: the kiosk ignored the close request; the --windowed one ended")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kiosk", required=True)
    parser.add_argument("case", choices=["notify", "close", "restart", "broken"])
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="kiosk-service-", dir="/tmp")
    try:
        {"notify": notify, "close": close, "restart": restart, "broken": broken}[args.case](args.kiosk, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
