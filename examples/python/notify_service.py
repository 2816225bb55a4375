#!/usr/bin/env python3
"""An anonymous notification service: people subscribe by messaging it "subscribe" (and leave with
"stop"); the service keeps its subscribers in its data directory and broadcasts announcements.

    notify_service.py --data ./service [--seed-url URL] [--run-for SECS] [--announce TEXT]...
                      [--announce-after N]

It prints its Session ID (SESSION_ID=…), answers every command, and sends each --announce text to
all subscribers, once at least --announce-after people have subscribed (default: right away).
Subscribers survive restarts (subscribers.json in the data directory).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from _common import add_network_arguments, open_client, si

HELP = 'Send "subscribe" to get announcements, "stop" to leave.'


class Subscribers:
    """The subscriber list, saved atomically after every change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ids: list[str] = json.loads(path.read_text()) if path.exists() else []

    def add(self, session_id: str) -> bool:
        if session_id in self.ids:
            return False
        self.ids.append(session_id)
        self._save()
        return True

    def remove(self, session_id: str) -> bool:
        if session_id not in self.ids:
            return False
        self.ids.remove(session_id)
        self._save()
        return True

    def _save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.ids))
        os.replace(tmp, self.path)


def main() -> int:
    parser = argparse.ArgumentParser(description="An anonymous notification service over Session.")
    add_network_arguments(parser)
    parser.add_argument("--run-for", type=float, default=None, help="stop after SECS seconds (default: run forever)")
    parser.add_argument("--announce", action="append", default=[], help="an announcement to broadcast (repeatable)")
    parser.add_argument("--announce-after", type=int, default=0, help="broadcast once this many people subscribed")
    args = parser.parse_args()
    if not args.name:
        args.name = "notifications"

    Path(args.data).mkdir(parents=True, exist_ok=True)
    subscribers = Subscribers(Path(args.data) / "subscribers.json")
    pending_announcements = list(args.announce)
    delivered = 0
    try:
        with open_client(args) as client:
            print(f"SESSION_ID={client.session_id}", flush=True)
            end = None if args.run_for is None else time.monotonic() + args.run_for
            while end is None or time.monotonic() < end:
                client.wait(0.5)
                for ev in client.poll():
                    # ev.outgoing: our own message from another device of this account, not a command.
                    if ev.type == si.EventType.MESSAGE and not ev.outgoing:
                        command = ev.text.strip().lower()
                        if command == "subscribe":
                            added = subscribers.add(ev.sender)
                            client.send(ev.sender, "Subscribed. " + HELP if added else "You are already subscribed.")
                            print(f"subscribed {ev.sender[:10]}… ({len(subscribers.ids)} in all)", flush=True)
                        elif command == "stop":
                            subscribers.remove(ev.sender)
                            client.send(ev.sender, "Unsubscribed. Send \"subscribe\" to come back.")
                            print(f"unsubscribed {ev.sender[:10]}… ({len(subscribers.ids)} in all)", flush=True)
                        else:
                            client.send(ev.sender, HELP)
                    elif ev.type == si.EventType.REQUEST_DONE and not ev.ok:
                        print(f"a message failed: {ev.error_code}", file=sys.stderr, flush=True)
                if pending_announcements and len(subscribers.ids) >= max(1, args.announce_after):
                    for text in pending_announcements:
                        for sid in subscribers.ids:
                            client.send(sid, text)
                            delivered += 1
                        print(f"announced to {len(subscribers.ids)} subscriber(s): {text}", flush=True)
                    pending_announcements.clear()
    except si.SessionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    print(f"stopped with {len(subscribers.ids)} subscriber(s), {delivered} announcement message(s) queued", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
