#!/usr/bin/env bash
# The fuzz smoke inside `make test` (seconds, not minutes): every committed corpus and regression
# input replayed through the managed targets, then a short libFuzzer run of the C ABI under ASan.
# Prints "fuzz-replay: N passed, N failed" and "fuzz-abi: N passed, N failed".
set -u -o pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
status=0
dotnet tests/fuzz/managed/bin/Release/net10.0/SessionInterop.Fuzz.dll replay-all tests/fuzz/corpus tests/fuzz/regressions \
    | grep -vE '^replay [a-z-]+: [0-9]+ inputs, 0 crashes, 0 hangs$' || status=1

if ! make --no-print-directory -s -C tests/fuzz/abi; then
    echo "fuzz-abi: 0 passed, 1 failed"; exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
cp tests/fuzz/corpus/abi/* "$work/corpus/"
[[ -d tests/fuzz/regressions/abi ]] && cp tests/fuzz/regressions/abi/* "$work/corpus/"
if (cd "$work" && ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 "$ROOT/build/fuzz/abi_fuzz" -max_total_time="${FUZZ_SMOKE_SECONDS:-15}" \
        -timeout=10 -print_final_stats=1 "$work/corpus" > "$work/log" 2>&1); then
    echo "fuzz-abi: 1 passed, 0 failed ($(grep -oE 'number_of_executed_units: *[0-9]+' "$work/log" | grep -oE '[0-9]+$') executions)"
else
    tail -40 "$work/log"; echo "fuzz-abi: 0 passed, 1 failed"; status=1
fi
exit $status
