#!/usr/bin/env python3
"""End-to-end benchmark on a running LocalNet (loopback only).

    python3 bench/e2e.py --seed-url http://127.0.0.1:PORT/ [--messages N] [--latency-samples N] [--smoke]

Measures, through the session_interop package (libsession.so), with onion requests:
  * messages per second stored with 1, 4 and 16 sending clients (send -> REQUEST_DONE of all);
  * send -> stored (REQUEST_DONE) and send -> received (MESSAGE at the recipient) latency, p50/p99;
and, as the baseline of each, the same stores done with direct (non-onion) storage RPC calls over
HTTPS straight to a swarm member. A 1:1 send stores two messages, the recipient's and the sync copy
in the sender's own swarm (as official clients do), both at once; so does the baseline: `store` to
the recipient's swarm member and, alongside, `store` to a member of the sender's swarm, for
throughput and send->stored (a single store's round trip is printed beside it), then `retrieve`
polled at the client's interval for send->received. The baseline uses the same concurrency as the
client (one message in flight per client: all go to one recipient, whose rows the outbox sends in
order, one at a time) and one loopback source address per connection.

Prints "RESULT\t..." lines for bench/report.py, and "e2e: N passed, N failed" for its own checks.
"""
import argparse
import base64
import concurrent.futures
import ctypes
import http.client
import json
import os
import random
import shutil
import ssl
import statistics
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
os.environ.setdefault("SESSION_LIBRARY", os.path.join(ROOT, "dist", "lib", "libsession.so"))
import session_interop as si  # noqa: E402
from checks import Checks  # noqa: E402

# SessionClient.Outbox sends to up to 4 destinations at once, but the rows of one destination one after
# another (per-sender order). Every message here goes to one recipient: 1 send in flight per client.
IN_FLIGHT_PER_CLIENT = 1
POLL_MS = 50                    # the recipient client's inbox poll interval, also used by the baseline
MESSAGE_BYTES = 330             # stored bytes of a 100-byte text (padded, sealed, protobuf) ~ 2 x 160 + 144 + framing
TEXT = "x" * 100

check = Checks("e2e")


def result(key, label, value, unit, base_label, base_value, target="", pair_ratios=None):
    """pair_ratios: ours/baseline of runs made back to back; their median is the ratio judged, with quartiles."""
    extra = ""
    if pair_ratios:
        extra = f"\t{statistics.median(pair_ratios):.4f}\t{percentile(pair_ratios, 25):.4f}\t{percentile(pair_ratios, 75):.4f}"
    print(f"RESULT\t{key}\t{label}\t{value:.3f}\t{unit}\t{base_label}\t{base_value:.3f}\t{target}{extra}")
    ratio = statistics.median(pair_ratios) if pair_ratios else (value / base_value if base_value else float("nan"))
    print(f"{label:<44} {value:10.2f} {unit:<6} baseline {base_value:10.2f}   ratio {ratio:5.2f}x  ({base_label})", flush=True)


def percentile(values, p):
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


# ---------------------------------------------------------------- direct storage RPC (the baseline)

class Sodium:
    """The two libsodium calls the direct retrieve needs (its signature), from dist's libsodium.so."""

    def __init__(self):
        self.lib = ctypes.CDLL(os.path.join(ROOT, "dist", "lib", "libsodium.so"))
        self.lib.sodium_init()

    def keypair(self, seed):
        pk, sk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(64)
        self.lib.crypto_sign_ed25519_seed_keypair(pk, sk, seed)
        x = ctypes.create_string_buffer(32)
        self.lib.crypto_sign_ed25519_pk_to_curve25519(x, pk)
        return pk.raw, sk.raw, x.raw

    def sign(self, sk, message):
        sig = ctypes.create_string_buffer(64)
        self.lib.crypto_sign_ed25519_detached(sig, None, message, ctypes.c_ulonglong(len(message)), sk)
        return sig.raw


def loopback_context():
    # LocalNet's nodes have self-signed certificates; this context is only ever used for 127.x hosts.
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Rpc:
    """One keep-alive HTTPS connection to a node's /storage_rpc/v1, from its own loopback address."""

    def __init__(self, ip, port, source_ip):
        assert ip.startswith("127.") and source_ip.startswith("127."), "loopback only"
        self.conn = http.client.HTTPSConnection(ip, port, context=loopback_context(), source_address=(source_ip, 0), timeout=10)

    def call(self, method, params):
        self.conn.request("POST", "/storage_rpc/v1", body=json.dumps({"method": method, "params": params}),
                          headers={"Content-Type": "application/json"})
        resp = self.conn.getresponse()
        body = resp.read()
        return resp.status, body

    def close(self):
        self.conn.close()


def seed_nodes(seed_url):
    req = urllib.request.Request(seed_url + "json_rpc", data=json.dumps({"method": "get_n_service_nodes", "params": {}}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)["result"]["service_node_states"]


def swarm_member(seed_url, pubkey_hex):
    node = seed_nodes(seed_url)[0]
    rpc = Rpc(node["public_ip"], node["storage_port"], "127.1.0.1")
    status, body = rpc.call("get_swarm", {"pubkey": pubkey_hex})
    rpc.close()
    snodes = json.loads(body)["snodes"]
    return snodes[0]["ip"], int(snodes[0]["port_https"])


def source_ip(i):
    return f"127.1.{1 + i // 250}.{1 + i % 250}"


def store_params(pubkey_hex, data_b64):
    return {"pubkey": pubkey_hex, "timestamp": int(time.time() * 1000), "ttl": 3600_000, "namespace": 0, "data": data_b64}


def random_data():
    return base64.b64encode(os.urandom(MESSAGE_BYTES)).decode()


def direct_throughput(member, pubkey_hex, own, total):
    """total messages from len(own) senders, one at a time each: the message's store to the recipient's
    member and, at the same time, its sync copy's store to the sender's own member (`own`: a list of
    (member, account) per sender), each on its own keep-alive connection; returns messages per second."""
    senders = len(own)
    per = [total // senders + (1 if i < total % senders else 0) for i in range(senders)]
    rpcs = [(Rpc(member[0], member[1], source_ip(i)), Rpc(m[0], m[1], source_ip(500 + i)), account)
            for i, (m, account) in enumerate(own)]
    for main, copy, _ in rpcs:   # connect (TLS handshake) before the clock starts, as the clients are connected too
        main.call("info", {})
        copy.call("info", {})
    errors = []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=senders)

    def worker(main, copy, account, n):
        for _ in range(n):
            sync = pool.submit(copy.call, "store", store_params(account, random_data()))
            status, body = main.call("store", store_params(pubkey_hex, random_data()))
            sync_status, sync_body = sync.result()
            if status != 200 or sync_status != 200:
                errors.append((status, sync_status, body[:100], sync_body[:100]))

    threads = [threading.Thread(target=worker, args=(*r, n)) for r, n in zip(rpcs, per)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    pool.shutdown()
    for main, copy, _ in rpcs:
        main.close()
        copy.close()
    check(not errors, f"direct stores succeed ({errors[:1]})")
    return total / elapsed


# ---------------------------------------------------------------- clients (onion requests)

def new_client(root, name, seed_url, poll_ms=None):
    """poll_ms: a fixed inbox poll interval (the receiver's, matched by the baseline's retrieve loop);
    None keeps the library's default (500 ms, backing off to 5 s while idle), as a sending app polls.
    Senders polling every 50 ms would add 20 onion retrieves a second each that the direct baseline
    does not make (16 of them: 320/s through the same LocalNet, on the same cores)."""
    options = {"poll.min_interval_ms": poll_ms, "poll.max_interval_ms": poll_ms} if poll_ms else {}
    return si.Client(data_dir=os.path.join(root, name), seed_url=seed_url, options=options)


def wait_connected(clients, timeout=30):
    pending = set(range(len(clients)))
    end = time.monotonic() + timeout
    while pending and time.monotonic() < end:
        for i in list(pending):
            for ev in clients[i].poll():
                if ev.type == si.EventType.CONNECTION and ev.value == si.ConnectionState.CONNECTED:
                    pending.discard(i)
        time.sleep(0.01)
    return not pending


def client_throughput(clients, recipient, total):
    """Each client queues its share at once; returns messages per second until every REQUEST_DONE."""
    per = [total // len(clients) + (1 if i < total % len(clients) else 0) for i in range(len(clients))]
    outstanding = [set() for _ in clients]
    ok = 0
    t0 = time.perf_counter()
    for c, n, out in zip(clients, per, outstanding):
        for _ in range(n):
            out.add(c.send(recipient, TEXT))
    end = time.monotonic() + 120
    while any(outstanding) and time.monotonic() < end:
        for c, out in zip(clients, outstanding):
            for ev in c.poll(256):
                if ev.type == si.EventType.REQUEST_DONE and ev.request_id in out:
                    out.discard(ev.request_id)
                    ok += ev.status == 0
        time.sleep(0.001)
    elapsed = time.perf_counter() - t0
    check(ok == total, f"every onion send stored ({ok}/{total})")
    return total / elapsed


def tcp_connections():
    """This process's established TCP connections as (local port, remote ip:port) pairs, from /proc
    (the clients' connections to their guards: how many are new after N sends shows whether they stay warm)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    out = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            parts = row.split()
            if len(parts) > 9 and parts[3] == "01" and parts[9] in inodes:
                out.add((parts[1].rsplit(":", 1)[1], parts[2]))
    return out


def client_latency(sender, receiver, samples):
    """One message at a time: send -> REQUEST_DONE at the sender, send -> MESSAGE at the receiver."""
    stored, received = [], []
    rid_to_t = {}
    for i in range(samples):
        time.sleep(random.uniform(0, POLL_MS / 1000))   # send at a random phase of the receiver's poll loop
        text = f"latency {i}"
        t0 = time.perf_counter()
        rid = sender.send(receiver.session_id, text)
        rid_to_t[rid] = t0
        t_done = t_recv = None
        end = time.monotonic() + 20
        while (t_done is None or t_recv is None) and time.monotonic() < end:
            for ev in sender.poll():
                if ev.type == si.EventType.REQUEST_DONE and ev.request_id == rid and ev.status == 0:
                    t_done = time.perf_counter()
            for ev in receiver.poll():
                if ev.type == si.EventType.MESSAGE and ev.text == text:
                    t_recv = time.perf_counter()
            time.sleep(0.0005)
        check(t_done is not None and t_recv is not None, f"latency message {i} stored and received")
        if t_done is not None and t_recv is not None:
            stored.append((t_done - t0) * 1000)
            received.append((t_recv - t0) * 1000)
    return stored, received


def direct_latency(member, pubkey_hex, ed_pk, ed_sk, sodium, own, samples):
    """store RTT (with the sync copy's store to `own` = (member, account) at the same time, as a send
    makes; and alone), and store -> seen by a retrieve loop that, like the client's inbox loop,
    retrieves and then sleeps POLL_MS, on a further connection in its own thread."""
    store_rpc = Rpc(member[0], member[1], source_ip(900))
    poll_rpc = Rpc(member[0], member[1], source_ip(901))
    copy_rpc = Rpc(own[0][0], own[0][1], source_ip(902))
    store_rpc.call("info", {})
    copy_rpc.call("info", {})
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    seen = {}                      # data -> perf_counter when a retrieve returned it
    state = {"last_hash": "", "status": 0, "stop": False}
    lock = threading.Lock()

    def retrieve():
        ts = int(time.time() * 1000)
        sig = sodium.sign(ed_sk, f"retrieve{ts}".encode())
        params = {"pubkey": pubkey_hex, "pubkey_ed25519": ed_pk.hex(), "timestamp": ts,
                  "signature": base64.b64encode(sig).decode(), "last_hash": state["last_hash"]}
        status, body = poll_rpc.call("retrieve", params)
        state["status"] = status
        msgs = json.loads(body).get("messages", []) if status == 200 else []
        if msgs:
            state["last_hash"] = msgs[-1]["hash"]
        now = time.perf_counter()
        with lock:
            for m in msgs:
                seen.setdefault(m["data"], now)

    def poller():
        while not state["stop"]:
            retrieve()
            time.sleep(POLL_MS / 1000)

    retrieve()   # skip whatever is already stored
    check(state["status"] == 200, "direct retrieve is accepted")
    thread = threading.Thread(target=poller, daemon=True)
    thread.start()
    stored, received, alone = [], [], []
    for _ in range(samples):
        time.sleep(random.uniform(0, POLL_MS / 1000))   # random phase, as for the client
        t0 = time.perf_counter()
        store_rpc.call("store", store_params(pubkey_hex, random_data()))
        alone.append((time.perf_counter() - t0) * 1000)
        time.sleep(random.uniform(0, POLL_MS / 1000))
        data = random_data()
        t0 = time.perf_counter()
        sync = pool.submit(copy_rpc.call, "store", store_params(own[1], random_data()))
        status, _ = store_rpc.call("store", store_params(pubkey_hex, data))
        sync_status, _ = sync.result()
        t_done = time.perf_counter()
        end = time.monotonic() + 10
        t_recv = None
        while t_recv is None and time.monotonic() < end:
            with lock:
                t_recv = seen.get(data)
            time.sleep(0.0005)
        check(status == 200 and sync_status == 200 and t_recv is not None, "direct store then retrieve")
        if t_recv is not None:
            stored.append((t_done - t0) * 1000)
            received.append((t_recv - t0) * 1000)
    state["stop"] = True
    thread.join()
    pool.shutdown()
    store_rpc.close()
    poll_rpc.close()
    copy_rpc.close()
    return stored, received, alone


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed-url", required=True)
    ap.add_argument("--messages", type=int, default=240, help="messages per throughput run")
    ap.add_argument("--latency-samples", type=int, default=60)
    ap.add_argument("--repeats", type=int, default=5, help="throughput runs per configuration (median)")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    if args.smoke:
        args.messages, args.latency_samples, args.repeats = 8, 3, 1
    assert args.seed_url.startswith("http://127."), "loopback LocalNet only"

    sodium = Sodium()
    root = tempfile.mkdtemp(prefix="session-e2e-")
    # The recipient of the throughput runs, and the account of the direct baseline: keys held here.
    ed_pk, ed_sk, x_pk = sodium.keypair(os.urandom(32))
    direct_pubkey = "05" + x_pk.hex()
    member = swarm_member(args.seed_url, direct_pubkey)
    recipient_id = si.Identity.generate()
    recipient = recipient_id.session_id
    recipient_member = swarm_member(args.seed_url, recipient)

    counts = [1, 4, 16] if not args.smoke else [1, 2]
    senders = [new_client(root, f"s{i}", args.seed_url) for i in range(max(counts))]
    for c in senders:
        c.start()
    check(wait_connected(senders), "sending clients connect")

    # Each sender's own swarm member: where its sync copies go (the baseline stores there too).
    own = [(swarm_member(args.seed_url, c.session_id), c.session_id) for c in senders]
    for n in counts:
        onion, direct = [], []
        for _ in range(args.repeats):   # alternating, so each onion run has a direct run beside it
            onion.append(client_throughput(senders[:n], recipient, args.messages))
            direct.append(direct_throughput(recipient_member, recipient, own[:n * IN_FLIGHT_PER_CLIENT], args.messages))
        # Throughput: higher is better; the ratio is onion / direct (the target: >= 0.9 with 16 senders).
        result(f"e2e_msgs_per_s_{n}", f"messages/s, {n} sending client{'s' if n > 1 else ''}",
               statistics.median(onion), "msg/s", f"direct stores (message + sync copy), {n * IN_FLIGHT_PER_CLIENT} senders",
               statistics.median(direct), ">=0.9" if n == 16 else "", [o / d for o, d in zip(onion, direct)])

    receiver = new_client(root, "receiver", args.seed_url, poll_ms=POLL_MS)
    receiver.start()
    check(wait_connected([receiver]), "receiving client connects")
    before = tcp_connections()
    o_stored, o_recv = client_latency(senders[0], receiver, args.latency_samples)
    opened = len(tcp_connections() - before)
    print(f"RESULT\te2e_new_connections\tconnections opened during {args.latency_samples} sends and their delivery "
          f"({len(before)} open before, all clients)\t{opened}\tconns\t\t\t")
    print(f"# onion latency run: {opened} TCP connections opened ({len(before)} were open before): paths stay warm")
    d_stored, d_recv, d_alone = direct_latency(member, direct_pubkey, ed_pk, ed_sk, sodium, own[0], args.latency_samples)
    if o_stored and d_stored:
        for p in (50, 99):
            result(f"e2e_stored_p{p}", f"send->stored latency p{p}", percentile(o_stored, p), "ms",
                   "direct stores: message + sync copy at once", percentile(d_stored, p), "<=2" if p == 50 else "")
        # For scale: against one store alone (the sync copy's store left out of the baseline, not of the send).
        result("e2e_stored_p50_vs_one_store", "send->stored latency p50 vs one store", percentile(o_stored, 50), "ms",
               "direct store round trip, message only", percentile(d_alone, 50), "")
        for p in (50, 99):
            result(f"e2e_received_p{p}", f"send->received latency p{p} (poll {POLL_MS} ms)", percentile(o_recv, p), "ms",
                   f"direct store + retrieve every {POLL_MS} ms", percentile(d_recv, p), "<=3" if p == 50 else "")
    print(f"# latency samples: {len(o_stored)} onion, {len(d_stored)} direct")

    for c in senders + [receiver]:
        c.close()
    recipient_id.close()
    shutil.rmtree(root, ignore_errors=True)
    return check.summary(args.smoke)


if __name__ == "__main__":
    sys.exit(main())
