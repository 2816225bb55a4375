#!/usr/bin/env python3
"""`make soak`: clients in separate processes exchange messages (1:1 and a community room) on a
LocalNet while faults switch on and off through its admin endpoint and processes are killed with
-9 at random moments, then checks that every message an app was told was queued arrived, that the
only duplicates are the unreleased batch of a killed process, and that RSS and open fds stay flat.

  soak.py [--clients 4] [--messages 10000] [--kills 100] [--minutes 60] [--out build/soak]
  soak.py --smoke          200 messages, 5 kills, about a minute (inside make test)

Prints the figures and a last line "soak: N passed, N failed" (checks). Exit 1 on any failure.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
os.environ.setdefault("SESSION_LIBRARY", os.path.join(ROOT, "dist", "lib", "libsession.so"))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.join(ROOT, "bindings", "python"), os.environ.get("PYTHONPATH")]))
from session_interop import Client  # noqa: E402

from check import check_journals  # noqa: E402
from locate import home_swarms, locate  # noqa: E402


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class LocalNet:
    """dist/bin/session-localnet in its own process, as scripts/with-localnet.sh starts it."""

    def __init__(self, out):
        self.dir = os.path.join(out, "localnet")
        os.makedirs(self.dir, exist_ok=True)
        self.stdout = open(os.path.join(self.dir, "out"), "w+")
        self.proc = subprocess.Popen([os.path.join(ROOT, "dist", "bin", "session-localnet"), "--data", os.path.join(self.dir, "net")],
                                     stdout=self.stdout, stderr=open(os.path.join(self.dir, "err"), "w"))
        urls = {}
        for _ in range(600):
            self.stdout.seek(0)
            text = self.stdout.read()
            if "READY" in text.splitlines():
                urls = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
                break
            if self.proc.poll() is not None:
                raise SystemExit("session-localnet exited early: " + open(os.path.join(self.dir, "err")).read())
            time.sleep(0.1)
        if not urls:
            raise SystemExit("session-localnet did not become ready")
        self.seed_url, self.admin_url, self.room = urls["SEED_URL"], urls["ADMIN_URL"].rstrip("/"), urls["COMMUNITY_URL"]

    def admin(self, method, path):
        req = urllib.request.Request(self.admin_url + path, method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body[:1] in (b"{", b"[") else body

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Faults:
    """Switches one fault at a time on, then off again, through the admin endpoint."""

    def __init__(self, net, accounts, rng):
        self.net, self.accounts, self.rng = net, accounts, rng
        self.active = None
        self.counts = {}
        nodes = net.admin("GET", "/nodes")
        self.nodes = nodes["nodes"] if isinstance(nodes, dict) else nodes
        self.swarms = sorted({n["swarm_id"] if "swarm_id" in n else n.get("swarm") for n in self.nodes} - {None})

    def node(self):
        return self.rng.randrange(1, len(self.nodes) + 1)

    def toggle(self):
        if self.active:
            self.net.admin("POST", "/reset")
            self.active = None
            return "reset"
        kind = self.rng.choice(["stop", "move", "skew", "drop", "slow"])
        if kind == "stop":
            for n in self.rng.sample(range(1, len(self.nodes) + 1), 2):
                self.net.admin("POST", f"/nodes/{n}/stop")
        elif kind == "move" and self.swarms:
            account = self.rng.choice(self.accounts)
            swarm = self.rng.choice(self.swarms)
            swarm_hex = swarm if isinstance(swarm, str) else format(swarm, "x")
            self.net.admin("POST", f"/accounts/{account}/move?swarm={swarm_hex}")
        elif kind == "skew":
            for n in self.rng.sample(range(1, len(self.nodes) + 1), 3):
                self.net.admin("POST", f"/nodes/{n}/skew?ms={self.rng.choice([-30000, 30000])}")
        elif kind == "drop":
            for n in range(1, len(self.nodes) + 1):
                self.net.admin("POST", f"/nodes/{n}/drop?fraction=0.2")
        else:
            for n in self.rng.sample(range(1, len(self.nodes) + 1), 3):
                self.net.admin("POST", f"/nodes/{n}/delay?ms=3000")
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.active = kind
        return kind


def sample(pid):
    """(RSS in kB, open fds) of a live process, or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        return rss, len(os.listdir(f"/proc/{pid}/fd"))
    except (OSError, StopIteration):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--messages", type=int, default=10_000, help="total sends, all clients together")
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--minutes", type=float, default=60, help="give up sending after this long")
    ap.add_argument("--rate", type=float, default=4.0, help="sends per second per client")
    ap.add_argument("--fault-every", type=float, default=15.0, help="seconds between fault switches")
    ap.add_argument("--drain-minutes", type=float, default=5)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "soak"))
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--smoke", action="store_true", help="the minute-long version inside make test")
    args = ap.parse_args()
    if args.smoke:
        args.messages, args.kills, args.minutes, args.rate, args.fault_every, args.drain_minutes = 200, 5, 1, 2.0, 8.0, 1.5
    rng = random.Random(args.seed)
    args.out = os.path.abspath(args.out)
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    log(f"soak: {args.clients} clients, {args.messages} messages, {args.kills} kills, seed {args.seed}, out {args.out}")

    net = LocalNet(args.out)
    procs = {}
    try:
        run(args, rng, net, procs)
    finally:  # whatever happened, leave no process behind
        for p in procs.values():
            if p.poll() is None:
                p.kill()
        net.stop()


def run(args, rng, net, procs):
    names = [f"c{i}" for i in range(args.clients)]
    peers = {}
    for name in names:  # identities are created once, then every life of a worker reopens them
        os.makedirs(os.path.join(args.out, name))
        c = Client(data_dir=os.path.join(args.out, name, "client"), seed_url=net.seed_url, start=False)
        peers[name] = c.session_id
        c.close()
    peers_file = os.path.join(args.out, "peers.json")
    json.dump(peers, open(peers_file, "w"))
    quota = -(-args.messages // args.clients)

    lives = {n: 0 for n in names}

    def spawn(name):
        lives[name] += 1
        err = open(os.path.join(args.out, name, f"stderr.{lives[name]}"), "w")
        procs[name] = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "soak", "worker.py"), "--name", name,
                                        "--dir", os.path.join(args.out, name), "--seed-url", net.seed_url, "--peers", peers_file,
                                        "--room", net.room, "--quota", str(quota), "--rate", str(args.rate)],
                                       stdout=subprocess.DEVNULL, stderr=err, env=os.environ)

    for name in names:
        spawn(name)
    time.sleep(5)
    open(os.path.join(args.out, "go"), "w").close()

    faults = Faults(net, list(peers.values()), rng)
    samples = open(os.path.join(args.out, "samples.csv"), "w")
    samples.write("t,process,life,rss_kb,fds\n")
    kills = {"sending": 0, "idle": 0}
    start = time.monotonic()
    next_fault = start + args.fault_every
    next_kill = start + rng.uniform(1, 6)
    next_sample = start
    send_deadline = start + args.minutes * 60

    def queued():
        journals = [os.path.join(args.out, n, "journal") for n in names]
        return sum(1 for j in journals if os.path.exists(j) for line in open(j, errors="replace") if line.startswith("Q "))

    def sending_done():
        return queued() >= quota * args.clients

    while True:
        now = time.monotonic()
        for name, p in procs.items():  # a worker that died on its own is a failure to report, then restarted
            if p.poll() is not None and p.returncode != -signal.SIGKILL:
                log(f"{name} exited with {p.returncode}: see {args.out}/{name}/stderr.{lives[name]}")
                spawn(name)
        if now >= next_sample:
            t = round(now - start, 1)
            for name, p in procs.items():
                s = sample(p.pid)
                if s:
                    samples.write(f"{t},{name},{lives[name]},{s[0]},{s[1]}\n")
            s = sample(net.proc.pid)
            if s:
                samples.write(f"{t},localnet,1,{s[0]},{s[1]}\n")
            samples.flush()
            next_sample = now + 5
        if now >= next_fault:
            what = faults.toggle()
            log(f"fault: {what}")
            next_fault = now + args.fault_every * (0.5 if what == "reset" else 1)
        done_sending = sending_done()
        if now >= next_kill and sum(kills.values()) < args.kills:
            name = rng.choice(names)
            procs[name].kill()
            procs[name].wait()
            kills["idle" if done_sending else "sending"] += 1
            time.sleep(rng.uniform(0, 2))
            spawn(name)
            next_kill = now + rng.uniform(2, 8)
        if (done_sending and sum(kills.values()) >= args.kills) or now > send_deadline:
            break
        time.sleep(0.2)

    log(f"sending done ({queued()} queued), {sum(kills.values())} kills; faults off, draining")
    net.admin("POST", "/reset")
    drain_deadline = time.monotonic() + args.drain_minutes * 60
    report = None
    while time.monotonic() < drain_deadline:
        time.sleep(10)
        report = check_journals(args.out, names)
        log(f"drain: {report['lost']} not yet delivered")
        if report["lost"] == 0:
            time.sleep(5)  # late duplicates would show now
            break
    for p in procs.values():
        p.terminate()
    for p in procs.values():
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
    report = check_journals(args.out, names)
    lost = report.pop("lost_list")
    homes = home_swarms(args.out, peers)
    where = locate(args.out, peers, [(r, t) for r, t in lost if not t.endswith(":room")])
    stranded = [f"{t} -> {r} ({min(where[(r, t)])})" for r, t in lost if (r, t) in where and homes[r] not in where[(r, t)]]
    report.update(lost_stranded_by_move=len(stranded), stranded_examples=stranded[:10],
                  lost_examples=[f"{t} -> {r} ({min(where[(r, t)]) if (r, t) in where else 'not in any swarm store'})" for r, t in lost][:10])
    report.update(kills=sum(kills.values()), kills_while_sending=kills["sending"], faults=faults.counts,
                  seconds=round(time.monotonic() - start), clients=args.clients)
    report.update(memory(os.path.join(args.out, "samples.csv")))
    json.dump(report, open(os.path.join(args.out, "report.json"), "w"), indent=1)
    print(json.dumps(report, indent=1))

    checks = {
        "messages queued reach the target": report["queued"] >= args.messages,
        "kill -9 count reaches the target": report["kills"] >= args.kills,
        "nothing queued was lost (but for messages stranded by a swarm move, below)": report["lost"] - report["lost_stranded_by_move"] == 0,
        "every duplicate is an unreleased batch (or a re-posted room post, below)": report["unexplained_duplicates"] == 0,
        "no event for a message never sent": report["phantoms"] == 0,
    }
    if not args.smoke:  # a minute is too short to tell growth from warm-up
        checks["LocalNet RSS flat (last quarter within 1.5x of the second quarter)"] = report["localnet_rss_ratio"] <= 1.5
        checks["worker RSS flat (last quarter within 1.5x of the second quarter)"] = report["worker_rss_ratio"] <= 1.5
        checks["worker fds flat (max within +16 of the first minute)"] = report["worker_fd_growth"] <= 16
    print(f"KNOWN {report['lost_stranded_by_move']} messages stranded in a swarm the recipient was moved away from "
          f"(LocalNet's move fault hands no stored messages to the new swarm; docs/reliability.md)")
    print(f"KNOWN {report['resent_room_posts']} room posts delivered twice: re-posted after a sender crash or a lost reply "
          f"(receivers of this library show them once; docs/reliability.md)")
    failed = [k for k, ok in checks.items() if not ok]
    for k, ok in checks.items():
        print(("PASS " if ok else "FAIL ") + k)
    print(f"soak: {len(checks) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


def memory(path):
    """Flatness figures from samples.csv: RSS of LocalNet and of the workers by quarter of the run, fds."""
    rows = [line.rstrip().split(",") for line in open(path)][1:]
    net = [(float(r[0]), int(r[3])) for r in rows if r[1] == "localnet"]
    workers = [(float(r[0]), r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows if r[1] != "localnet"]
    end = max((t for t, *_ in workers), default=1)

    def quarter_max(samples, q):
        values = [v for t, v in samples if q * end / 4 <= t <= (q + 1) * end / 4]
        return max(values, default=0)

    wrss = [(w[0], w[3]) for w in workers]
    net2, net4, w2, w4 = quarter_max(net, 1), quarter_max(net, 3), quarter_max(wrss, 1), quarter_max(wrss, 3)
    fds_first = max((w[4] for w in workers if w[0] <= 60), default=0)
    fds_max = max((w[4] for w in workers), default=0)
    return {
        "localnet_rss_mb_second_quarter": round(net2 / 1024), "localnet_rss_mb_last_quarter": round(net4 / 1024),
        "localnet_rss_ratio": round(net4 / net2, 2) if net2 else 0,
        "worker_rss_mb_second_quarter": round(w2 / 1024), "worker_rss_mb_last_quarter": round(w4 / 1024),
        "worker_rss_ratio": round(w4 / w2, 2) if w2 else 0,
        "worker_fds_first_minute": fds_first, "worker_fds_max": fds_max, "worker_fd_growth": fds_max - fds_first,
        "samples": len(rows),
    }


if __name__ == "__main__":
    main()
