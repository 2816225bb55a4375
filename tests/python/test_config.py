"""Multi-device configs from Python (issue 16): a client restored from another's recovery phrase (new
data directory) shows its display name, contacts and rooms; changes flow both ways as
CONFIG_CHANGED events; the C ABI's argument checks."""
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import session_interop as si

ROOT = Path(__file__).resolve().parents[2]
LOCALNET = ROOT / "dist" / "bin" / "session-localnet"
FAST = {"poll.min_interval_ms": 200, "poll.max_interval_ms": 1000}


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
            yield info
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def until(c, done, into, seconds=60):
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"not within {seconds} s; events: {[(e.type, e.value, e.conversation) for e in into]}"
        c.wait(0.2)
        into.extend(c.poll())
    into.extend(c.poll())


def test_a_restored_client_shows_the_profile_contacts_and_rooms_and_changes_flow_back(localnet, tmp_path):
    friend = si.Identity.generate().session_id
    room = localnet["COMMUNITY_URL"]
    first = si.Identity.generate()
    with si.Client(first, data_dir=tmp_path / "a", seed_url=localnet["SEED_URL"], options=FAST) as a:
        a.set_display_name("Bot Number One")
        a.set_contact(friend, nickname="Pal", approved=True)
        a.join_community(room)
        assert a.display_name == "Bot Number One"
        assert [c.session_id for c in a.contacts()] == [friend]

        restored = si.Identity.from_mnemonic(a.mnemonic)
        with si.Client(restored, data_dir=tmp_path / "b", seed_url=localnet["SEED_URL"], options=FAST) as b:
            events = []
            until(b, lambda: b.display_name == "Bot Number One" and room in b.communities()
                  and any(c.session_id == friend and c.nickname == "Pal" and c.approved for c in b.contacts()), events)
            changed = {(e.value, e.conversation) for e in events if e.type == si.EventType.CONFIG_CHANGED}
            assert {(2, ""), (3, friend), (5, room)} <= changed

            b.set_contact(friend, nickname="Buddy", blocked=True)
            b.mark_read(friend, int(time.time() * 1000))
            a_events = []
            until(a, lambda: any(c.session_id == friend and c.nickname == "Buddy" and c.blocked for c in a.contacts()), a_events)
            assert any(e.type == si.EventType.CONFIG_CHANGED and e.value == 3 and e.conversation == friend for e in a_events)

            a.leave_community(room)
            until(b, lambda: room not in b.communities(), events)


def test_config_calls_validate_their_arguments(tmp_path):
    with si.Client(data_dir=tmp_path / "c", seed_url="http://127.0.0.1:1", start=False) as c:
        assert c.display_name == ""
        assert c.contacts() == [] and c.communities() == []
        with pytest.raises(si.SessionError) as bad_id:
            c.set_contact("15" + "0" * 64, nickname="x")
        assert bad_id.value.status == si.Status.E_INVALID_ARGUMENT
        with pytest.raises(si.SessionError):
            c.set_contact("05" + "1" * 64, nickname="n" * 101)
        assert c.contacts() == [], "nothing changes on failure"
        with pytest.raises(si.SessionError):
            c.mark_read("not a conversation", 1)
        c.set_contact("05" + "1" * 64, nickname="Ünïcode", approved=True)
        (only,) = c.contacts()
        assert only == si.Contact("05" + "1" * 64, "", "Ünïcode", True, False, False)
        c.set_contact(only.session_id, nickname="")
        assert c.contacts()[0].nickname == "" and c.contacts()[0].approved
