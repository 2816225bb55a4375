#!/usr/bin/env python3
"""Sends RATE messages per second to a Session ID for SECS seconds ("flood N"), paced evenly, to
measure what a flood of incoming chat costs the game per frame. --to-file waits for a file holding
the ID (the game writes GAME_OUT/session_id.txt when it starts). Prints what it queued and stored.

    flood.py --data DIR [--seed-url URL] (--to ID | --to-file PATH) [--rate 100] [--seconds 20]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
from _common import add_network_arguments, open_client, si  # noqa: E402


def wait_for_id(path: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(text := path.read_text().strip()) == 66:
            return text
        time.sleep(0.1)
    raise SystemExit(f"flood: no Session ID in {path} after {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description="Send a steady flood of messages to a Session ID.")
    add_network_arguments(parser)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--to")
    target.add_argument("--to-file", type=Path)
    parser.add_argument("--rate", type=float, default=100.0, help="messages per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    to = args.to or wait_for_id(args.to_file, 120)
    queued = refused = stored = failed = 0
    with open_client(args) as me:
        start = time.monotonic()
        total = int(args.rate * args.seconds)
        for i in range(total):
            pause = start + i / args.rate - time.monotonic()   # evenly paced, catching up after a stall
            if pause > 0:
                time.sleep(pause)
            try:
                me.send(to, f"flood {i}")
                queued += 1
            except si.SessionError as e:
                refused += 1
                if refused == 1:
                    print(f"flood: send refused: {e}", file=sys.stderr)
            for ev in me.poll():
                if ev.type == si.EventType.REQUEST_DONE:
                    stored, failed = stored + ev.ok, failed + (not ev.ok)
        took = time.monotonic() - start
        deadline = time.monotonic() + 180      # let the queue drain so every message reaches the game
        while stored + failed < queued and time.monotonic() < deadline:
            me.wait(0.5)
            for ev in me.poll():
                if ev.type == si.EventType.REQUEST_DONE:
                    stored, failed = stored + ev.ok, failed + (not ev.ok)
    print(f"flood: queued={queued} in {took:.1f} s ({queued / took:.0f}/s) refused={refused} stored={stored} failed={failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
