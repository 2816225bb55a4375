#!/usr/bin/env python3
"""Anonymous 2FA: send a one-time code to a Session ID instead of a phone number.

    two_factor.py --data ./sender [--seed-url URL] [--code 123456] [--timeout 60] 05<64 hex>

Sends "Your one-time code is NNNNNN" and waits until the network has stored it (the request's
completion event). Exit 0 on success; a clear error and a non-zero exit otherwise.
"""
from __future__ import annotations

import argparse
import secrets
import sys
import time

from _common import add_network_arguments, open_client, si


def main() -> int:
    parser = argparse.ArgumentParser(description="Send a one-time code to a Session ID.")
    add_network_arguments(parser)
    parser.add_argument("--code", help="the code (default: 6 random digits)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the confirmation")
    parser.add_argument("session_id", help="recipient Session ID (05 + 64 hex digits)")
    args = parser.parse_args()

    try:
        si.validate_session_id(args.session_id)
    except si.SessionError as e:
        print(f"error: {args.session_id!r} is not a Session ID: {e.message}", file=sys.stderr)
        return 2
    code = args.code or f"{secrets.randbelow(1_000_000):06d}"

    try:
        with open_client(args) as client:
            request = client.send(args.session_id, f"Your one-time code is {code}")
            deadline = time.monotonic() + args.timeout
            while time.monotonic() < deadline:
                client.wait(0.5)
                for ev in client.poll():
                    if ev.type == si.EventType.REQUEST_DONE and ev.request_id == request:
                        if ev.ok:
                            print(f"sent code {code} to {args.session_id[:10]}… (stored as {ev.message_id[:12]}…)")
                            return 0
                        print(f"error: not delivered: {ev.status.name} ({ev.error_code}): {ev.text}", file=sys.stderr)
                        return 3
            print(f"error: no confirmation within {args.timeout:g} s (the code stays queued in {args.data})", file=sys.stderr)
            return 1
    except si.SessionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
