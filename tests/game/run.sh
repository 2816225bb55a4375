#!/usr/bin/env bash
# `make game-test`: the LÖVE chat game (examples/love) played headless under Xvfb against its bot,
# twice, each on a fresh LocalNet (so the lobby's history of one run does not show in the other):
# calm (build/game-test/calm) and with 100 incoming messages/s from a flood sender (.../flood).
# check.py then asserts the transcripts and the library's share of every frame, and writes
# build/game-test/costs.md. Ends with "game-test: N passed, N failed".
set -u -o pipefail
cd "$(dirname "$0")/../.."
out=build/game-test
rm -rf "$out" && mkdir -p "$out"
for tool in love xvfb-run; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install love xvfb)"; echo "game-test: 0 passed, 1 failed"; exit 1; }
done
GAME_SECONDS=25 scripts/with-localnet.sh -- scripts/game.sh test "$out/calm"
calm=$?
FLOOD_RATE=100 FLOOD_SECONDS=20 GAME_SECONDS=30 scripts/with-localnet.sh -- scripts/game.sh test "$out/flood"
played=$((calm | $?))
# The calm run's files are the ones the issue names: build/game-test/{transcript.txt,frames.csv,screenshot.png}.
for f in transcript.txt frames.csv screenshot.png; do [[ -e $out/calm/$f ]] && cp "$out/calm/$f" "$out/"; done
python3 tests/game/check.py "$out" "$played"
