#!/usr/bin/env python3
"""Soak: many scripted sessions back to back in one kiosk process, watched for growth and residue.

Each session scans a page (simulated scanner), renames it, prints it through a private cupsd + ippeveprinter,
downloads a file on the simulated browser, and ends: odd sessions by "Terminer", even ones by the idle timeout.
After sessions 10, 100, 1000 (those within --sessions, and the last) the kiosk reports its resident memory, the
bytes in use on its heap, open file descriptors and threads (`report LABEL`). At the end the benchmark looks for anything left behind: session
folders in the runtime directory, jobs or history at cupsd (its spool files included), and whatever the kiosk wrote
to /tmp: it runs under bubblewrap with a /tmp of its own (everything else shared), so that what other programs of
the machine write to /tmp meanwhile is not counted.

Not a ctest test as such: `--check` turns it into one (50 sessions in the test command), exiting 1 when the
descriptors or threads grew, memory grew by more than --max-rss-growth-mib (heap: --max-heap-growth-mib), or
anything was left behind.
Exit 0 when it ran (and, with --check, held), 1 when not, 2 for bad usage.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VIRTUAL_PRINTER = os.path.join(ROOT, "deploy", "dev", "cups", "virtual-printer.sh")


def find_kiosk():
    for cand in (os.path.join(ROOT, "build/kiosk/cli/kiosk"), os.path.join(os.path.dirname(ROOT), "build/kiosk/cli/kiosk")):
        if os.access(cand, os.X_OK):
            return cand
    return None


def session_lines(number, report_label):
    """One resident's visit. The script runs on the kiosk's frozen clock: `advance` moves it."""
    lines = [
        f"# session {number}",
        "expect screen attract",
        "tap start",
        "tap accept",
        "expect screen home",
        "tap go_scan",
        "tap scan_start",
        "tap go_tray",
        "tap rename_doc",
        "tap kb_clear",
        f"type Avis d'impôt {number}",
        "tap rename_ok",
        "expect screen tray",
        "tap print_doc",
        "tap print_start",
        "advance 1",
        "tap go_home",
        "tap go_sites",
        "tap partner_caf",
        "tap open_site",
        "tap sim_download",
        "advance 1",
        "tap go_home",
        "expect text Mes documents (2)",
    ]
    if number % 2:
        lines += ["tap end_session", "tap end_now"]
    else:
        # Nobody touches the screen: the warning after 180 s, the end after 60 s more, the wipe 15 s later.
        lines += ["advance 241", "expect screen ending", "advance 15"]
    lines.append("expect screen attract")
    if report_label:
        lines.append(f"report {report_label}")
    return lines


def cups_residue(env, spool):
    jobs = subprocess.run(["lpstat", "-W", "all", "-o"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if jobs.returncode != 0:  # a dead cupsd must not read as "no jobs"
        raise RuntimeError(f"lpstat failed: {jobs.stderr.strip()}")
    listed = [line for line in jobs.stdout.splitlines() if line.strip()]
    files = sorted(f for f in os.listdir(spool) if f[:1] in ("c", "d") and f[1:2].isdigit())
    return listed, files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiosk", help="kiosk binary (default: build/kiosk/cli/kiosk in or beside the tree)")
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--check", action="store_true", help="exit 1 unless flat with zero residue (the ctest mode)")
    ap.add_argument("--max-rss-growth-mib", type=float, default=8.0,
                    help="with --check: largest RSS growth allowed from the first report to the last")
    ap.add_argument("--max-heap-growth-mib", type=float, default=1.0,
                    help="with --check: largest growth of the bytes in use on the heap, first report to last")
    args = ap.parse_args()
    kiosk = args.kiosk or find_kiosk()
    if not kiosk or not os.access(kiosk, os.X_OK):
        print("soak: kiosk binary not found; build it or pass --kiosk PATH", file=sys.stderr)
        return 2
    if args.sessions < 10:
        print("soak: --sessions must be at least 10", file=sys.stderr)
        return 2

    if not shutil.which("bwrap"):
        print("soak: bwrap not found (Debian package bubblewrap)", file=sys.stderr)
        return 2
    report_at = sorted({n for n in (10, 100, 1000) if n <= args.sessions} | {args.sessions})
    # Not under /tmp, which the kiosk gets a private copy of; cupsd's filters (user lp) must reach the spool.
    work = tempfile.mkdtemp(prefix="kiosk-soak-", dir="/var/tmp")
    os.chmod(work, 0o755)  # cupsd's filters run as lp and must reach the spool below
    printer_dir = os.path.join(work, "cups")
    started = False
    status = 0
    try:
        out = subprocess.run([VIRTUAL_PRINTER, "start", printer_dir, "kiosk", "fast"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, timeout=90)
        if out.returncode != 0:
            print(f"soak: the virtual printer did not start: {out.stderr.strip()}", file=sys.stderr)
            return 1
        started = True
        printer = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
        env = dict(os.environ, CUPS_SERVER=printer["CUPS_SERVER"])
        if "ASAN_OPTIONS" in env:
            # The sanitizer build (the test command sets ASAN_OPTIONS): AddressSanitizer holds freed memory in a
            # quarantine of up to 256 MiB, which RSS counts and which fills as the sessions go, more with every
            # allocation added anywhere. Kept small, it is full after the first sessions, and RSS growth is the
            # kiosk's again.
            env["ASAN_OPTIONS"] += ":quarantine_size_mb=4:thread_local_quarantine_size_kb=64"

        run_dir = os.path.join(work, "run")
        config = os.path.join(work, "kiosk.toml")
        with open(config, "w") as f:
            f.write(f'[kiosk]\ndev_mode = true\nruntime_dir = "{run_dir}"\naudit_log = "{work}/audit.jsonl"\nagents_file = "{work}/agents.toml"\n'
                    f'[devices]\nscanner = "sim"\nprinter = "cups:queue=kiosk,server={printer["CUPS_SERVER"]}"\n'
                    f'browser = "sim"\nidreader = "sim"\n')
        script = os.path.join(work, "soak.ks")
        with open(script, "w") as f:
            for n in range(1, args.sessions + 1):
                f.write("\n".join(session_lines(n, f"after-{n}" if n in report_at else None)) + "\n")

        print(f"date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}")
        print(f"machine: nproc {os.cpu_count()}, {platform.machine()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"sessions: {args.sessions} back to back in one kiosk process (scan, rename, print through cupsd, "
              f"download, end or idle timeout)")
        t0 = time.monotonic()
        private_tmp = os.path.join(work, "tmp")
        os.mkdir(private_tmp)
        os.chmod(private_tmp, 0o1777)
        # The source tree and the kiosk's programs may themselves live under /tmp (a fresh clone there): they are
        # bound back into the private /tmp at their own paths, and the folders made for that are not residue.
        under_tmp = sorted({p for p in (ROOT, os.path.dirname(os.path.realpath(kiosk))) if p.startswith("/tmp/")})
        command = ["bwrap", "--dev-bind", "/", "/", "--bind", private_tmp, "/tmp"]
        for path in under_tmp:
            command += ["--bind", path, path]
        command += ["--die-with-parent", "--", kiosk, "run", "--headless", "--config", config, "--script", script]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        reports = []
        for line in proc.stdout:
            line = line.strip()
            if line.startswith("{"):
                report = json.loads(line)
                report["seconds"] = round(time.monotonic() - t0, 1)
                reports.append(report)
                print(f"  {report['report']}: {report['rss_kib'] / 1024:.1f} MiB RSS, {report['heap_kib'] / 1024:.1f} MiB heap, {report['fds']} fds, "
                      f"{report['threads']} threads, {report['seconds']} s", flush=True)
        proc.wait()
        stderr = proc.stderr.read()
        elapsed = time.monotonic() - t0
        if proc.returncode != 0:
            print(f"soak: the kiosk exited {proc.returncode}: {stderr.strip()}", file=sys.stderr)
            status = 1

        left_in_run = sorted(e for e in os.listdir(run_dir) if e != "kiosk.lock") if os.path.isdir(run_dir) else []
        jobs, spool_files = cups_residue(env, printer["CUPSD_SPOOL"])
        mount_points = {p[len("/tmp/"):].split("/")[0] for p in under_tmp}

        def only_empty_folders(folder):
            return all(not files for _, _, files in os.walk(folder))

        tmp_new = sorted(e for e in os.listdir(private_tmp)
                         if not (e in mount_points and only_empty_folders(os.path.join(private_tmp, e))))
        # What the sessions did, from the audit log (no personal data in it): every print submitted, every wipe clean.
        audit_log = os.path.join(work, "audit.jsonl")
        events = []
        if os.path.exists(audit_log):  # a kiosk that could not start wrote none
            with open(audit_log) as f:
                events = [json.loads(line) for line in f if line.strip()]
        printed = sum(1 for e in events if e.get("event") == "print")
        wiped = sum(1 for e in events if e.get("event") == "wipe" and e.get("ok") is True)
        failed_wipes = sum(1 for e in events if e.get("event") == "wipe" and e.get("ok") is False)

        print()
        print("after session   RSS MiB   heap MiB   fds   threads   seconds")
        for r in reports:
            print(f"{r['report'][6:]:>13}   {r['rss_kib'] / 1024:7.1f}   {r['heap_kib'] / 1024:8.1f}   {r['fds']:3}   {r['threads']:7}   "
                  f"{r['seconds']:7}")
        print(f"residue: runtime dir {left_in_run or 'nothing'}; cupsd jobs {jobs or 'none'}, spool files "
              f"{spool_files or 'none'}; new in /tmp {tmp_new or 'nothing'}")
        print(f"audit: {printed} prints submitted, {wiped} clean wipes, {failed_wipes} failed wipes")
        print(f"{args.sessions} sessions in {elapsed:.0f} s ({elapsed / args.sessions * 1000:.0f} ms a session)")

        growth_mib = (reports[-1]["rss_kib"] - reports[0]["rss_kib"]) / 1024 if len(reports) >= 2 else 0.0
        heap_growth_mib = (reports[-1]["heap_kib"] - reports[0]["heap_kib"]) / 1024 if len(reports) >= 2 else 0.0
        flat = len(reports) == len(report_at) and all(r["fds"] == reports[0]["fds"] and r["threads"] == reports[0]["threads"]
                                                      for r in reports)
        clean = not left_in_run and not jobs and not spool_files and not tmp_new
        complete = printed == args.sessions and wiped == args.sessions and failed_wipes == 0
        print(json.dumps({"bench": "soak", "sessions": args.sessions, "seconds": round(elapsed, 1), "reports": reports,
                          "rss_growth_mib": round(growth_mib, 2), "heap_growth_mib": round(heap_growth_mib, 2), "printed": printed, "wiped": wiped, "residue": {"runtime_dir": left_in_run, "cups_jobs": jobs,
                          "cups_spool": spool_files, "tmp": tmp_new}}))
        if args.check:
            if not flat:
                print("soak: descriptors or threads grew, or a report is missing", file=sys.stderr)
                status = 1
            if growth_mib > args.max_rss_growth_mib:
                print(f"soak: RSS grew by {growth_mib:.1f} MiB (more than {args.max_rss_growth_mib})", file=sys.stderr)
                status = 1
            if heap_growth_mib > args.max_heap_growth_mib:
                print(f"soak: the heap grew by {heap_growth_mib:.2f} MiB (more than {args.max_heap_growth_mib})", file=sys.stderr)
                status = 1
            if not clean:
                print("soak: something was left behind (see residue)", file=sys.stderr)
                status = 1
            if not complete:
                print("soak: not every session printed and was wiped cleanly (see audit)", file=sys.stderr)
                status = 1
    finally:
        if started:
            subprocess.run([VIRTUAL_PRINTER, "stop", printer_dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
