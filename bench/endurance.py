"""Engine endurance run (issue 11), not part of `make test`: `make endurance` runs it under a LocalNet.

Alice sends N messages (default 10^4) to Bob over LocalNet's onion paths; Bob drains them with
session_poll. Reports the process RSS every 10 % (is it flat?), the worst and median session_poll
(measured around the ctypes call, so it includes Python's own overhead) while draining, and
checks that every message arrived exactly once and in sent order.
"""
import os
import statistics
import sys
import tempfile
import time

import session_interop as si
from session_interop._ffi import lib, SessionEvent  # noqa: F401  (the raw poll is timed)
import ctypes


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    seed = os.environ["SESSION_SEED_URL"]
    fast = {"poll.min_interval_ms": 100, "poll.max_interval_ms": 400, "send.max_pending": 2_000}
    with tempfile.TemporaryDirectory() as tmp, \
            si.Client(data_dir=os.path.join(tmp, "a"), seed_url=seed, options=fast) as alice, \
            si.Client(data_dir=os.path.join(tmp, "b"), seed_url=seed, options=fast) as bob:
        buf = (ctypes.POINTER(SessionEvent) * 256)()
        count = ctypes.c_uint32()
        sent = done = 0
        received: list[int] = []
        polls: list[float] = []
        samples = [(0, rss_mb())]
        start = time.monotonic()
        while len(received) < n:
            while sent < n and sent - done < 1_500:
                alice.send(bob.session_id, f"soak {sent}")
                sent += 1
            done += sum(e.type == si.EventType.REQUEST_DONE for e in alice.poll(256))
            bob.wait(0.05)
            t0 = time.perf_counter()
            status = lib.session_poll(bob.handle, buf, 256, ctypes.byref(count))
            polls.append(time.perf_counter() - t0)
            assert status == 0, status
            for i in range(count.value):
                ev = buf[i].contents
                if ev.type == si.EventType.MESSAGE:
                    received.append(int(ctypes.string_at(ev.text.data, ev.text.len).decode().split()[1]))
            if len(received) * 10 // n > len(samples) - 1:
                samples.append((len(received), rss_mb()))
            if time.monotonic() - start > 1800:
                print("gave up after 30 minutes")
                break
        elapsed = time.monotonic() - start
    ordered = received == sorted(received)
    print(f"messages: {n} sent, {len(received)} received, {len(set(received))} distinct, in order: {ordered}, {elapsed:.0f} s")
    print("RSS (MB) by messages received: " + ", ".join(f"{k}: {v:.0f}" for k, v in samples))
    polls.sort()
    print(f"session_poll while draining: {len(polls)} calls, median {statistics.median(polls) * 1e6:.1f} us, "
          f"p99 {polls[int(len(polls) * 0.99)] * 1e6:.1f} us, worst {polls[-1] * 1e6:.1f} us")
    return 0 if len(set(received)) == n and len(received) == n else 1


if __name__ == "__main__":
    sys.exit(main())
