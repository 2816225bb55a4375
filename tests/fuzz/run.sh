#!/usr/bin/env bash
# `make fuzz`: coverage-guided fuzzing of every parser that sees outside bytes (AFL++ over the
# SharpFuzz-instrumented managed library) and of the C ABI (libFuzzer + ASan), one target after
# another. Prints one line of figures per target and writes them to build/fuzz/results.tsv.
#
#   FUZZ_SECONDS=N    time limit per target (default 60)
#   FUZZ_EXECS=N      stop a managed target earlier once it reached N executions (e.g. 1000000)
#   FUZZ_TARGETS="a b"  only these targets (names: first column of `SessionInterop.Fuzz list`, and abi)
#   FUZZ_REUSE=1      use the instrumented copy a run before this one made (to run several campaigns at once)
#   FUZZ_RESULTS=F    where the figures go (default build/fuzz/results.tsv)
#
# New crashes are copied to tests/fuzz/crashes/TARGET/ for triage: fix the parser, then move the
# input to tests/fuzz/regressions/TARGET/ (replayed by `make test`) and add a named test.
set -u -o pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
EXECS=${FUZZ_EXECS:-}
OUT=$ROOT/build/fuzz
BIN=$OUT/managed
TOOLS=$ROOT/build/tools
mkdir -p "$OUT/out"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install afl++"; exit 1; }

# 1. The managed harness, with the library and protobuf instrumented in a copy of its output.
if [[ -z ${FUZZ_REUSE:-} ]]; then
    dotnet build tests/fuzz/managed -c Release -nologo -v:q -clp:ErrorsOnly || exit 1
    [[ -x $TOOLS/sharpfuzz ]] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$TOOLS" >/dev/null || exit 1
    rm -rf "$BIN" && cp -r tests/fuzz/managed/bin/Release/net10.0 "$BIN"
    for dll in SessionInterop.Managed.dll Google.Protobuf.dll; do
        (cd "$BIN" && "$TOOLS/sharpfuzz" "$dll" >/dev/null) || { echo "sharpfuzz could not instrument $dll"; exit 1; }
    done
fi

# (the instrumented copy may only run under afl-fuzz)
managed_targets=$(dotnet tests/fuzz/managed/bin/Release/net10.0/SessionInterop.Fuzz.dll list | cut -f1)
targets=${FUZZ_TARGETS:-$managed_targets abi}

# 2. The ABI fuzzer (needs dist/lib/libsession.so from `make dist`).
if [[ " $targets " == *" abi "* ]]; then make --no-print-directory -C tests/fuzz/abi || exit 1; fi

# The machine may be shared: no CPU pinning, no CPU-governor or core_pattern demands.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_WARN_INSTABILITY=1 DOTNET_TieredPGO=0

results=${FUZZ_RESULTS:-$OUT/results.tsv}
printf 'target\texecutions\tcrashes\thangs\tcorpus\tseconds\n' > "$results"
total_crashes=0
for target in $targets; do
    out=$OUT/out/$target
    rm -rf "$out"
    start=$(date +%s)
    if [[ $target == abi ]]; then
        mkdir -p "$out/corpus" "$out/crashes"
        cp tests/fuzz/corpus/abi/* "$out/corpus/" 2>/dev/null
        (cd "$out/crashes" && ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 LD_LIBRARY_PATH=$ROOT/dist/lib \
            "$ROOT/build/fuzz/abi_fuzz" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=4096 \
            -print_final_stats=1 "$out/corpus" ) > "$out/log" 2>&1
        execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$out/log" | grep -oE '[0-9]+$' | tail -1)
        crashes=$(find "$out/crashes" -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' | wc -l)
        hangs=$(find "$out/crashes" -name 'timeout-*' | wc -l)
        corpus=$(find "$out/corpus" -type f | wc -l)
        found=$(find "$out/crashes" -type f -name '*-*')
    else
        limit=(-V "$SECONDS_PER_TARGET")
        [[ -n $EXECS ]] && limit+=(-E "$EXECS")   # whichever comes first
        afl-fuzz -i "tests/fuzz/corpus/$target" -o "$out" "${limit[@]}" -t 5000 -m none \
            -- dotnet "$BIN/SessionInterop.Fuzz.dll" afl "$target" > "$out.log" 2>&1
        stats=$out/default/fuzzer_stats
        execs=$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats" 2>/dev/null)
        crashes=$(awk -F' *: *' '$1=="saved_crashes"{print $2}' "$stats" 2>/dev/null)
        hangs=$(awk -F' *: *' '$1=="saved_hangs"{print $2}' "$stats" 2>/dev/null)
        corpus=$(awk -F' *: *' '$1=="corpus_count"{print $2}' "$stats" 2>/dev/null)
        found=$(find "$out/default/crashes" "$out/default/hangs" -type f -name 'id:*' 2>/dev/null)
    fi
    seconds=$(( $(date +%s) - start ))
    if [[ -n $found ]]; then
        mkdir -p "tests/fuzz/crashes/$target"
        for f in $found; do cp "$f" "tests/fuzz/crashes/$target/$(sha1sum "$f" | cut -c1-16)"; done
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "${execs:-0}" "${crashes:-?}" "${hangs:-?}" "${corpus:-0}" "$seconds" | tee -a "$results"
    total_crashes=$((total_crashes + ${crashes:-1} + ${hangs:-1}))
done
column -t "$results"
echo "fuzz: $total_crashes crashes or hangs (inputs in tests/fuzz/crashes/)"
[[ $total_crashes -eq 0 ]]
