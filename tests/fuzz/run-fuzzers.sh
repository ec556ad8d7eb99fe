#!/bin/bash
# Builds the libFuzzer targets (tests/fuzz/CMakeLists.txt) in build-fuzz/ and runs each for a bounded time
# on a copy of its seed corpus. Exits non-zero on any crash, leak, hang or sanitizer report.
# Usage: tests/fuzz/run-fuzzers.sh [SECONDS per fuzzer, default 60]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
cxx=${KIOSK_FUZZ_CXX:-clang++-16}
build="$root/build-fuzz"

if ! command -v "$cxx" >/dev/null; then
    echo "run-fuzzers: $cxx not found; install the Debian packages clang-16 libclang-rt-16-dev libc++-16-dev libc++abi-16-dev" >&2
    exit 1
fi

cmake -S "$root/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$build" -j 1

# Our own settings, whatever the caller exported for the other test builds.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unset LSAN_OPTIONS
# Readable stacks in a report; without a symbolizer the report is still detected, only less useful.
symbolizer=$(command -v llvm-symbolizer-16 || command -v llvm-symbolizer || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/artifacts"

status=0
summaries=()
# Each fuzzer with its seed corpus directory under tests/fuzz/corpus/.
for pair in mrz_parser_fuzz:mrz mrz_framer_fuzz:framer config_parser_fuzz:config script_parser_fuzz:script tar_reader_fuzz:tar; do
    fuzzer=${pair%%:*}
    corpus="$work/$fuzzer"
    cp -r "$root/tests/fuzz/corpus/${pair#*:}" "$corpus"
    log="$build/artifacts/$fuzzer.log"
    rc=0
    # -timeout turns a hang into a failure well within the time budget.
    "$build/$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$fuzzer-" "$corpus" >"$log" 2>&1 || rc=$?
    # libFuzzer already exits non-zero on a report; the log is checked too in case a report did not stop it.
    if grep -qE '^==[0-9]+==ERROR|runtime error:|^SUMMARY: ' "$log"; then
        [ $rc = 0 ] && rc=1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ $rc = 0 ]; then
        summaries+=("run-fuzzers: $fuzzer passed: ${runs:-?} runs in ${seconds} s, corpus grew to $(ls "$corpus" | wc -l) inputs")
    else
        echo "---- $fuzzer failed (exit $rc); end of $log:"
        tail -n 40 "$log"
        summaries+=("run-fuzzers: $fuzzer FAILED (exit $rc) after ${runs:-?} runs; log and reproducer in $build/artifacts/")
        status=1
    fi
done

printf '%s\n' "${summaries[@]}"
exit $status
