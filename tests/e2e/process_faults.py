#!/usr/bin/env python3
"""Faults that hit the kiosk process itself, with real components: kill -9 in each session state then a restart,
SIGTERM and kill -9 in the middle of the wipe. Each case ends by showing that the resident's documents were there
until the fault, and that after the restart nothing of them is left: no session folder, no job at cupsd, and nothing
printed for the next person once the queue runs again.

Usage: process_faults.py --kiosk BUILD/kiosk/cli/kiosk CASE     (cases: see CASES; one ctest test each)
Exit 0 when the case held, 1 when it did not (the reason on stderr), 2 for bad usage.
"""
import argparse
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VIRTUAL_PRINTER = os.path.join(ROOT, "deploy", "dev", "cups", "virtual-printer.sh")


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


class Printer:
    """A private cupsd with the queue "kiosk" on an ippeveprinter (deploy/dev/cups/virtual-printer.sh)."""

    def __init__(self, work):
        self.dir = os.path.join(work, "cups")
        out = subprocess.run([VIRTUAL_PRINTER, "start", self.dir, "kiosk"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, timeout=90)
        check(out.returncode == 0, f"the virtual printer did not start: {out.stderr.strip()}")
        self.vars = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
        self.env = dict(os.environ, CUPS_SERVER=self.vars["CUPS_SERVER"], CUPS_STATEDIR=self.vars["CUPS_STATEDIR"])

    def run(self, command):
        subprocess.run([VIRTUAL_PRINTER, command, self.dir], check=True, timeout=90, stdout=subprocess.DEVNULL)

    def cupsd_pid(self):
        with open(os.path.join(self.dir, "cupsd.pid")) as f:
            return int(f.read().strip())

    def queue_enabled(self, enabled):
        subprocess.run(["cupsenable" if enabled else "cupsdisable", "kiosk"], env=self.env, check=True, timeout=30)

    def jobs(self):
        out = subprocess.run(["lpstat", "-W", "all", "-o"], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             timeout=30)
        check(out.returncode == 0, f"lpstat failed (is cupsd running?): {out.stderr.strip()}")
        return [line for line in out.stdout.splitlines() if line.strip()]

    def printed(self):
        spool = self.vars["IPPEVE_SPOOL"]
        return sorted(f for f in os.listdir(spool) if not f.endswith((".pid", ".sh", ".conf")))

    def stop(self):
        subprocess.run([VIRTUAL_PRINTER, "stop", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=90)


class Kiosk:
    """`kiosk run --headless --script` whose `report LABEL` lines are read as they come."""

    def __init__(self, kiosk, config, script_path, lines):
        with open(script_path, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.proc = subprocess.Popen([kiosk, "run", "--headless", "--config", config, "--script", script_path],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.reports = queue.Queue()
        self.stderr = []
        threading.Thread(target=self._read, args=(self.proc.stdout, True), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, False), daemon=True).start()

    def _read(self, stream, stdout):
        for line in stream:
            if stdout and line.startswith("{"):
                self.reports.put(json.loads(line))
            elif not stdout:
                self.stderr.append(line.rstrip())

    def wait_report(self, label, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                report = self.reports.get(timeout=0.2)
            except queue.Empty:
                check(self.proc.poll() is None, f"the kiosk exited {self.proc.returncode} before '{label}': "
                      + " | ".join(self.stderr[-3:]))
                continue
            if report["report"] == label:
                return report
        raise Failed(f"no report '{label}' within {timeout} s")

    def go_on(self):
        self.proc.send_signal(signal.SIGUSR1)

    def signal(self, number):
        self.proc.send_signal(number)

    def wait(self, timeout=60):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failed(f"the kiosk did not exit within {timeout} s")


# A resident who scanned a page, printed it (the queue is held, so the job waits at cupsd), downloaded an
# attestation, and is back on the home screen with two documents.
RESIDENT = [
    "tap start", "tap accept", "expect screen home",
    "tap go_scan", "tap scan_start", "tap go_tray", "tap print_doc", "tap print_start", "tap go_home",
    "tap go_sites", "tap partner_caf", "tap open_site", "tap sim_download", "advance 1", "tap go_home",
    "expect text Mes documents (2)",
]
AGENT = ["card 04A22B1A", "tap pin_1", "tap pin_2", "tap pin_3", "tap pin_4", "tap pin_5", "tap pin_6", "tap pin_ok",
         "expect screen assisted"]

STATES = {
    "attract": (["expect screen attract"], False),
    "welcome": (["tap start", "expect screen welcome"], False),
    "resident": (RESIDENT, True),
    "assisted": (RESIDENT + AGENT, True),
    "ending": (RESIDENT + ["tap end_session", "expect screen ending"], True),
}


class Case:
    def __init__(self, kiosk):
        self.kiosk_binary = kiosk
        self.work = tempfile.mkdtemp(prefix="kiosk-faults-", dir="/tmp")
        os.chmod(self.work, 0o755)  # cupsd's filters run as lp
        self.printer = Printer(self.work)
        self.run_dir = os.path.join(self.work, "run")
        self.audit = os.path.join(self.work, "audit.jsonl")
        self.config = os.path.join(self.work, "kiosk.toml")
        agents = os.path.join(self.work, "agents.toml")
        with open(self.config, "w") as f:
            f.write(f'[kiosk]\ndev_mode = true\nruntime_dir = "{self.run_dir}"\naudit_log = "{self.audit}"\nagents_file = "{agents}"\n'
                    f'[devices]\nscanner = "sim"\nprinter = "cups:queue=kiosk,server={self.printer.vars["CUPS_SERVER"]}"\n'
                    f'browser = "sim"\nidreader = "sim"\n')
        subprocess.run([kiosk, "agent", "add", "m.martin", "--name", "Marie Martin", "--file", agents], input="123456\n",
                       text=True, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([kiosk, "agent", "set-badge", "m.martin", "04A22B1A", "--file", agents], check=True,
                       stdout=subprocess.DEVNULL)
        self.scripts = 0

    def start(self, lines):
        self.scripts += 1
        return Kiosk(self.kiosk_binary, self.config, os.path.join(self.work, f"s{self.scripts}.ks"), lines)

    def session_dirs(self):
        if not os.path.isdir(self.run_dir):
            return []
        return sorted(e for e in os.listdir(self.run_dir) if e.startswith("session-"))

    def stored_documents(self):
        count = 0
        for session in self.session_dirs():
            for _, _, files in os.walk(os.path.join(self.run_dir, session)):
                count += len(files)
        return count

    def audit_events(self, name):
        with open(self.audit) as f:
            return [e for e in (json.loads(line) for line in f if line.strip()) if e.get("event") == name]

    def restart_and_check_clean(self, expect_jobs_removed):
        """The next start of the kiosk: before the attract screen shows, nothing of the last resident is left."""
        kiosk = self.start(["expect screen attract", "report clean"])
        kiosk.wait_report("clean")
        check(kiosk.wait() == 0, "the restarted kiosk failed: " + " | ".join(kiosk.stderr[-3:]))
        check(self.session_dirs() == [], f"a session folder survived the restart: {self.session_dirs()}")
        check(self.printer.jobs() == [], f"jobs survived the restart: {self.printer.jobs()}")
        purge = self.audit_events("startup_purge")[-1]
        check(purge["ok"] is True, f"the start-up purge failed: {purge}")
        if expect_jobs_removed:
            check(purge["print_jobs_removed"] >= 1, f"the start-up purge found no job: {purge}")
        # The queue runs again: nothing of the last resident comes out for the next person.
        self.printer.queue_enabled(True)
        time.sleep(3)
        check(self.printer.printed() == [], f"the last resident's job was printed after the restart: {self.printer.printed()}")

    def close(self):
        self.printer.stop()
        shutil.rmtree(self.work, ignore_errors=True)


def kill9_in_state(case, state):
    lines, in_session = STATES[state]
    case.printer.queue_enabled(False)  # a job stays queued at cupsd, as behind a slow printer
    kiosk = case.start(lines + ["report ready", "sleep 120"])
    kiosk.wait_report("ready")
    if in_session:
        check(case.stored_documents() >= 2, f"the resident's documents are not stored: {case.stored_documents()} files")
        check(len(case.printer.jobs()) == 1, f"the print is not queued at cupsd: {case.printer.jobs()}")
    kiosk.signal(signal.SIGKILL)
    kiosk.wait()
    if in_session:
        # What the crash left is still there until the kiosk starts again: the restart is what removes it.
        check(case.session_dirs() != [], "the session folder was gone before the restart")
        check(len(case.printer.jobs()) == 1, "the queued job was gone before the restart")
    case.restart_and_check_clean(expect_jobs_removed=in_session)


def kill9_in_out_of_order(case):
    # The wipe fails because cupsd is down: out of order. Killed there, then restarted once cupsd is back.
    case.printer.queue_enabled(False)
    kiosk = case.start(RESIDENT + ["report stop-cupsd", "sleep 120", "tap end_session", "tap end_now", "expect screen out_of_order",
                                   "report ready", "sleep 120"])
    kiosk.wait_report("stop-cupsd")
    case.printer.run("stop-cupsd")
    kiosk.go_on()
    kiosk.wait_report("ready")
    check(case.session_dirs() == [], "the session folder outlived the failed wipe")
    kiosk.signal(signal.SIGKILL)
    kiosk.wait()
    case.printer.run("start-cupsd")
    check(len(case.printer.jobs()) == 1, "the resident's job should still be queued at cupsd")
    case.restart_and_check_clean(expect_jobs_removed=True)


def stopped_in_wipe(case, number):
    # cupsd stops answering (SIGSTOP), so the wipe waits on the print purge for its timeout: the signal lands in it.
    case.printer.queue_enabled(False)
    kiosk = case.start(RESIDENT + ["report freeze", "sleep 120", "tap end_session", "tap end_now", "report after-wipe", "sleep 120"])
    kiosk.wait_report("freeze")
    cupsd = case.printer.cupsd_pid()
    os.kill(cupsd, signal.SIGSTOP)
    try:
        kiosk.go_on()
        time.sleep(1.5)
        check(kiosk.proc.poll() is None, "the kiosk ended before the signal")
        check(kiosk.reports.empty(), "the wipe ended before the signal (it should wait on the stopped cupsd)")
        started = time.monotonic()
        kiosk.signal(number)
        code = kiosk.wait(timeout=60)
        took = time.monotonic() - started
    finally:
        os.kill(cupsd, signal.SIGCONT)
    if number == signal.SIGTERM:
        # It finished the wipe it was in, then stopped: "kiosk run: stopped by a signal", exit 1.
        check(code == 1, f"the kiosk exited {code} after SIGTERM in the wipe")
        print(f"  SIGTERM during the wipe: the kiosk exited {code} after {took:.1f} s")
        # A stop in the wipe still deletes the session's folder before the process ends.
        check(case.session_dirs() == [], f"a session folder outlived a SIGTERM in the wipe: {case.session_dirs()}")
    case.restart_and_check_clean(expect_jobs_removed=True)


def wipe_command(case):
    # systemd's ExecStartPre runs `kiosk wipe` after a crash: it removes the folder and cancels the queued job.
    case.printer.queue_enabled(False)
    kiosk = case.start(RESIDENT + ["report ready", "sleep 120"])
    kiosk.wait_report("ready")
    kiosk.signal(signal.SIGKILL)
    kiosk.wait()
    check(len(case.printer.jobs()) == 1, "the queued job should still be at cupsd")
    out = subprocess.run([case.kiosk_binary, "wipe", "--config", case.config], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         timeout=60)
    check(out.returncode == 0, f"kiosk wipe exited {out.returncode}: {out.stderr.strip()}")
    result = json.loads(out.stdout)
    check(result["sessions_removed"] == 1 and result["print_jobs_removed"] == 1, f"kiosk wipe removed {result}")
    check(case.session_dirs() == [] and case.printer.jobs() == [], "kiosk wipe left something")
    # With the print server down it says so in one line and fails, rather than pretend.
    kiosk = case.start(RESIDENT + ["report ready", "sleep 120"])
    kiosk.wait_report("ready")
    kiosk.signal(signal.SIGKILL)
    kiosk.wait()
    case.printer.run("stop-cupsd")
    out = subprocess.run([case.kiosk_binary, "wipe", "--config", case.config], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         timeout=60)
    check(out.returncode == 1, f"kiosk wipe with cupsd down exited {out.returncode}")
    check(out.stderr.count("\n") == 1 and out.stderr.startswith("kiosk wipe: print jobs of earlier sessions may still be queued"),
          f"kiosk wipe with cupsd down said: {out.stderr!r}")
    case.printer.run("start-cupsd")
    case.restart_and_check_clean(expect_jobs_removed=True)


CASES = {
    "wipe_command": wipe_command,
    "kill9_attract": lambda case: kill9_in_state(case, "attract"),
    "kill9_welcome": lambda case: kill9_in_state(case, "welcome"),
    "kill9_resident": lambda case: kill9_in_state(case, "resident"),
    "kill9_assisted": lambda case: kill9_in_state(case, "assisted"),
    "kill9_ending": lambda case: kill9_in_state(case, "ending"),
    "kill9_out_of_order": kill9_in_out_of_order,
    "kill9_wiping": lambda case: stopped_in_wipe(case, signal.SIGKILL),
    "sigterm_wiping": lambda case: stopped_in_wipe(case, signal.SIGTERM),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("case", choices=sorted(CASES))
    args = ap.parse_args()
    case = Case(os.path.abspath(args.kiosk))
    try:
        CASES[args.case](case)
    except Failed as failure:
        print(f"FAIL [{args.case}]: {failure}", file=sys.stderr)
        return 1
    finally:
        case.close()
    print(f"PASS [{args.case}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
