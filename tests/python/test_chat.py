"""Issue 14 over a real LocalNet from Python: every 1:1 kind round-trips between two clients, a sync
message from the account's other device arrives as outgoing, and the new Event fields match C."""
import ctypes

import pytest

import session_interop as si
from session_interop._ffi import SessionEvent, SessionMessage

from header import HEADER
from test_client import drain

FAST = {"poll.min_interval_ms": 100, "poll.max_interval_ms": 400}


def wait_for(client, etype, count=1, timeout=60):
    seen = drain(client, lambda s: sum(e.type == etype for e in s) >= count, timeout)
    return [e for e in seen if e.type == etype]


def test_every_kind_round_trips_between_two_clients(localnet, tmp_path):
    with si.Client(data_dir=tmp_path / "a", seed_url=localnet, options=FAST, display_name="Alice") as a, \
         si.Client(data_dir=tmp_path / "b", seed_url=localnet, options=FAST) as b:
        a.send(b.session_id, "hello bob")
        first = drain(b, lambda s: {si.EventType.MESSAGE, si.EventType.PROFILE} <= {e.type for e in s})
        hello = next(e for e in first if e.type == si.EventType.MESSAGE)
        assert (hello.text, hello.display_name, hello.is_request, hello.outgoing) == ("hello bob", "Alice", True, False)
        profile = next(e for e in first if e.type == si.EventType.PROFILE)
        assert (profile.display_name, profile.conversation) == ("Alice", a.session_id)

        b.accept_request(a.session_id)
        assert wait_for(a, si.EventType.REQUEST_RESPONSE)[0].value == 1

        b.send(a.session_id, "hello alice", reply_to=hello)
        reply = wait_for(a, si.EventType.MESSAGE)[0]
        assert (reply.text, reply.ref_timestamp_ms, reply.ref_author, reply.is_request) == \
            ("hello alice", hello.timestamp_ms, a.session_id, False)

        a.react(b.session_id, reply.timestamp_ms, b.session_id, "👍")
        a.react(b.session_id, reply.timestamp_ms, b.session_id, "👍", remove=True)
        # Two messages may arrive through different swarm members in either order (replication lag):
        # the sent time (timestamp_ms) orders them, as docs/delivery.md says.
        reactions = sorted(wait_for(b, si.EventType.REACTION, 2), key=lambda e: e.timestamp_ms)
        assert [(e.ref_timestamp_ms, e.emoji, e.value) for e in reactions] == \
            [(reply.timestamp_ms, "👍", 0), (reply.timestamp_ms, "👍", 1)]

        a.send_read_receipt(b.session_id, [reply.timestamp_ms, reply.timestamp_ms + 1])
        assert [e.ref_timestamp_ms for e in wait_for(b, si.EventType.RECEIPT, 2)] == [reply.timestamp_ms, reply.timestamp_ms + 1]

        a.send_typing(b.session_id, True)
        a.send_typing(b.session_id, False)
        assert [e.value for e in wait_for(b, si.EventType.TYPING, 2)] == [1, 0]

        a.unsend(b.session_id, hello.timestamp_ms)
        unsend = wait_for(b, si.EventType.UNSEND)[0]
        assert (unsend.ref_timestamp_ms, unsend.ref_author) == (hello.timestamp_ms, a.session_id)

        a.send(b.session_id, "for a minute", expire=("after_send", 60))
        poof = wait_for(b, si.EventType.MESSAGE)[0]
        assert (poof.text, poof.expiry_type, poof.expiry_seconds) == ("for a minute", 2, 60)

        a.set_expiry(b.session_id, ("after_read", 300))
        a.send(b.session_id, "follows the setting")
        later = [e for e in wait_for(b, si.EventType.MESSAGE) if e.text == "follows the setting"]
        assert later and (later[0].expiry_type, later[0].expiry_seconds) == (1, 300)


def test_a_message_from_our_other_device_arrives_as_outgoing(localnet, tmp_path):
    me = si.Identity.generate()
    carol = si.Identity.generate()
    with si.Client(me, data_dir=tmp_path / "laptop", seed_url=localnet, options=FAST) as laptop, \
         si.Client(me, data_dir=tmp_path / "phone", seed_url=localnet, options=FAST) as phone:
        laptop.send(carol.session_id, "sent from the laptop")
        ev = wait_for(phone, si.EventType.MESSAGE)[0]
        assert (ev.text, ev.outgoing, ev.conversation, ev.sender) == ("sent from the laptop", True, carol.session_id, me.session_id)


def test_bad_messages_are_refused_on_the_calling_thread(tmp_path):
    with si.Client(data_dir=tmp_path / "x", seed_url="http://127.0.0.1:9", start=False) as c:
        other = si.Identity.generate().session_id
        with pytest.raises(ValueError):
            c.send(other, "x", expire=("sometimes", 5))
        with pytest.raises(si.SessionError) as e:
            c.react(other, 1, other, "")
        assert e.value.status is si.Status.E_INVALID_ARGUMENT
        with pytest.raises(si.SessionError) as e:
            c.send(other, "x", expire=("after_send", 0))
        assert e.value.status is si.Status.E_INVALID_ARGUMENT


def test_event_and_message_structs_match_the_c_layout(tmp_path):
    """sizeof and offsets of session_event / session_message as the C compiler lays them out."""
    import subprocess
    fields_ev = [f[0] for f in SessionEvent._fields_]
    fields_msg = [f[0] for f in SessionMessage._fields_]
    src = tmp_path / "layout.c"
    lines = ['#include <stdio.h>', '#include <stddef.h>', f'#include "{HEADER}"', "int main(void) {"]
    lines.append('printf("%zu\\n", sizeof(session_event));')
    lines += [f'printf("%zu\\n", offsetof(session_event, {f}));' for f in fields_ev]
    lines.append('printf("%zu\\n", sizeof(session_message));')
    lines += [f'printf("%zu\\n", offsetof(session_message, {f}));' for f in fields_msg]
    lines.append("return 0; }")
    src.write_text("\n".join(lines))
    exe = tmp_path / "layout"
    subprocess.run(["gcc", "-std=c99", "-o", str(exe), str(src)], check=True)
    got = [int(x) for x in subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()]
    expected = [ctypes.sizeof(SessionEvent)] + [getattr(SessionEvent, f).offset for f in fields_ev] \
        + [ctypes.sizeof(SessionMessage)] + [getattr(SessionMessage, f).offset for f in fields_msg]
    assert got == expected
