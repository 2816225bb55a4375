#!/usr/bin/env bash
# with-localnet.sh [session-localnet options] -- COMMAND [ARGS...]
# Starts dist/bin/session-localnet on loopback with a fresh data directory, waits for READY,
# runs COMMAND with SESSION_SEED_URL, SESSION_ADMIN_URL, SESSION_COMMUNITY_URL, SESSION_FILE_SERVER_URL and SESSION_FILE_SERVER_PUBKEY set, then stops LocalNet (SIGTERM)
# and exits with COMMAND's status.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
args=()
while [[ $# -gt 0 && $1 != "--" ]]; do args+=("$1"); shift; done
[[ ${1:-} == "--" ]] && shift
[[ $# -gt 0 ]] || { echo "usage: with-localnet.sh [localnet options] -- command [args]" >&2; exit 2; }

data=$(mktemp -d)
out=$data/localnet.out
"$ROOT/dist/bin/session-localnet" --data "$data/net" "${args[@]}" >"$out" 2>"$data/localnet.err" &
pid=$!
cleanup() { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

for _ in $(seq 1 300); do
    grep -q '^READY$' "$out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "session-localnet exited early:" >&2; cat "$data/localnet.err" >&2; exit 1; }
    sleep 0.1
done
grep -q '^READY$' "$out" || { echo "session-localnet did not become ready" >&2; exit 1; }
export SESSION_SEED_URL=$(sed -n 's/^SEED_URL=//p' "$out")
export SESSION_ADMIN_URL=$(sed -n 's/^ADMIN_URL=//p' "$out")
export SESSION_COMMUNITY_URL=$(sed -n 's/^COMMUNITY_URL=//p' "$out")
export SESSION_FILE_SERVER_URL=$(sed -n 's/^FILE_SERVER_URL=//p' "$out")
export SESSION_FILE_SERVER_PUBKEY=$(sed -n 's/^FILE_SERVER_PUBKEY=//p' "$out")
"$@"
