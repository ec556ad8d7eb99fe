#!/usr/bin/env python3
"""Documents benchmark: the same raw A4 frames through our pipeline, img2pdf and ImageMagick's convert.

Prints a table (ms per page, bytes per page, ratios ours/peer, targets) and one JSON line. See README.md.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

CONFIGS = [(150, "gray"), (150, "color"), (300, "gray"), (300, "color")]
QUALITY = 80  # kiosk::documents::default_jpeg_quality, and the same for convert

# Debian's /etc/ImageMagick-6/policy.xml forbids the PDF coder (meant against Ghostscript reading PDFs). The
# benchmark never edits system files: it gives ImageMagick its own configuration directory through
# MAGICK_CONFIGURE_PATH (larger resource limits, so 300 dpi pages are not cached on disk), but ImageMagick 6
# merges every policy.xml it finds and keeps the system's "none", so the output is written through the PDFA
# coder instead: the same PDF writer (coders/pdf.c), not covered by the pattern "PDF", multi-page, no
# Ghostscript involved; it adds a small XMP metadata block per file.
PERMISSIVE_POLICY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE policymap [ <!ELEMENT policymap (policy)*> <!ATTLIST policymap xmlns CDATA #FIXED ''>
<!ELEMENT policy EMPTY> <!ATTLIST policy xmlns CDATA #FIXED '' domain NMTOKEN #REQUIRED
name NMTOKEN #IMPLIED pattern CDATA #IMPLIED rights NMTOKEN #IMPLIED stealth NMTOKEN #IMPLIED
value CDATA #IMPLIED> ]>
<policymap>
  <policy domain="resource" name="memory" value="2GiB"/>
  <policy domain="resource" name="map" value="4GiB"/>
  <policy domain="resource" name="area" value="1GP"/>
  <policy domain="resource" name="disk" value="8GiB"/>
  <policy domain="coder" rights="read|write" pattern="PDF" />
</policymap>
"""


def find_bench(explicit):
    if explicit:
        return explicit
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    for build in ("build", "../build"):
        path = os.path.normpath(os.path.join(root, build, "tests/bench/documents_bench"))
        if os.path.exists(path):
            return path
    sys.exit("documents_bench not found: build the target documents_bench or pass --bench PATH")


def timed(command, env=None):
    """Runs a command on one core; returns (wall ms, stdout)."""
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = (time.perf_counter() - start) * 1000.0
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()[:500]}")
    return elapsed, result.stdout


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", help="path of the documents_bench executable")
    parser.add_argument("--pages", type=int, default=3, help="pages per document (default 3)")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool and configuration; the median is kept")
    args = parser.parse_args()
    bench = find_bench(args.bench)
    for tool in ("img2pdf", "convert"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install img2pdf imagemagick")

    # One core for every tool: ours is single-threaded, ImageMagick would otherwise use OpenMP threads.
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    with tempfile.TemporaryDirectory(prefix="documents_bench.") as work:
        policy_dir = os.path.join(work, "magick")
        os.mkdir(policy_dir)
        with open(os.path.join(policy_dir, "policy.xml"), "w") as f:
            f.write(PERMISSIVE_POLICY)
        magick_env = dict(os.environ, MAGICK_CONFIGURE_PATH=policy_dir, MAGICK_THREAD_LIMIT="1", OMP_NUM_THREADS="1",
                          MAGICK_TEMPORARY_PATH=work)

        rows = []
        for dpi, mode in CONFIGS:
            frames = subprocess.run([bench, "generate", work, str(dpi), mode, str(args.pages)], check=True,
                                    capture_output=True, text=True).stdout.split()
            out = os.path.join(work, f"{mode}-{dpi}")
            figures = {"ours": [], "ours_inproc": [], "img2pdf": [], "convert": []}
            sizes = {}
            stages = None
            for _ in range(args.runs):
                ms, stdout = timed([bench, "pipeline", out + "-ours.pdf", str(dpi), mode, str(QUALITY)] + frames)
                report = json.loads(stdout)
                figures["ours"].append(ms)
                # crop + deskew + encode + assemble, without reading the PNM frames or writing the file
                figures["ours_inproc"].append(report["prepare_ms"] + report["encode_ms"] + report["assemble_ms"])
                stages = report
                sizes["ours"] = report["bytes"]
                ms, _ = timed(["img2pdf", "--output", out + "-img2pdf.pdf"] + frames)
                figures["img2pdf"].append(ms)
                sizes["img2pdf"] = os.path.getsize(out + "-img2pdf.pdf")
                # The same work as ours: deskew, trim the dark surround, JPEG at the same quality into a PDF.
                ms, _ = timed(["convert", "-density", str(dpi)] + frames
                              + ["-deskew", "40%", "-fuzz", "25%", "-trim", "+repage", "-compress", "jpeg",
                                 "-quality", str(QUALITY), "PDFA:" + out + "-convert.pdf"], env=magick_env)
                figures["convert"].append(ms)
                sizes["convert"] = os.path.getsize(out + "-convert.pdf")
            row = {"dpi": dpi, "mode": mode, "pages": args.pages}
            for tool, values in figures.items():
                row[f"{tool}_ms_per_page"] = round(median(values) / args.pages, 1)
            for tool, size in sizes.items():
                row[f"{tool}_bytes_per_page"] = size // args.pages
            row["prepare_ms_per_page"] = round(stages["prepare_ms"] / args.pages, 1)
            row["encode_ms_per_page"] = round(stages["encode_ms"] / args.pages, 1)
            for peer in ("img2pdf", "convert"):
                row[f"time_ours_over_{peer}"] = round(row["ours_ms_per_page"] / row[f"{peer}_ms_per_page"], 3)
                row[f"bytes_ours_over_{peer}"] = round(row["ours_bytes_per_page"] / row[f"{peer}_bytes_per_page"], 3)
            rows.append(row)
            if dpi == 150 and mode == "gray":
                # The one-page target: a grey 150 dpi text document on its own.
                _, stdout = timed([bench, "pipeline", out + "-one.pdf", str(dpi), mode, str(QUALITY), frames[0]])
                one_page_bytes = json.loads(stdout)["bytes"]

    print(f"documents benchmark, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {args.pages} pages per document, "
          f"median of {args.runs} runs, one core, load {os.getloadavg()[0]:.2f}, JPEG quality {QUALITY}")
    header = (f"{'config':<11}{'ours ms':>9}{'(in-proc)':>10}{'img2pdf ms':>11}{'convert ms':>11}"
              f"{'ours KB':>9}{'img2pdf KB':>11}{'convert KB':>11}{'t/img2pdf':>10}{'t/convert':>10}"
              f"{'B/img2pdf':>10}{'B/convert':>10}")
    print("per page:")
    print(header)
    for r in rows:
        print(f"{str(r['dpi']) + ' ' + r['mode']:<11}{r['ours_ms_per_page']:>9.1f}{r['ours_inproc_ms_per_page']:>10.1f}"
              f"{r['img2pdf_ms_per_page']:>11.1f}{r['convert_ms_per_page']:>11.1f}"
              f"{r['ours_bytes_per_page'] / 1000:>9.0f}{r['img2pdf_bytes_per_page'] / 1000:>11.0f}"
              f"{r['convert_bytes_per_page'] / 1000:>11.0f}{r['time_ours_over_img2pdf']:>10.3f}"
              f"{r['time_ours_over_convert']:>10.3f}{r['bytes_ours_over_img2pdf']:>10.3f}"
              f"{r['bytes_ours_over_convert']:>10.3f}")

    color300 = next(r for r in rows if r["dpi"] == 300 and r["mode"] == "color")
    worst_speedup = min(r["convert_ms_per_page"] / r["ours_ms_per_page"] for r in rows)
    targets = [
        ("faster than convert (worst config)", f"{worst_speedup:.1f}x", ">= 5x", worst_speedup >= 5),
        ("crop+deskew+encode+assemble, 300 dpi colour page", f"{color300['ours_inproc_ms_per_page']:.1f} ms",
         "<= 150 ms", color300["ours_inproc_ms_per_page"] <= 150),
        ("grey 150 dpi one-page document", f"{one_page_bytes / 1000:.0f} KB", "<= 250 KB", one_page_bytes <= 250_000),
    ]
    print("targets:")
    for name, value, target, met in targets:
        print(f"  {name:<50}{value:>10}  {target:<10}{'PASS' if met else 'MISS'}")
    print(json.dumps({"pages_per_document": args.pages, "runs": args.runs, "quality": QUALITY, "configs": rows,
                      "one_page_gray150_bytes": one_page_bytes, "worst_speedup_vs_convert": round(worst_speedup, 2),
                      "targets_met": {name: met for name, _, _, met in targets}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
