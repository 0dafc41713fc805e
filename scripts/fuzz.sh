#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (CMake preset "fuzz", in build/fuzz) and runs each
# for a bounded time, starting from the seed corpus in tests/fuzz/corpus/<harness>/. Fails when a
# harness crashes, leaks or times out; the input that did it is left in build/fuzz/artifacts/.
#
#   scripts/fuzz.sh [seconds per harness, default 60]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=${1:-60}
case "$seconds" in
    ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [seconds]" >&2; exit 2 ;;
esac
harnesses=(scenario_json figure_import user_store listing_round_trip story_file)

cliff_install_packages
cmake --preset fuzz -S "$CLIFF_ROOT" >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

build="$CLIFF_ROOT/build/fuzz"
mkdir -p "$build/artifacts"
failed=0
for harness in "${harnesses[@]}"; do
    # New inputs go to a scratch corpus in the build folder; the seeds in tests/ stay as they are.
    corpus="$build/corpus/$harness"
    log="$build/$harness.log"
    mkdir -p "$corpus"
    echo "fuzz_$harness: ${seconds}s"
    if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/tests/fuzz/fuzz_$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$harness-" \
        "$corpus" "$CLIFF_ROOT/tests/fuzz/corpus/$harness" >"$log" 2>&1; then
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$log" \
            | sed 's/^/    /'
    else
        failed=1
        echo "fuzz_$harness FAILED; its log:" >&2
        grep -E -A40 '^==[0-9]+==ERROR|runtime error|deadly signal|Test unit written' "$log" >&2 \
            || tail -n 60 "$log" >&2
    fi
done
exit "$failed"
