#!/usr/bin/env python3
"""Network cost of closed groups: one idle client that is a member of N groups (50), on LocalNet.

    python3 bench/groups_idle.py --seed-url URL --admin-url URL [--groups 50] [--warmup 40] [--window 60] [--smoke]

An admin client creates N groups, each inviting our client; ours accepts every invite and waits
until it can read each group (MEMBERS_ADDED); the admin is closed. After a warm-up (the client's
intervals back off to their idle value, its outbox drains) LocalNet's request counts
(GET /requests on the admin endpoint: every storage RPC any node received, onion or direct) are
read at the start and the end of a window in which nothing else runs. Our client uses the
library's default poll intervals (0.5 s after activity, doubling to 5 s).

The baselines are computed from the official apps' polling rules for the same N groups (read
in their sources; see docs/benchmarks.md):
  * session-desktop (ts/session/apis/snode_api/swarmPolling.ts, ts/session/constants.ts): every
    group is polled every 5 s if its conversation was active in the last 2 days, every 60 s if in
    the last 7 days, else every 120 s; each poll asks RETRIEVE_SNODES_COUNT = 2 swarm members at
    once, each a batch of 5 retrieves (-11, 11, 13, 14, 12) plus one `expire` of the config hashes;
    its own swarm is polled every 5 s the same way.
  * session-ios (GroupPoller.swift): per group 3 s + 27 s x min(time since the last message, 12 h)/12 h,
    one swarm member, one batch of 5 retrieves: 3 s for a busy group, 30 s for one quiet for 12 h.
  * session-android (GroupPoller.kt): every 3 s per group while the app is visible, none in the
    background.

Prints "RESULT\t..." lines for bench/report.py and "groups: N passed, N failed" for its own checks.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
os.environ.setdefault("SESSION_LIBRARY", os.path.join(ROOT, "dist", "lib", "libsession.so"))
import session_interop as si  # noqa: E402
from checks import Checks  # noqa: E402

# The official apps' rules (see the docstring): seconds between polls of one group, swarm members asked per poll.
DESKTOP_ACTIVE_S, DESKTOP_MEDIUM_S, DESKTOP_INACTIVE_S, DESKTOP_NODES = 5, 60, 120, 2
DESKTOP_SUBREQUESTS = 6          # 5 retrieves + 1 expire (config hashes to bump) per batch
DESKTOP_OWN_SWARM_S = 5          # its own swarm: every 5 s, also 2 members
IOS_MIN_S, IOS_MAX_S = 3, 30
ANDROID_S = 3

check = Checks("groups")


def result(key, label, value, unit, base_label, base_value, target=""):
    print(f"RESULT\t{key}\t{label}\t{value:.3f}\t{unit}\t{base_label}\t{base_value:.3f}\t{target}")
    print(f"{label:<58} {value:9.1f} {unit:<8} baseline {base_value:9.1f}  ratio {value / base_value:5.2f}x  ({base_label})", flush=True)


def counts(admin_url):
    with urllib.request.urlopen(admin_url.rstrip("/") + "/requests", timeout=30) as r:
        return json.loads(r.read())


def diff(after, before):
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0)}


def drain(client, seen, seconds):
    """Polls the client's events for `seconds`, keeping them."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        client.wait(0.25)
        seen.extend(client.poll(256))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed-url", required=True)
    ap.add_argument("--admin-url", required=True)
    ap.add_argument("--groups", type=int, default=50)
    ap.add_argument("--warmup", type=float, default=40, help="seconds after the last group was readable")
    ap.add_argument("--window", type=float, default=60, help="seconds counted")
    ap.add_argument("--smoke", action="store_true", help="2 groups, short warm-up and window (figures meaningless)")
    args = ap.parse_args()
    if args.smoke:
        args.groups, args.warmup, args.window = 2, 3, 5
    n = args.groups
    root = tempfile.mkdtemp(prefix="bench-groups-")
    try:
        admin = si.Client(data_dir=os.path.join(root, "admin"), seed_url=args.seed_url)
        ours = si.Client(data_dir=os.path.join(root, "ours"), seed_url=args.seed_url)   # default intervals
        admin.start()
        ours.start()
        seen = []
        gids = [admin.create_group(f"guild {i}", members=[ours.session_id]) for i in range(n)]

        # Accept every invite as it arrives, then wait until every group is readable (its keys came).
        pending, readable = set(gids), set()
        deadline = time.monotonic() + max(180, 6 * n)
        while readable != set(gids) and time.monotonic() < deadline:
            ours.wait(0.25)
            admin.poll(256)
            for ev in ours.poll(256):
                seen.append(ev)
                if ev.type == si.EventType.GROUP_INVITE and ev.conversation in pending:
                    ours.accept_group_invite(ev.conversation)
                    pending.discard(ev.conversation)
                elif ev.type == si.EventType.GROUP_UPDATE and ev.value == si.GroupUpdateKind.MEMBERS_ADDED:
                    readable.add(ev.conversation)
        check(readable == set(gids), f"all {n} groups joined and readable ({len(readable)} were)")
        drain(admin, [], 2)
        admin.close()

        drain(ours, seen, args.warmup)
        before = counts(args.admin_url)
        t0 = time.monotonic()
        drain(ours, seen, args.window)
        after = counts(args.admin_url)
        minutes = (time.monotonic() - t0) / 60
        ours.close()
        d = diff(after, before)
        print(f"# {n} groups, {minutes * 60:.0f} s window, requests received by LocalNet: {json.dumps(d, sort_keys=True)}")

        top = {k: v for k, v in d.items() if not k.startswith("in batch:")}
        total = sum(v for k, v in top.items() if " " not in k)                 # every request, once
        group = sum(v for k, v in top.items() if k.endswith(" 03"))             # requests into a group swarm
        group_sub = sum(v for k, v in d.items() if k.startswith("in batch:") and k.endswith(" 03"))
        group_batches = d.get("batch 03", 0)
        check(group > 0, "the idle client polled its groups")
        check(d.get("in batch: retrieve 03", 0) == 5 * group_batches, "each group poll is one batch of 5 retrieves")
        check(group == group_batches, "nothing but polls went to the group swarms while idle")

        if group_batches:
            # The group job waits its interval, then polls the groups one after another: the round adds to the wait.
            print(f"# each group polled every {60 * minutes * n / group_batches:.1f} s on average "
                  f"(idle interval 5 s + one round of {n} polls, one after another)")
        desktop_active = n * 60 / DESKTOP_ACTIVE_S * DESKTOP_NODES
        desktop_inactive = n * 60 / DESKTOP_INACTIVE_S * DESKTOP_NODES
        desktop_own = 60 / DESKTOP_OWN_SWARM_S * DESKTOP_NODES
        print(f"# official, {n} groups, group-swarm requests/min: desktop {desktop_active:.0f} (active ≤ 2 days), "
              f"{n * 60 / DESKTOP_MEDIUM_S * DESKTOP_NODES:.0f} (≤ 7 days), {desktop_inactive:.0f} (older); "
              f"iOS {n * 60 / IOS_MIN_S:.0f} (busy) … {n * 60 / IOS_MAX_S:.0f} (quiet ≥ 12 h); "
              f"Android {n * 60 / ANDROID_S:.0f} (app visible), 0 (background)")
        result("groups50_idle_requests_per_min", f"idle client in {n} groups: requests/min into group swarms",
               group / minutes, "req/min", f"session-desktop, groups active in the last 2 days ({DESKTOP_ACTIVE_S} s, {DESKTOP_NODES} members per poll)",
               desktop_active, "<=1")
        result("groups50_idle_requests_per_min_quiet", f"idle client in {n} groups: requests/min into group swarms",
               group / minutes, "req/min", f"session-desktop, groups quiet for over 7 days ({DESKTOP_INACTIVE_S} s, {DESKTOP_NODES} members per poll)",
               desktop_inactive)
        result("groups50_idle_subrequests_per_min", f"idle client in {n} groups: sub-requests/min into group swarms",
               group_sub / minutes, "req/min", f"session-desktop, active groups ({DESKTOP_SUBREQUESTS} per batch: 5 retrieves + expire)",
               desktop_active * DESKTOP_SUBREQUESTS)
        result("groups50_idle_all_requests_per_min", f"idle client in {n} groups: all its requests/min (inbox, configs, groups)",
               total / minutes, "req/min", "session-desktop, active groups and its own swarm",
               desktop_active + desktop_own)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return check.summary(args.smoke)


if __name__ == "__main__":
    sys.exit(main())
