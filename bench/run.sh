#!/usr/bin/env bash
# Runs every benchmark and writes bench/results.md (called by `make bench`, after `make dist`).
#
#   bash bench/run.sh            full run (a few minutes), prints the table, writes bench/results.md
#   bash bench/run.sh --smoke    tiny counts (part of `make test`): checks the harness still builds and
#                                runs; prints "<part>: N passed, N failed" lines, writes only build/bench-smoke/
#   BENCH_DOTNET=1 bash bench/run.sh   also a BenchmarkDotNet run (ShortRun job, in process) of bench/Managed.Bench
#
# Writes bench/results.md and bench/results.json (one row per figure, stable names; bench/report.py).
#
# Everything runs on loopback: LocalNet (src/LocalNet) is started here and stopped on exit.
set -u -o pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SMOKE=0
[[ "${1:-}" == "--smoke" ]] && SMOKE=1
CC=${CC:-gcc}
PYTHON=${PYTHON:-python3}
DOTNET=${DOTNET:-dotnet}
DIST=$ROOT/dist
OUT=$ROOT/build/bench
[[ $SMOKE == 1 ]] && OUT=$ROOT/build/bench-smoke
rm -rf "$OUT"
mkdir -p "$OUT"
passed=0 failed=0
ok() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "bench/run.sh: FAILED: $*" >&2; fi; }
say() { [[ $SMOKE == 1 ]] || echo "$@"; }

[[ -e $DIST/lib/libsession.so ]] || { echo "bench/run.sh: run 'make dist' first"; echo "bench-run: 0 passed, 1 failed"; exit 1; }

# ---- build the C programs (C11, -Wall -Wextra -Werror), against dist's libsession.so and libsodium.so
CFLAGS="-std=c11 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror -I$DIST/include -I$ROOT/bench"
ok $CC $CFLAGS bench/bench.c -o "$OUT/bench" -L"$DIST/lib" -l:libsession.so -l:libsodium.so -Wl,-rpath,"$DIST/lib"
# footprint dlopens the library itself; libm is linked in as any real host has it (see docs/benchmarks.md).
ok $CC $CFLAGS bench/footprint.c -o "$OUT/footprint" -ldl -Wl,--no-as-needed -lm -Wl,--as-needed

# ---- machine
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(uname -srm), $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    echo "cores: $(nproc)"
    echo "load average (1/5/15 min) at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "dotnet: $($DOTNET --version 2>/dev/null || echo none)"
    echo "libsodium: $(strings "$DIST/lib/libsodium.so" | grep -m1 -E '^1\.0\.[0-9]+$' || echo 'dist/lib/libsodium.so')"
} > "$OUT/machine.txt"

# ---- the NativeAOT bench host (bench/Aot.Bench), built first: it also runs against LocalNet below
AOT_OK=0
if [[ $SMOKE == 0 ]]; then
    say "== publishing bench/Aot.Bench (NativeAOT)"
    $DOTNET publish bench/Aot.Bench -c Release -r linux-x64 -nologo -v:q -clp:ErrorsOnly -o "$OUT/aot" > "$OUT/aot-build.log" 2>&1 && AOT_OK=1
    [[ $AOT_OK == 1 ]] || { cat "$OUT/aot-build.log"; failed=$((failed + 1)); }
fi

# ---- LocalNet
LOCALNET=$ROOT/src/LocalNet/bin/Release/net10.0/session-localnet
if [[ ! -x $LOCALNET ]]; then
    $DOTNET build src/LocalNet -c Release -nologo -v:q -clp:ErrorsOnly >/dev/null
fi
localnet_pid=""
cleanup() { if [[ -n $localnet_pid ]]; then kill "$localnet_pid" 2>/dev/null; wait "$localnet_pid" 2>/dev/null; fi; }
trap cleanup EXIT
"$LOCALNET" --nodes 12 > "$OUT/localnet.out" 2> "$OUT/localnet.err" &
localnet_pid=$!
for _ in $(seq 1 300); do grep -q '^READY' "$OUT/localnet.out" 2>/dev/null && break; sleep 0.1; done
SEED=$(sed -n 's/^SEED_URL=//p' "$OUT/localnet.out")
ok test -n "$SEED"

# ---- C harness: ABI vs libsodium, session_poll
WORDS=src/Managed/Crypto/mnemonic-english.txt
if [[ $SMOKE == 1 ]]; then
    "$OUT/bench" --smoke --wordlist "$WORDS" --seed-url "$SEED" > "$OUT/c.txt" 2>&1
else
    say "== C harness: libsession.so vs libsodium"
    "$OUT/bench" --iterations 300 --repeats 11 --events 300 --wordlist "$WORDS" --seed-url "$SEED" 2>&1 | tee "$OUT/c.txt"
fi
[[ $SMOKE == 1 ]] && grep -E '^bench-smoke: [0-9]+ passed, [0-9]+ failed$' "$OUT/c.txt" | tail -1
echo "library: $(sed -n 's/^# \(.*\); [0-9]* repeats.*/\1/p' "$OUT/c.txt")" >> "$OUT/machine.txt"

# ---- footprint: fresh processes
say "== footprint"
runs=7; [[ $SMOKE == 1 ]] && runs=1
{
    echo "libsession_bytes $(stat -c %s "$DIST/lib/libsession.so")"
    echo "libsodium_bytes $(stat -c %s "$DIST/lib/libsodium.so")"
    for _ in $(seq 1 $runs); do "$OUT/footprint" load "$DIST/lib"; "$OUT/footprint" sodium "$DIST/lib"; done
    if [[ $SMOKE == 1 ]]; then
        "$OUT/footprint" rss "$DIST/lib" 3 | sed 's/^/new100_/'
        "$OUT/footprint" rss "$DIST/lib" 1 "$SEED" | sed 's/^/idle_/'
    else
        for _ in 1 2 3; do "$OUT/footprint" rss "$DIST/lib" 1 "$SEED" | sed 's/^/idle_/'; done
        "$OUT/footprint" rss "$DIST/lib" 100 | sed 's/^/new100_/'
        "$OUT/footprint" rss "$DIST/lib" 100 "$SEED" | sed 's/^/started100_/'
    fi
} > "$OUT/footprint.txt" 2>&1
ok grep -q '^load_first_call_ns [0-9]' "$OUT/footprint.txt"
# What the library is made of (needs binutils and make dist's unstripped build/publish/lib/libsession.so.dbg).
RSP=src/NativeExports/obj/Release/net10.0/linux-x64/native/libsession.ilc.rsp
if [[ -e build/publish/lib/libsession.so.dbg && -e $RSP ]] && command -v nm > /dev/null; then
    ok $PYTHON bench/size_report.py build/publish/lib/libsession.so.dbg "$RSP" > "$OUT/size.md"
fi
ok grep -q '^idle_rss_one_client_kb [0-9]' "$OUT/footprint.txt"
say "$(cat "$OUT/footprint.txt")"

# ---- end to end on LocalNet (Python, through the session_interop package)
if [[ $SMOKE == 1 ]]; then
    $PYTHON bench/e2e.py --seed-url "$SEED" --smoke > "$OUT/e2e.txt" 2>&1
else
    say "== end to end on LocalNet"
    $PYTHON bench/e2e.py --seed-url "$SEED" 2>&1 | tee "$OUT/e2e.txt"
fi
if [[ $SMOKE == 1 ]]; then
    grep -E '^e2e-smoke: [0-9]+ passed, [0-9]+ failed$' "$OUT/e2e.txt" | tail -1 || echo "e2e-smoke: 0 passed, 1 failed"
fi
# Where send -> stored goes: onion store round trips (no outbox, database or events) against direct ones.
if [[ $AOT_OK == 1 ]]; then
    say "== onion store round trip vs direct (bench/Aot.Bench --onion-rtt)"
    ok "$OUT/aot/SessionInterop.Managed.Tests" --onion-rtt "$SEED" 60 > "$OUT/onion-rtt.txt" 2>&1
    say "$(grep -v '^RESULT' "$OUT/onion-rtt.txt")"
fi

# ---- attachments: upload/download through onion paths vs plain HTTP to the file server
FS_URL=$(sed -n 's/^FILE_SERVER_URL=//p' "$OUT/localnet.out")
FS_KEY=$(sed -n 's/^FILE_SERVER_PUBKEY=//p' "$OUT/localnet.out")
if [[ $SMOKE == 1 ]]; then
    $PYTHON bench/attachments.py --seed-url "$SEED" --file-server "$FS_URL" --file-server-key "$FS_KEY" --smoke > "$OUT/attachments.txt" 2>&1
    grep -E '^attachments-smoke: [0-9]+ passed, [0-9]+ failed$' "$OUT/attachments.txt" | tail -1 || echo "attachments-smoke: 0 passed, 1 failed"
else
    say "== attachments on LocalNet"
    $PYTHON bench/attachments.py --seed-url "$SEED" --file-server "$FS_URL" --file-server-key "$FS_KEY" 2>&1 | tee "$OUT/attachments.txt"
fi

# ---- closed groups: what one idle client in 50 groups asks of the network (LocalNet's request counts)
ADMIN_URL=$(sed -n 's/^ADMIN_URL=//p' "$OUT/localnet.out")
if [[ $SMOKE == 1 ]]; then
    $PYTHON bench/groups_idle.py --seed-url "$SEED" --admin-url "$ADMIN_URL" --smoke > "$OUT/groups.txt" 2>&1
    grep -E '^groups-smoke: [0-9]+ passed, [0-9]+ failed$' "$OUT/groups.txt" | tail -1 || echo "groups-smoke: 0 passed, 1 failed"
else
    say "== one idle client in 50 closed groups (requests per minute)"
    $PYTHON bench/groups_idle.py --seed-url "$SEED" --admin-url "$ADMIN_URL" 2>&1 | tee "$OUT/groups.txt"
fi

cleanup
localnet_pid=""
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

# ---- managed hot paths (not in the smoke run: building BenchmarkDotNet takes longer than it may)
if [[ $SMOKE == 0 ]]; then
    say "== managed hot paths (bench/Managed.Bench --quick)"
    if $DOTNET build bench/Managed.Bench -c Release -nologo -v:q -clp:ErrorsOnly > "$OUT/managed-build.log" 2>&1; then
        MB=bench/Managed.Bench/bin/Release/net10.0/SessionInterop.Managed.Tests
        "$MB" --quick --iterations 200 --repeats 11 2>&1 | tee "$OUT/managed.txt"
        if [[ "${BENCH_DOTNET:-0}" == 1 ]]; then
            say "== BenchmarkDotNet (BENCH_DOTNET=1)"
            (cd "$OUT" && "$ROOT/$MB" --filter '*' --job short --artifacts "$OUT/bdn" 2>&1 | tail -40)
            for f in "$OUT"/bdn/results/*-report-github.md; do [[ -e $f ]] && { cat "$f"; echo; }; done > "$OUT/bdn.md"
        fi
    else
        cat "$OUT/managed-build.log"
        failed=$((failed + 1))
    fi
    # The same workloads compiled with NativeAOT, as libsession.so is: the rows the targets are judged on.
    if [[ $AOT_OK == 1 ]]; then
        say "== managed hot paths, NativeAOT (bench/Aot.Bench --quick)"
        "$OUT/aot/SessionInterop.Managed.Tests" --quick --iterations 200 --repeats 11 2>&1 | tee "$OUT/aot.txt"
    fi
fi

# ---- the table
if [[ $SMOKE == 1 ]]; then
    $PYTHON bench/report.py --dir "$OUT" --out "$OUT/results.md" --smoke > "$OUT/report.txt" 2>&1
    tail -1 "$OUT/report.txt"
    echo "bench-run: $passed passed, $failed failed"
else
    $PYTHON bench/report.py --dir "$OUT" --out bench/results.md
    echo "bench-run: $passed passed, $failed failed"
fi
all_ok() { ! grep -hE '^[a-z_.-]+: [0-9]+ passed, [0-9]+ failed$' "$OUT"/*.txt | grep -qvE ': [0-9]+ passed, 0 failed$'; }
[[ $failed -eq 0 ]] && all_ok
