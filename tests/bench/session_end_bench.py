#!/usr/bin/env python3
"""Session end with a partner site open -> attract screen, beside plain Chromium closed by hand.

The kiosk binary (headless) opens the CAF site in its confined Chromium (bubblewrap, Chromium's own sandbox on,
driven over its DevTools pipe) against a loopback HTTPS page under www.caf.fr, then the resident ends the session;
the figure is the time from the "Terminer" tap (then "Terminer maintenant") to the attract screen, which covers the
whole wipe:
Chromium stopped, its profile, downloads and uploads deleted, print jobs purged, the session folder and key gone.
Read from two `report` lines of the script.

Peer: what a person would do with plain Chromium to leave nothing behind: the same page in
`chromium --headless=new --no-sandbox` with a fresh profile, closed with SIGTERM, waited for, its profile deleted.

Not a ctest test (figures depend on the machine); see tests/bench/README.md.
Exit 0 when every run completed, 1 when one failed, 2 for bad usage.
"""
import argparse
import base64
import datetime
import hashlib
import http.server
import json
import os
import platform
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PAGE = b"<!DOCTYPE html><html><head><meta charset=utf-8><title>CAF</title></head><body><h1>Mon compte</h1></body></html>"


def find_kiosk():
    for cand in (os.path.join(ROOT, "build/kiosk/cli/kiosk"), os.path.join(os.path.dirname(ROOT), "build/kiosk/cli/kiosk")):
        if os.access(cand, os.X_OK):
            return cand
    return None


def make_certificate(work):
    key, cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-subj", "/CN=kiosk bench", "-addext", "subjectAltName=DNS:caf.fr,DNS:*.caf.fr", "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    der = subprocess.run(["openssl", "x509", "-in", cert, "-pubkey", "-noout"], check=True, stdout=subprocess.PIPE).stdout
    spki = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=der, check=True, stdout=subprocess.PIPE).stdout
    return key, cert, base64.b64encode(hashlib.sha256(spki).digest()).decode()


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


def serve(key, cert):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def kiosk_run(kiosk, work, port, spki, settle):
    run = tempfile.mkdtemp(prefix="run-", dir=work)
    config = os.path.join(run, "kiosk.toml")
    with open(config, "w") as f:
        f.write(f'[kiosk]\ndev_mode = true\nruntime_dir = "{run}/run"\nagents_file = "{run}/agents.toml"\n'
                f'[devices]\nprinter = "sim:dir={run}/printed"\nbrowser = "chromium:headless=1,resolve_to=127.0.0.1:{port},trust_spki={spki},log={run}/chromium.log"\n')
    script = os.path.join(run, "s.ks")
    with open(script, "w") as f:
        f.write("tap start\ntap accept\ntap go_sites\ntap partner_caf\ntap open_site\nexpect screen browser\n"
                f"sleep {settle}\nreport ending\ntap end_session\ntap end_now\nexpect screen attract\nreport attract\n")
    out = subprocess.run([kiosk, "run", "--headless", "--config", config, "--script", script], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"kiosk exited {out.returncode}: {out.stderr.strip()[-400:]}")
    reports = {r["report"]: r for r in (json.loads(line) for line in out.stdout.splitlines() if line.startswith("{"))}
    left = os.listdir(os.path.join(run, "run"))
    if [e for e in left if e != "kiosk.lock"]:
        raise RuntimeError(f"the kiosk left {left}")
    shutil.rmtree(run, ignore_errors=True)
    return reports["attract"]["ms"] - reports["ending"]["ms"]


def peer_run(work, port, spki, settle):
    profile = tempfile.mkdtemp(prefix="peer-", dir=work)
    proc = subprocess.Popen(["/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             f"--user-data-dir={profile}", f"--host-resolver-rules=MAP * 127.0.0.1:{port}",
                             f"--ignore-certificate-errors-spki-list={spki}", "https://www.caf.fr/"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(settle)
    start = time.perf_counter()
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)
    shutil.rmtree(profile)
    return (time.perf_counter() - start) * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiosk", help="kiosk binary (default: build/kiosk/cli/kiosk in or beside the tree)")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--settle", type=float, default=3.0, help="seconds the page stays open before the end")
    args = ap.parse_args()
    kiosk = args.kiosk or find_kiosk()
    if not kiosk or args.runs < 1:
        print("session_end_bench: kiosk binary not found or bad --runs", file=sys.stderr)
        return 2
    for tool in ("/usr/bin/chromium", "/usr/bin/bwrap", "/usr/bin/openssl"):
        if not os.access(tool, os.X_OK):
            print(f"session_end_bench: {tool} is missing", file=sys.stderr)
            return 2
    work = tempfile.mkdtemp(prefix="kiosk-session-end-", dir="/tmp")
    try:
        key, cert, spki = make_certificate(work)
        server = serve(key, cert)
        port = server.server_address[1]
        print(f"date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}")
        print(f"machine: nproc {os.cpu_count()}, {platform.machine()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        kiosk_ms, peer_ms = [], []
        for _ in range(args.runs):  # interleaved, so that both see the same load
            kiosk_ms.append(kiosk_run(kiosk, work, port, spki, args.settle))
            peer_ms.append(peer_run(work, port, spki, args.settle))
        server.shutdown()
    except (RuntimeError, subprocess.SubprocessError, OSError) as failure:
        print(f"session_end_bench: {failure}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def p95(values):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered) + 0.5)) - 1)]

    k, p = statistics.median(kiosk_ms), statistics.median(peer_ms)
    print()
    print("                                              median ms   p95 ms")
    print(f"kiosk: end of session -> attract (whole wipe) {k:9.1f} {p95(kiosk_ms):8.1f}")
    print(f"plain Chromium: SIGTERM, exit, profile rm     {p:9.1f} {p95(peer_ms):8.1f}")
    print(f"ratio kiosk/peer                              {k / p:9.2f} {p95(kiosk_ms) / p95(peer_ms):8.2f}")
    print(json.dumps({"bench": "session_end", "runs": args.runs, "kiosk_ms": [round(x, 1) for x in kiosk_ms],
                      "peer_ms": [round(x, 1) for x in peer_ms], "kiosk_median_ms": round(k, 1), "peer_median_ms": round(p, 1),
                      "ratio_median": round(k / p, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
