#!/bin/bash
# Installs what is missing, builds, checks the formatting, and runs every test through ctest: once in a normal build,
# once under AddressSanitizer and UndefinedBehaviorSanitizer, then the fuzzers. Exits non-zero when any of it fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jobs=$(nproc)

"$root/deploy/dev/setup.sh" "$root/build"
status=0

# One style for the whole tree (.clang-format): a file that is not formatted fails the run, with the places.
mapfile -t sources < <(find "$root/kiosk" "$root/drivers" "$root/tests" -name '*.cpp' -o -name '*.h' | sort)
if ! clang-format --dry-run --Werror "${sources[@]}"; then
    echo "run-tests: some files are not clang-format clean (clang-format -i FILE fixes them)"
    status=1
fi
(cd "$root/build" && ctest --output-on-failure -j "$jobs") || status=1

"$root/deploy/dev/setup.sh" "$root/build-asan" -DKIOSK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0
(cd "$root/build-asan" && ctest --output-on-failure -j "$jobs") || status=1

# libFuzzer on the MRZ parser, the serial framing, the configuration and the script parsers, a bounded time
# each; any crash, leak or sanitizer report fails the run.
"$root/tests/fuzz/run-fuzzers.sh" "${KIOSK_FUZZ_SECONDS:-60}" || status=1

if [ $status = 0 ]; then
    echo "run-tests: every test passed, in the normal and the sanitizer builds, and the fuzzers found nothing"
else
    echo "run-tests: some tests failed (see above)"
fi
exit $status
