"""Where are the messages the soak found lost? Decrypts every 1:1 message stored for the recipients
in each of LocalNet's per-node stores (build/soak*/localnet/net/node-*.sqlite) with the
recipient's own identity, and names the swarm store holding each lost text. A message left in a
swarm the recipient's account was moved away from is stranded by the move fault: LocalNet does not
hand stored messages over to the new swarm, as storage servers do when swarms change.
"""
import glob
import os
import sqlite3

from session_interop import Client, Identity, crypto


def _fields(b):
    """Top-level protobuf fields of b: [(number, int or bytes)] (varint and length-delimited only)."""
    i, out = 0, []

    def varint():
        nonlocal i
        v = s = 0
        while True:
            x = b[i]
            i += 1
            v |= (x & 0x7F) << s
            s += 7
            if x < 0x80:
                return v

    while i < len(b):
        key = varint()
        if key & 7 == 0:
            out.append((key >> 3, varint()))
        elif key & 7 == 2:
            n = varint()
            out.append((key >> 3, b[i:i + n]))
            i += n
        else:
            raise ValueError("unexpected wire type")
    return out


def locate(out, peers, lost):
    """{(recipient, text): set of node store file names} for the lost (recipient, text) pairs found stored
    (every swarm member keeps its own store, so a stored message is in several files)."""
    wanted = {}
    for recipient, text in lost:
        wanted.setdefault(recipient, set()).add(text)
    found = {}
    for recipient, texts in wanted.items():
        c = Client(data_dir=os.path.join(out, recipient, "client"), start=False)
        ident = Identity.from_mnemonic(c.mnemonic)
        c.close()
        for db in sorted(glob.glob(os.path.join(out, "localnet", "net", "node-*.sqlite"))):
            con = sqlite3.connect(db)
            rows = con.execute("SELECT data FROM messages WHERE account = ? AND namespace = 0", (peers[recipient],)).fetchall()
            con.close()
            for (data,) in rows:
                try:  # WebSocketMessage.request(2).body(3) -> Envelope.content(8)
                    envelope = dict(_fields(dict(_fields(dict(_fields(data))[2]))[3]))
                    plain, _ = crypto.open(ident, envelope[8])
                except Exception:  # noqa: BLE001 - not ours or not a 1:1 message
                    continue
                for text in texts:
                    if text.encode() in plain:
                        found.setdefault((recipient, text), set()).add(os.path.basename(db))
    return found


def home_swarms(out, peers):
    """{name: a node store file holding most of that account's messages}: a member of its home
    swarm, as moves are short (members replicate, so any one of them holds the swarm's messages)."""
    counts = {}
    for db in sorted(glob.glob(os.path.join(out, "localnet", "net", "node-*.sqlite"))):
        con = sqlite3.connect(db)
        for name, account in peers.items():
            n = con.execute("SELECT count(*) FROM messages WHERE account = ? AND namespace = 0", (account,)).fetchone()[0]
            if n > counts.get(name, (0, ""))[0]:
                counts[name] = (n, os.path.basename(db))
        con.close()
    return {name: db for name, (_, db) in counts.items()}
