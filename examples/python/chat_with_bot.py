#!/usr/bin/env python3
"""Talks to a Session ID (the demo's C echo bot): sends a few lines and prints the conversation.

    chat_with_bot.py --data ./me [--seed-url URL] SESSION_ID [LINE ...]
"""
from __future__ import annotations

import argparse
import sys
import time

from _common import add_network_arguments, open_client, si


def main() -> int:
    parser = argparse.ArgumentParser(description="Send lines to a Session ID and print the replies.")
    add_network_arguments(parser)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("peer")
    parser.add_argument("lines", nargs="*", default=["Hello from Python!", "Is anyone there?", "Bye 👋"])
    args = parser.parse_args()
    with open_client(args) as me:
        print(f"[python] I am {me.session_id[:12]}…, talking to {args.peer[:12]}… over 3-hop onion paths")
        for line in args.lines:
            me.send(args.peer, line)
            print(f"[python] → {line}")
        replies = 0
        deadline = time.monotonic() + args.timeout
        while replies < len(args.lines):
            if time.monotonic() > deadline:
                print(f"error: only {replies} of {len(args.lines)} replies arrived", file=sys.stderr)
                return 1
            me.wait(0.5)
            for ev in me.poll():
                if ev.type == si.EventType.MESSAGE and not ev.outgoing:
                    replies += 1
                    quoting = f", quoting your message of {ev.ref_timestamp_ms}" if ev.ref_timestamp_ms else ""
                    print(f"[python] ← {ev.text}   (from {ev.sender[:12]}…, sent {time.strftime('%H:%M:%S', time.localtime(ev.timestamp_ms / 1000))}{quoting})")
                elif ev.type == si.EventType.CONNECTION:
                    print(f"[python] connection: {si.ConnectionState(ev.value).name.lower()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
