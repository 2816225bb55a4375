"""The `session` command-line tool (dist/bin/session), run as a shell user would, against LocalNet."""
import base64
import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

SESSION = ROOT / "dist" / "bin" / "session"
SESSION_ID = re.compile(r"05[0-9a-f]{64}")


def session(*args, timeout=120, **kw):
    return subprocess.run([str(SESSION), *map(str, args)], capture_output=True, text=True, timeout=timeout, **kw)


def new_id(data):
    done = session("id", "new", "--data", data)
    assert done.returncode == 0, done.stderr
    assert SESSION_ID.fullmatch(done.stdout.strip()), done.stdout
    return done.stdout.strip()


@pytest.mark.parametrize("verb", [[], ["id"], ["send"], ["listen"], ["join"], ["decode"]])
def test_every_verb_has_help(verb):
    done = session(*verb, "--help")
    assert done.returncode == 0, done.stderr
    assert "usage: session" in done.stdout
    assert "exit codes" in done.stdout


@pytest.mark.parametrize("args", [["frobnicate"], ["id", "new", "--bogus"], ["send", "05" + "ab" * 32], ["listen", "--count"]])
def test_a_bad_command_line_exits_2(args, tmp_path):
    done = session(*args, "--data", tmp_path / "d")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "session:" in done.stderr


def test_id_new_show_restore(tmp_path):
    sid = new_id(tmp_path / "a")
    assert session("id", "new", "--data", tmp_path / "a").returncode == 1  # never replaces an identity
    shown = session("id", "show", "--phrase", "--data", tmp_path / "a")
    assert shown.returncode == 0, shown.stderr
    shown_id, phrase = shown.stdout.splitlines()
    assert shown_id == sid and len(phrase.split()) == 13
    restored = session("id", "restore", "--data", tmp_path / "b", input=phrase + "\n")
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == sid
    assert session("id", "show", "--data", tmp_path / "empty").returncode == 5
    assert session("decode", "AAAA", "--data", tmp_path / "empty").returncode == 5


def listen(data, seed_url, count=1):
    return subprocess.Popen([str(SESSION), "listen", "--json", "--count", str(count), "--timeout", "90",
                             "--data", str(data), "--seed-url", seed_url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def messages_of(proc):
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert all({"type", "sender", "text"} <= e.keys() for e in events)
    return [e for e in events if e["type"] == "message"]


def stored_data(localnet_dir, message_id):
    """The message as LocalNet's swarm members store it: the base64 `data` a retrieve would return."""
    for db in Path(localnet_dir).glob("node-*.sqlite"):
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT data FROM messages WHERE hash = ?", (message_id,)).fetchone()
        if row:
            return base64.b64encode(row[0]).decode()
    raise AssertionError(f"{message_id} is not stored on LocalNet")


def test_send_and_listen_converse_and_decode_reads_the_stored_message(localnet_values, tmp_path):
    seed = localnet_values["SEED_URL"]
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    alice_id, bob_id = new_id(alice), new_id(bob)

    alice_listens = listen(alice, seed)
    sent = session("send", alice_id, "hello Alice 👋", "--data", bob, "--seed-url", seed)
    assert sent.returncode == 0, sent.stderr
    [got] = messages_of(alice_listens)
    assert (got["sender"], got["text"]) == (bob_id, "hello Alice 👋")

    bob_listens = listen(bob, seed)
    reply = session("send", bob_id, "hi Bob", "--data", alice, "--seed-url", seed)
    assert reply.returncode == 0, reply.stderr
    [got] = messages_of(bob_listens)
    assert (got["sender"], got["text"]) == (alice_id, "hi Bob")

    data = stored_data(localnet_values["DATA_DIR"], sent.stdout.strip())
    decoded = session("decode", "--data", alice, input=data)
    assert decoded.returncode == 0, decoded.stderr
    fields = json.loads(decoded.stdout)
    assert (fields["sender"], fields["text"]) == (bob_id, "hello Alice 👋")
    assert fields["content"]["dataMessage"]["body"] == "hello Alice 👋"
    # Someone else's message is not Bob's to read.
    assert session("decode", data, "--data", bob).returncode == 1


def test_send_gives_up_with_exit_4_when_the_network_never_confirms(tmp_path):
    # A seed nobody listens on (loopback, a closed port): the message stays queued.
    done = session("send", "05" + "ab" * 32, "hi", "--timeout", "2", "--data", tmp_path / "a", "--seed-url", "https://127.0.0.1:9")
    assert done.returncode == 4, done.stderr
