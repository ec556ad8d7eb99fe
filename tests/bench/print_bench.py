#!/usr/bin/env python3
"""Print submission benchmark: document ready -> job accepted by a private local cupsd.

Times `kiosk print FILE --printer QUEUE` (the kiosk's CUPS driver, process start included) beside
`lp -d QUEUE FILE`, interleaved, against a private cupsd + ippeveprinter started with
deploy/dev/cups/virtual-printer.sh. Not a ctest test; see tests/bench/README.md.
Exit 0 when every run completed (whatever the figures), 1 when a run failed, 2 for bad usage.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_MEDIAN_MS = 50.0


def find_kiosk(root):
    for cand in (os.path.join(root, "build/kiosk/cli/kiosk"),
                 os.path.join(os.path.dirname(root), "build/kiosk/cli/kiosk")):
        if os.access(cand, os.X_OK):
            return cand
    return None


def p95(values):
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(0.95 * len(s) + 0.5)) - 1))  # nearest-rank
    return s[k]


def timed(cmd, env, timeout=30):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    ms = (time.perf_counter() - t0) * 1000.0
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.strip() or r.stdout.strip()}")
    return ms, r.stdout


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiosk", help="kiosk binary (default: build/kiosk/cli/kiosk in or beside the tree)")
    ap.add_argument("--jobs", type=int, default=50, help="submissions per method (default 50)")
    ap.add_argument("--wait-jobs", type=int, default=10, help="`kiosk print --wait` runs; 0 to skip")
    args = ap.parse_args()
    kiosk = args.kiosk or find_kiosk(root)
    if not kiosk or not os.access(kiosk, os.X_OK):
        print("print_bench: kiosk binary not found; build it or pass --kiosk PATH", file=sys.stderr)
        return 2
    if args.jobs < 2:
        print("print_bench: --jobs must be at least 2", file=sys.stderr)
        return 2
    script = os.path.join(root, "deploy/dev/cups/virtual-printer.sh")

    tmp = tempfile.mkdtemp(prefix="print_bench.")
    os.chmod(tmp, 0o755)  # cupsd filters run as lp and must traverse it
    vdir = os.path.join(tmp, "cups")
    started = False
    try:
        started = True  # stop is harmless even if start failed half-way
        r = subprocess.run([script, "start", vdir], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"virtual-printer.sh start failed: {r.stderr.strip()}")
        cfg = dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
        queue = cfg["KIOSK_PRINTER_QUEUE"]
        env = dict(os.environ, CUPS_SERVER=cfg["CUPS_SERVER"], CUPS_STATEDIR=cfg["CUPS_STATEDIR"])

        pdf = os.path.join(tmp, "page.pdf")
        _, out = timed([kiosk, "scan", "--device", "sim", "--mode", "gray", "--dpi", "150", "--out", pdf], env)
        scan = json.loads(out.strip().splitlines()[-1])

        kiosk_cmd = [kiosk, "print", pdf, "--printer", queue]
        lp_cmd = ["lp", "-d", queue, pdf]
        # One untimed warm-up of each (page cache, cupsd's first-job work).
        timed(kiosk_cmd, env)
        timed(lp_cmd, env)
        subprocess.run(["cancel", "-a", "-x", queue], env=env, capture_output=True)

        k_ms, l_ms = [], []
        for i in range(args.jobs):
            order = [("kiosk", kiosk_cmd, k_ms), ("lp", lp_cmd, l_ms)]
            if i % 2:
                order.reverse()  # alternate which goes first so neither always follows the other
            for name, cmd, acc in order:
                ms, out = timed(cmd, env)
                if name == "kiosk" and '"job"' not in out:
                    raise RuntimeError(f"kiosk print gave no job id: {out.strip()}")
                acc.append(ms)
            subprocess.run(["cancel", "-a", "-x", queue], env=env, capture_output=True)

        w_ms = []
        for _ in range(args.wait_jobs):
            ms, _ = timed(kiosk_cmd + ["--wait"], env, timeout=120)
            w_ms.append(ms)

        km, lm = statistics.median(k_ms), statistics.median(l_ms)
        kp, lp95 = p95(k_ms), p95(l_ms)
        verdict = "PASS" if km <= TARGET_MEDIAN_MS else "MISS"
        nproc = len(os.sched_getaffinity(0))
        load = os.getloadavg()
        print(f"date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}")
        print(f"machine: nproc {nproc}, {platform.machine()}, load average "
              f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"document: one A4 page from the sim scanner, gray 150 dpi, {scan.get('bytes')} bytes")
        print(f"jobs: {args.jobs} per method, interleaved kiosk/lp; queue {queue}")
        print()
        print(f"{'submission latency':<34}{'median ms':>10}{'p95 ms':>10}  target")
        print(f"{'kiosk print (process start incl.)':<34}{km:>10.1f}{kp:>10.1f}  median <= {TARGET_MEDIAN_MS:.0f} ms {verdict}")
        print(f"{'lp -d QUEUE':<34}{lm:>10.1f}{lp95:>10.1f}")
        print(f"{'ratio kiosk/lp':<34}{km / lm:>10.2f}{kp / lp95:>10.2f}")
        if w_ms:
            print(f"{'kiosk print --wait (to completed)':<34}{statistics.median(w_ms):>10.1f}{'':>10}  ({len(w_ms)} jobs, median)")
        result = {
            "bench": "print", "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "nproc": nproc, "loadavg": [round(x, 2) for x in load], "jobs": args.jobs,
            "pdf_bytes": scan.get("bytes"),
            "kiosk_median_ms": round(km, 2), "kiosk_p95_ms": round(kp, 2),
            "lp_median_ms": round(lm, 2), "lp_p95_ms": round(lp95, 2),
            "ratio_median": round(km / lm, 3), "target_median_ms": TARGET_MEDIAN_MS, "verdict": verdict,
            "kiosk_wait_median_ms": round(statistics.median(w_ms), 2) if w_ms else None,
            "kiosk_ms": [round(x, 2) for x in k_ms], "lp_ms": [round(x, 2) for x in l_ms],
        }
        print(json.dumps(result))
        return 0
    except (RuntimeError, subprocess.TimeoutExpired, KeyError, ValueError) as e:
        print(f"print_bench: run failed: {e}", file=sys.stderr)
        return 1
    finally:
        if started:
            subprocess.run([script, "stop", vdir], capture_output=True, timeout=30)
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    sys.exit(main())
