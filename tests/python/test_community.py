"""Communities from Python: two identities chat in a LocalNet room and exchange a blinded DM,
every request through onion v4; a restart keeps the room and delivers nothing twice."""
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import session_interop as si
from session_interop.client import EventType

ROOT = Path(__file__).resolve().parents[2]
LOCALNET = ROOT / "dist" / "bin" / "session-localnet"
FAST = {"poll.min_interval_ms": 100, "poll.max_interval_ms": 400}


@pytest.fixture(scope="module")
def localnet():
    with tempfile.TemporaryDirectory() as data:
        proc = subprocess.Popen([str(LOCALNET), "--nodes", "6", "--swarm-size", "2", "--data", data + "/net", "--room", "games"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        info = {}
        try:
            for line in proc.stdout:
                key, _, value = line.strip().partition("=")
                if key == "READY":
                    break
                info[key] = value
            assert "COMMUNITY_URL" in info, "session-localnet printed no COMMUNITY_URL"
            yield info
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def client(localnet, data_dir):
    return si.Client(data_dir=data_dir, seed_url=localnet["SEED_URL"], options=FAST)


def drain_until(c, done, into, seconds=30):
    deadline = time.monotonic() + seconds
    while not done(into):
        assert time.monotonic() < deadline, f"timed out with {[(e.type, e.text) for e in into]}"
        c.wait(0.2)
        into.extend(c.poll())
    return into


def messages(events, conversation=None):
    return [e for e in events if e.type == EventType.MESSAGE and (conversation is None or e.conversation == conversation)]


def test_two_clients_chat_in_a_room_and_dm_through_the_inbox(localnet, tmp_path):
    url = localnet["COMMUNITY_URL"]
    assert url.startswith("http://127.0.0.1:") and "/lobby?public_key=" in url
    with client(localnet, tmp_path / "a") as alice, client(localnet, tmp_path / "b") as bob:
        room = alice.join_community(url)
        assert room == url
        assert bob.join_community(url) == room
        alice.send(room, "hello room")
        got = drain_until(bob, lambda ev: messages(ev, room), [])
        first = messages(got, room)[0]
        assert first.text == "hello room"
        assert first.sender.startswith("15") and len(first.sender) == 66

        dm = si.Client.community_dm_conversation(room, first.sender)
        rid = bob.send(dm, "a private word")
        a_events = drain_until(alice, lambda ev: [e for e in messages(ev) if "/inbox/" in e.conversation], [])
        private = [e for e in messages(a_events) if "/inbox/" in e.conversation][0]
        assert private.text == "a private word"
        assert private.conversation == si.Client.community_dm_conversation(room, private.sender)
        b_events = drain_until(bob, lambda ev: any(e.type == EventType.REQUEST_DONE and e.request_id == rid for e in ev), got)
        assert [e for e in b_events if e.request_id == rid][0].ok

        with pytest.raises(si.SessionError):
            alice.join_community("http://127.0.0.1:1/a/b?public_key=00")
        alice.leave_community(room)
        with pytest.raises(si.SessionError):
            alice.leave_community(room)
        with pytest.raises(si.SessionError):
            alice.send(room, "not joined any more")


def test_a_restart_keeps_the_room_and_the_cursor(localnet, tmp_path):
    games = localnet["COMMUNITY_URL"].replace("/lobby?", "/games?")
    seen = []
    with client(localnet, tmp_path / "poster") as poster:
        room = poster.join_community(games)
        with client(localnet, tmp_path / "reader") as reader:
            reader.join_community(games)
            poster.send(room, "one")
            drain_until(reader, lambda ev: [e for e in messages(ev) if e.text == "one"], seen)
        poster.send(room, "two")
        with client(localnet, tmp_path / "reader") as reader:
            drain_until(reader, lambda ev: [e for e in messages(ev) if e.text == "two"], seen)
            time.sleep(0.8)
            seen.extend(reader.poll())
    texts = [e.text for e in messages(seen, room)]
    assert texts == ["one", "two"]
