#!/usr/bin/env bash
# `make demo` (after `make dist`): starts LocalNet, then two identities exchange messages over
# 3-hop onion paths: an echo bot written in C (examples/c/echo_bot.c) and a Python client
# (examples/python/chat_with_bot.py). Prints the conversation, stops LocalNet, exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/with-localnet.sh -- bash -c '
set -euo pipefail
work=$(mktemp -d)
trap "kill \$bot 2>/dev/null || true; rm -rf \"\$work\"" EXIT
echo "LocalNet is up: seed $SESSION_SEED_URL (12 service nodes on 127.0.1.1 … 127.0.12.1)"
echo "libsession $(SESSION_LIBRARY=dist/lib/libsession.so PYTHONPATH=bindings/python python3 -c "import session_interop as si; print(si.version())")"
dist/bin/echo_bot --data "$work/bot" --max 3 --duration 90 > "$work/bot.log" &
bot=$!
for _ in $(seq 1 100); do grep -q "^SESSION_ID=" "$work/bot.log" && break; sleep 0.1; done
BOT=$(sed -n "s/^SESSION_ID=//p" "$work/bot.log")
echo "[c]      echo bot is $BOT"
python3 examples/python/chat_with_bot.py --data "$work/me" "$BOT"
wait $bot
sed -n "/^\[/s/^/[c]      /p" "$work/bot.log"
echo "demo finished: both sides saw every message once"
'
