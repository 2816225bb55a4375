#!/usr/bin/env python3
"""Attachment throughput on a running LocalNet (loopback only).

    python3 bench/attachments.py --seed-url URL --file-server URL --file-server-key HEX [--sizes 1000000,5000000] [--repeats N] [--smoke]

For each size, through the session_interop package (libsession.so, onion requests):
  * upload: send(attachments=[bytes]) -> REQUEST_DONE (encrypt, upload through a 3-hop onion path,
    store the message carrying the pointer);
  * download: download(attachment) -> REQUEST_DONE (fetch through an onion path, check digest and
    MAC, decrypt to a temporary file, rename into place);
and, as the baseline, the same number of bytes (the encrypted blob's size) over plain HTTP straight
to the file server: POST /file and GET /file/<id>. Medians over the repeats, in MB/s, and the
ratio library/plain. Prints "RESULT\tattachments\t..." lines and "attachments: N passed, N failed".
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
os.environ.setdefault("SESSION_LIBRARY", os.path.join(ROOT, "dist", "lib", "libsession.so"))
import session_interop as si  # noqa: E402
from checks import Checks  # noqa: E402

check = Checks("attachments")


def wait_for(c, match, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        c.wait(0.05)
        for ev in c.poll():
            if match(ev):
                return ev
    raise TimeoutError("no event")


def legacy_blob_size(n):
    """Size of the encrypted blob of an n-byte attachment (padded bucket, AES-CBC, IV and MAC)."""
    import math
    padded = 541 if n <= 0 else max(541, n, math.floor(1.05 ** math.ceil(math.log(n) / math.log(1.05))))
    padded = min(padded, 10_000_000) if n <= 10_000_000 else n
    return 16 + (padded // 16 + 1) * 16 + 32


def plain_http(base, size):
    body = os.urandom(size)
    t0 = time.perf_counter()
    req = urllib.request.Request(base + "file", data=body, method="POST", headers={"Content-Type": "application/octet-stream"})
    file_id = __import__("json").loads(urllib.request.urlopen(req, timeout=120).read())["id"]
    t1 = time.perf_counter()
    got = urllib.request.urlopen(base + "file/" + file_id, timeout=120).read()
    t2 = time.perf_counter()
    check(got == body, "plain HTTP round trip")
    return t1 - t0, t2 - t1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed-url", required=True)
    p.add_argument("--file-server", required=True)
    p.add_argument("--file-server-key", required=True)
    p.add_argument("--sizes", default="1000000,5000000")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--smoke", action="store_true")
    a = p.parse_args()
    sizes = [100_000] if a.smoke else [int(s) for s in a.sizes.split(",")]
    repeats = 1 if a.smoke else a.repeats
    fs = (a.file_server, a.file_server_key)
    fast = {"poll.min_interval_ms": 50, "poll.max_interval_ms": 200}
    with tempfile.TemporaryDirectory(prefix="bench-att-") as tmp, \
            si.Client(data_dir=os.path.join(tmp, "a"), seed_url=a.seed_url, options=fast, file_server=fs) as alice, \
            si.Client(data_dir=os.path.join(tmp, "b"), seed_url=a.seed_url, options=fast, file_server=fs) as bob:
        for size in sizes:
            ups, downs, plain_ups, plain_downs = [], [], [], []
            for r in range(repeats):
                data = os.urandom(size)
                t0 = time.perf_counter()
                rid = alice.send(bob.session_id, attachments=[data])
                done = wait_for(alice, lambda e: e.type == si.EventType.REQUEST_DONE and e.request_id == rid)
                ups.append(time.perf_counter() - t0)
                check(done.ok, f"upload {size}: {done.error_code}")
                ev = wait_for(bob, lambda e: e.type == si.EventType.MESSAGE and e.attachments)
                path = os.path.join(tmp, f"d{size}-{r}")
                t0 = time.perf_counter()
                rid = bob.download(ev.attachments[0], path)
                done = wait_for(bob, lambda e: e.type == si.EventType.REQUEST_DONE and e.request_id == rid)
                downs.append(time.perf_counter() - t0)
                check(done.ok and open(path, "rb").read() == data, f"download {size}: {done.error_code}")
                os.remove(path)
                up, down = plain_http(a.file_server, legacy_blob_size(size))
                plain_ups.append(up)
                plain_downs.append(down)
            mb = size / 1e6
            for what, lib_t, plain_t in (("upload", ups, plain_ups), ("download", downs, plain_downs)):
                lib_rate, plain_rate = mb / statistics.median(lib_t), mb / statistics.median(plain_t)
                print(f"RESULT\tattachments\t{what}\t{size}\t{lib_rate:.2f}\t{plain_rate:.2f}\t{plain_rate / lib_rate:.1f}")
                print(f"{what:8} {size:>9} B: library {lib_rate:7.2f} MB/s, plain HTTP {plain_rate:7.2f} MB/s "
                      f"(plain is {plain_rate / lib_rate:.1f}x faster; median of {repeats})")
    return check.summary(a.smoke)


if __name__ == "__main__":
    sys.exit(main())
