#!/usr/bin/env python3
"""One soak client: a real session_interop Client in its own process, killed with -9 at random by
soak.py and restarted on the same data directory.

It writes one journal line per fact, flushed at once (a kill -9 keeps what the kernel has):
  L                      a new life of this worker starts
  P seq dest             about to call send (so a sequence number is never reused after a crash)
  Q seq dest request_id  send returned: the app was told the message is queued
  B batch                a poll returned a batch (the previous batch is released by this poll)
  M batch kind text id   a MESSAGE event of that batch (kind: dm or room)
  D request_id status    a REQUEST_DONE event
Message texts are "sender:seq:dest", unique per sender, so the checker can match them.
"""
import argparse
import json
import os
import random
import sys
import time

from session_interop import Client, EventType


def journal_state(path):
    """Next sequence number, next batch number, and how many sends were confirmed, after what
    earlier lives of this worker wrote. A P without its Q (killed inside send) burns its number."""
    seq, batch, queued = 0, 0, 0
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split(" ")
                if parts[0] == "P" and len(parts) >= 3 and parts[1].isdigit():
                    seq = max(seq, int(parts[1]) + 1)
                elif parts[0] == "B" and len(parts) >= 2 and parts[1].strip().isdigit():
                    batch = max(batch, int(parts[1]) + 1)
                elif parts[0] == "Q" and len(parts) == 4 and line.endswith("\n"):
                    queued += 1
    return seq, batch, queued


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--seed-url", required=True)
    ap.add_argument("--peers", required=True, help="JSON file: {name: session_id}")
    ap.add_argument("--room", required=True)
    ap.add_argument("--quota", type=int, required=True, help="confirmed sends (Q lines) this worker makes in total")
    ap.add_argument("--rate", type=float, default=4.0, help="sends per second")
    ap.add_argument("--room-share", type=float, default=0.05, help="fraction of sends that go to the room")
    args = ap.parse_args()

    peers = json.load(open(args.peers))
    others = sorted(n for n in peers if n != args.name)
    path = os.path.join(args.dir, "journal")
    seq, batch, queued = journal_state(path)
    out = open(path, "a", encoding="utf-8", buffering=1)

    def write(line):
        out.write(line + "\n")
        out.flush()

    write("L")
    client = Client(data_dir=os.path.join(args.dir, "client"), seed_url=args.seed_url,
                    options={"poll.min_interval_ms": 200, "poll.max_interval_ms": 1000, "shutdown.timeout_ms": 500})
    room = client.join_community(args.room)
    client.start()
    go = os.path.join(os.path.dirname(args.peers), "go")
    rng = random.Random()
    next_send = time.monotonic()
    while True:
        events = client.poll(256)
        write(f"B {batch}")
        for ev in events:
            if ev.type == EventType.MESSAGE:
                kind = "room" if ev.conversation == room else "dm"
                write(f"M {batch} {kind} {ev.text.replace(' ', '_')} {ev.message_id}")
            elif ev.type == EventType.REQUEST_DONE:
                write(f"D {ev.request_id} {int(ev.status)}")
        batch += 1

        sending = queued < args.quota and os.path.exists(go)
        if sending and time.monotonic() >= next_send:
            to_room = rng.random() < args.room_share
            dest = "room" if to_room else rng.choice(others)
            write(f"P {seq} {dest}")
            request = client.send(room if to_room else peers[dest], f"{args.name}:{seq}:{dest}")
            write(f"Q {seq} {dest} {request}")
            seq += 1
            queued += 1
            next_send += 1.0 / args.rate
            if next_send < time.monotonic() - 1:
                next_send = time.monotonic()  # do not burst after a slow stretch
            continue
        client.wait(0.05 if sending else 0.5)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
