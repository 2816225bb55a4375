#!/usr/bin/env python3
"""The game's chat partner: echoes every 1:1 message ("echo: TEXT") and answers every post of
someone else in the lobby room ("bot heard: TEXT"). Prints SESSION_ID= and BLINDED_ID= (its
15-blinded ID in the room, so the game can name it) on start, then runs until killed or --duration.

    bot.py --data DIR [--seed-url URL] --community-url URL [--duration SECS]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
from _common import add_network_arguments, open_client, si  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description="Echo bot for the LÖVE chat demo (1:1 and the lobby room).")
    add_network_arguments(parser)
    parser.add_argument("--community-url", required=True, help="the lobby's URL (LocalNet's COMMUNITY_URL)")
    parser.add_argument("--duration", type=float, default=0, help="exit after SECS seconds (default: never)")
    args = parser.parse_args()
    server_key = parse_qs(urlparse(args.community_url).query)["public_key"][0]
    with open_client(args) as bot:
        room = bot.join_community(args.community_url)
        blinded = si.Identity.from_mnemonic(bot.mnemonic).blinded15_id(server_key)
        print(f"SESSION_ID={bot.session_id}\nBLINDED_ID={blinded}", flush=True)
        end = time.monotonic() + args.duration if args.duration else None
        while end is None or time.monotonic() < end:
            bot.wait(0.5)
            for ev in bot.poll():
                if ev.type == si.EventType.MESSAGE and ev.conversation == room:
                    if ev.sender != blinded:
                        bot.send(room, f"bot heard: {ev.text}")
                elif ev.type == si.EventType.MESSAGE:
                    bot.send(ev.sender, f"echo: {ev.text}")
                elif ev.type == si.EventType.REQUEST_DONE and not ev.ok:
                    print(f"bot: a reply failed: {ev.error_code}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
