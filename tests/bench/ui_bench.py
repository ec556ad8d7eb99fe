#!/usr/bin/env python3
"""UI benchmark of the kiosk binary: start-up to first frame, idle CPU, home-screen frame time, peak RSS.

Runs `kiosk run --headless` (SDL offscreen, 1920x1080), each run in its own temporary runtime directory
and audit log, and prints a table plus one JSON line. The targets are informational: the exit status is 0
whenever every run completed, 1 when a run itself failed (crash, timeout, bad exit code), 2 for bad usage.
Python 3 standard library only. See README.md beside this file.
"""

import argparse
import datetime
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SIZE = "1920x1080"
SETTLE_SECONDS = 2.0  # after the first frame, before the idle window opens
STOP_TIMEOUT_SECONDS = 5.0  # SIGTERM to exit

TARGET_FIRST_FRAME_MS = 300.0
TARGET_IDLE_CPU_PERCENT = 1.0
TARGET_FRAME_P99_MS = 8.0
TARGET_PEAK_RSS_KIB = 80 * 1024  # 80 MiB

SCRIPT_ATTRACT = "expect screen attract\n"
SCRIPT_HOME = "tap start\ntap accept\nexpect screen home\n"


class RunFailed(Exception):
    """A kiosk run did not complete as the benchmark needs; the figures would mean nothing."""


def default_kiosk():
    repo = Path(__file__).resolve().parents[2]
    for candidate in (repo / "build/kiosk/cli/kiosk", repo.parent / "build/kiosk/cli/kiosk"):
        if candidate.is_file():
            return candidate
    return None


class KioskRun:
    """One kiosk process in a fresh temporary directory, its stderr read line by line with arrival times."""

    def __init__(self, kiosk, options, script=None):
        self._dir = tempfile.TemporaryDirectory(prefix="kiosk-bench-")
        work = Path(self._dir.name)
        config = work / "kiosk.toml"
        config.write_text(
            "[kiosk]\n"
            "dev_mode = true\n"
            f'runtime_dir = "{work / "run"}"\n'
            f'audit_log = "{work / "audit.jsonl"}"\n'
        )
        command = [str(kiosk), "run", "--headless", "--size", SIZE, "--config", str(config)]
        if script is not None:
            (work / "script.txt").write_text(script)
            command += ["--script", str(work / "script.txt")]
        command += options
        self.command = command
        self._lines = []  # (perf_counter seconds, text)
        self._arrived = threading.Condition()
        self._eof = False
        self.exit_code = None
        self.rusage = None
        self.spawned_at = time.perf_counter()
        self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=work)
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self):
        for raw in self.proc.stderr:
            arrived = time.perf_counter()
            with self._arrived:
                self._lines.append((arrived, raw.decode(errors="replace").rstrip("\n")))
                self._arrived.notify_all()
        with self._arrived:
            self._eof = True
            self._arrived.notify_all()

    def stderr_text(self):
        with self._arrived:
            return "\n".join(text for _, text in self._lines)

    def wait_for_json(self, key, timeout):
        """The first stderr line that is a JSON object holding `key`, and when it arrived."""
        deadline = time.monotonic() + timeout
        seen = 0
        with self._arrived:
            while True:
                for arrived, text in self._lines[seen:]:
                    if text.startswith("{"):
                        try:
                            value = json.loads(text)
                        except ValueError:
                            value = None
                        if isinstance(value, dict) and key in value:
                            return arrived, value
                seen = len(self._lines)
                left = deadline - time.monotonic()
                if self._eof:
                    raise RunFailed(f"the kiosk ended without printing {key}")
                if left <= 0:
                    raise RunFailed(f"no {key} on stderr within {timeout:.0f} s")
                self._arrived.wait(left)

    def wait(self, timeout):
        """Reaps the process with wait4 (for its rusage); returns the exit code, or None on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            if self.exit_code is not None:
                return self.exit_code
            pid, status, rusage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid == self.proc.pid:
                self.exit_code = os.waitstatus_to_exitcode(status)
                self.proc.returncode = self.exit_code  # so Popen does not reap it again
                self.rusage = rusage
                self._reader.join(timeout=5)
                return self.exit_code
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)

    def close(self):
        if self.exit_code is None:
            os.kill(self.proc.pid, signal.SIGKILL)  # not Popen.kill: it would reap the process without its rusage
            self.wait(timeout=10)
        if self.proc.stderr:
            self.proc.stderr.close()
        self._dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def describe_failure(run, message):
    tail = "\n".join(run.stderr_text().splitlines()[-15:])
    return f"{message}\n  command: {' '.join(run.command)}" + (f"\n  kiosk stderr:\n{tail}" if tail else "")


def expect_exit_zero(run, timeout, what):
    code = run.wait(timeout)
    if code is None:
        raise RunFailed(describe_failure(run, f"{what}: still running after {timeout:.0f} s"))
    if code != 0:
        raise RunFailed(describe_failure(run, f"{what}: exit code {code}"))


def measure_first_frame(kiosk, runs):
    in_process, from_spawn = [], []
    for _ in range(runs):
        with KioskRun(kiosk, ["--report-timing"], SCRIPT_ATTRACT) as run:
            try:
                arrived, value = run.wait_for_json("first_frame_ms", timeout=30)
            except RunFailed as error:
                raise RunFailed(describe_failure(run, f"first frame: {error}")) from None
            in_process.append(float(value["first_frame_ms"]))
            from_spawn.append((arrived - run.spawned_at) * 1000.0)
            expect_exit_zero(run, 30, "first frame run")
    return in_process, from_spawn


def measure_home_frames(kiosk, frames):
    timeout = 60 + frames * 0.2
    with KioskRun(kiosk, ["--bench-frames", str(frames)], SCRIPT_HOME) as run:
        try:
            _, value = run.wait_for_json("p99_ms", timeout=timeout)
        except RunFailed as error:
            raise RunFailed(describe_failure(run, f"home-screen frames: {error}")) from None
        expect_exit_zero(run, 30, "home-screen frames run")
        return value, run.rusage.ru_maxrss


def read_cpu_ticks(pid):
    """utime + stime of every thread of the process, in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12]), int(fields[17])  # fields 14, 15 and 20 (num_threads) of proc(5)


def read_context_switches(pid):
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            for line in (task / "status").read_text().splitlines():
                if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                    total += int(line.split()[1])
        except OSError:
            pass  # a thread that ended between listing and reading
    return total


def measure_idle(kiosk, seconds):
    with KioskRun(kiosk, ["--report-timing"]) as run:
        pid = run.proc.pid
        try:
            run.wait_for_json("first_frame_ms", timeout=30)
        except RunFailed as error:
            raise RunFailed(describe_failure(run, f"idle run: {error}")) from None
        time.sleep(SETTLE_SECONDS)
        if run.wait(0) is not None:
            raise RunFailed(describe_failure(run, "idle run: the kiosk ended by itself"))
        ticks_start, threads = read_cpu_ticks(pid)
        switches_start = read_context_switches(pid)
        window_start = time.monotonic()
        time.sleep(seconds)
        ticks_end, threads = read_cpu_ticks(pid)  # still readable: only this script reaps the process
        switches_end = read_context_switches(pid)
        window = time.monotonic() - window_start
        if run.wait(0) is not None:
            raise RunFailed(describe_failure(run, "idle run: the kiosk ended by itself during the window"))
        cpu_seconds = (ticks_end - ticks_start) / os.sysconf("SC_CLK_TCK")

        stop_sent = time.monotonic()
        os.kill(pid, signal.SIGTERM)
        code = run.wait(STOP_TIMEOUT_SECONDS)
        stop_ms = (time.monotonic() - stop_sent) * 1000.0
        if code is None:
            raise RunFailed(describe_failure(run, f"idle run: still running {STOP_TIMEOUT_SECONDS:.0f} s after SIGTERM"))
        if code != 0:
            raise RunFailed(describe_failure(run, f"idle run: exit code {code} after SIGTERM"))
        return {
            "window_s": window,
            "cpu_s": cpu_seconds,
            "cpu_percent": cpu_seconds / window * 100.0,
            "context_switches_per_s": (switches_end - switches_start) / window,
            "threads": threads,
            "stop_ms": stop_ms,
            "maxrss_kib": run.rusage.ru_maxrss,
        }


def machine_facts():
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("model name", "Hardware")):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        # The kiosk inherits the environment; SDL variables change what is measured, so they are shown.
        "environment": {k: v for k, v in sorted(os.environ.items()) if k.startswith("SDL_") or k == "LD_PRELOAD"},
    }


def verdict(value, target):
    return "PASS" if value <= target else "MISS"


def main():
    parser = argparse.ArgumentParser(description="UI benchmark of the kiosk (headless, SDL offscreen, 1920x1080).")
    parser.add_argument("--kiosk", type=Path, default=default_kiosk(), help="the kiosk binary (default: the build tree beside the sources)")
    parser.add_argument("--idle-seconds", type=float, default=60.0, help="length of the idle CPU window (default 60)")
    parser.add_argument("--runs", type=int, default=10, help="start-up runs (default 10)")
    parser.add_argument("--frames", type=int, default=500, help="home-screen frames to time (default 500)")
    args = parser.parse_args()
    if args.kiosk is None or not args.kiosk.is_file():
        parser.error("no kiosk binary found; build it (cmake --build build --target kiosk) or pass --kiosk PATH")
    if args.runs < 1 or args.frames < 1 or args.idle_seconds <= 0:
        parser.error("--runs, --frames and --idle-seconds must be positive")

    facts = machine_facts()
    print("France Services kiosk — UI benchmark")
    print(f"date     {facts['date']}")
    print(f"machine  {facts['nproc']} CPUs, {facts['cpu']}, load average {' '.join(map(str, facts['loadavg']))} (shared: figures are noisy)")
    print(f"kiosk    {args.kiosk} (headless, SDL offscreen, {SIZE})")
    if facts["environment"]:
        print(f"env      {' '.join(f'{k}={v}' for k, v in facts['environment'].items())}")
    print(f"running: {args.runs} start-ups, {args.frames} home-screen frames, {args.idle_seconds:g} s idle …", flush=True)

    try:
        in_process, from_spawn = measure_first_frame(args.kiosk, args.runs)
        frames, home_rss = measure_home_frames(args.kiosk, args.frames)
        idle = measure_idle(args.kiosk, args.idle_seconds)
    except RunFailed as error:
        print(f"ui_bench: {error}", file=sys.stderr)
        return 1

    rows = [
        (f"first frame, in-process, median of {args.runs}", f"{statistics.median(in_process):.1f} ms", statistics.median(in_process), TARGET_FIRST_FRAME_MS, "ms"),
        (f"first frame, in-process, max of {args.runs}", f"{max(in_process):.1f} ms", max(in_process), TARGET_FIRST_FRAME_MS, "ms"),
        (f"first frame, from spawn, median of {args.runs}", f"{statistics.median(from_spawn):.1f} ms", statistics.median(from_spawn), TARGET_FIRST_FRAME_MS, "ms"),
        (f"first frame, from spawn, max of {args.runs}", f"{max(from_spawn):.1f} ms", max(from_spawn), TARGET_FIRST_FRAME_MS, "ms"),
        (f"idle CPU, attract screen, {idle['window_s']:.0f} s", f"{idle['cpu_percent']:.2f} %", idle["cpu_percent"], TARGET_IDLE_CPU_PERCENT, "%"),
        (f"home frame time p50 ({frames['frames']} frames)", f"{frames['p50_ms']:.2f} ms", None, None, ""),
        (f"home frame time p99 ({frames['frames']} frames)", f"{frames['p99_ms']:.2f} ms", frames["p99_ms"], TARGET_FRAME_P99_MS, "ms"),
        ("peak RSS, home-screen run", f"{home_rss / 1024:.1f} MiB", home_rss, TARGET_PEAK_RSS_KIB, "MiB"),
        ("peak RSS, idle run", f"{idle['maxrss_kib'] / 1024:.1f} MiB", idle["maxrss_kib"], TARGET_PEAK_RSS_KIB, "MiB"),
    ]
    print()
    print(f"{'figure':<44} {'measured':>11}   {'target':<10} result")
    for name, shown, value, target, unit in rows:
        if target is None:
            print(f"{name:<44} {shown:>11}   {'-':<10} -")
        else:
            target_shown = f"{target / 1024:g} MiB" if unit == "MiB" else f"{target:g} {unit}"
            print(f"{name:<44} {shown:>11}   <= {target_shown:<7} {verdict(value, target)}")
    print()
    print(f"also: home frame max {frames['max_ms']:.2f} ms; idle: {idle['cpu_s']:.2f} s CPU, "
          f"{idle['context_switches_per_s']:.2f} context switches/s, {idle['threads']} threads; "
          f"SIGTERM to exit 0 in {idle['stop_ms']:.0f} ms")

    results = {
        **facts,
        "kiosk": str(args.kiosk),
        "size": SIZE,
        "first_frame_ms": {
            "in_process": {"median": round(statistics.median(in_process), 1), "max": round(max(in_process), 1), "runs": [round(x, 1) for x in in_process]},
            "from_spawn": {"median": round(statistics.median(from_spawn), 1), "max": round(max(from_spawn), 1), "runs": [round(x, 1) for x in from_spawn]},
        },
        "idle": {
            "seconds": round(idle["window_s"], 2),
            "cpu_percent": round(idle["cpu_percent"], 3),
            "context_switches_per_s": round(idle["context_switches_per_s"], 2),
            "threads": idle["threads"],
            "sigterm_exit_code": 0,
            "sigterm_stop_ms": round(idle["stop_ms"], 1),
        },
        "home_frame_ms": {"frames": frames["frames"], "p50": frames["p50_ms"], "p99": frames["p99_ms"], "max": frames["max_ms"]},
        "peak_rss_kib": {"home": home_rss, "idle": idle["maxrss_kib"]},
        "targets": {"first_frame_ms": TARGET_FIRST_FRAME_MS, "idle_cpu_percent": TARGET_IDLE_CPU_PERCENT,
                    "home_frame_p99_ms": TARGET_FRAME_P99_MS, "peak_rss_kib": TARGET_PEAK_RSS_KIB},
    }
    print(json.dumps(results, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
