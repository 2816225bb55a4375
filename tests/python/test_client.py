"""si.Client over a real LocalNet: messaging, events, errors and lifetime."""
import ctypes
import subprocess
import threading
import time

import pytest

import session_interop as si
from session_interop._ffi import SessionEvent

from header import HEADER, ROOT

FAST = {"poll.min_interval_ms": 100, "poll.max_interval_ms": 400}


def drain(client, until, timeout=60):
    seen = []
    deadline = time.monotonic() + timeout
    while not until(seen):
        assert time.monotonic() < deadline, f"timed out with {len(seen)} events"
        client.wait(0.25)
        seen.extend(client.poll(64))
    return seen


def messages(events):
    return [e for e in events if e.type == si.EventType.MESSAGE]


def test_two_clients_talk_exactly_once(localnet, tmp_path):
    with si.Client(data_dir=tmp_path / "a", seed_url=localnet, options=FAST) as a, \
         si.Client(data_dir=tmp_path / "b", seed_url=localnet, options=FAST) as b:
        texts = ["hello", "grüße 🙂", "", "x" * si.Client.max_text_bytes()]
        rids = [a.send(b.session_id, t) for t in texts]
        got = drain(b, lambda s: len(messages(s)) >= len(texts))
        done = drain(a, lambda s: sum(e.type == si.EventType.REQUEST_DONE for e in s) >= len(texts))
        time.sleep(1)
        got += b.poll()
        assert sorted(e.text for e in messages(got)) == sorted(texts)
        assert {e.sender for e in messages(got)} == {a.session_id}
        assert {e.conversation for e in messages(got)} == {a.session_id}
        assert sorted(e.request_id for e in done if e.type == si.EventType.REQUEST_DONE) == sorted(rids)
        assert all(e.ok and e.message_id for e in done if e.type == si.EventType.REQUEST_DONE)


def test_identity_is_kept_in_the_data_directory(localnet, tmp_path):
    me = si.Identity.generate()
    with si.Client(me, data_dir=tmp_path / "me", seed_url=localnet, start=False) as c:
        assert c.session_id == me.session_id
        assert c.mnemonic == me.mnemonic
    with si.Client(data_dir=tmp_path / "me", seed_url=localnet, start=False) as c:
        assert c.session_id == me.session_id
    other = si.Identity.generate()
    with pytest.raises(si.SessionError) as e:
        si.Client(other, data_dir=tmp_path / "me", seed_url=localnet)
    assert e.value.status is si.Status.E_WRONG_STATE


def test_wrong_database_key_is_refused(tmp_path):
    with si.Client(data_dir=tmp_path / "k", db_key=b"k" * 32, start=False):
        pass
    with pytest.raises(si.SessionError) as e:
        si.Client(data_dir=tmp_path / "k", db_key=b"x" * 32, start=False)
    assert e.value.status is si.Status.E_WRONG_KEY


def test_send_errors_raise_session_error(tmp_path):
    with si.Client(data_dir=tmp_path / "c", start=False) as c:
        for bad, status in (("05abc", si.Status.E_INVALID_ARGUMENT), ("15" + "ab" * 32, si.Status.E_INVALID_ARGUMENT)):
            with pytest.raises(si.SessionError) as e:
                c.send(bad, "x")
            assert e.value.status is status
        with pytest.raises(si.SessionError) as e:
            c.send(c.session_id, "x" * (si.Client.max_text_bytes() + 1))
        assert e.value.status is si.Status.E_TOO_LARGE
        with pytest.raises(TypeError):
            c.send(c.session_id, b"bytes")


def test_poll_never_blocks_and_respects_max_events(tmp_path):
    with si.Client(data_dir=tmp_path / "p", start=False) as c:
        t0 = time.perf_counter()
        for _ in range(1000):
            assert c.poll(8) == []
        assert c.poll(0) == []
        elapsed = time.perf_counter() - t0
        assert elapsed < 5, elapsed  # a sanity bound, not a benchmark: 1000 empty polls
        assert c.wait(0.05) is False


def test_interrupt_wakes_a_waiting_thread(tmp_path):
    with si.Client(data_dir=tmp_path / "w", start=False) as c:
        threading.Timer(0.1, c.interrupt).start()
        t0 = time.monotonic()
        assert c.wait(10) is True
        assert time.monotonic() - t0 < 5


def test_logs_arrive_as_events_on_the_polling_thread(localnet, tmp_path):
    with si.Client(data_dir=tmp_path / "l", seed_url=localnet, log_level=si.LogLevel.DEBUG, options=FAST) as c:
        logs = drain(c, lambda s: any(e.type == si.EventType.LOG for e in s), timeout=30)
        log = next(e for e in logs if e.type == si.EventType.LOG)
        assert log.conversation  # the category
        assert si.LogLevel.TRACE <= log.value <= si.LogLevel.ERROR


def test_a_log_callback_runs_only_when_registered(localnet, tmp_path):
    records = []
    with si.Client(data_dir=tmp_path / "cb", seed_url=localnet, log_level=si.LogLevel.DEBUG,
                   log_callback=lambda lvl, cat, msg: records.append((lvl, cat, msg, threading.get_ident())),
                   options=FAST) as c:
        deadline = time.monotonic() + 30
        while not records and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(e.type != si.EventType.LOG for e in c.poll())  # callback mode: no LOG events
    assert records and all(isinstance(r[2], str) for r in records)


def test_stop_emits_stopped_and_a_closed_client_raises(localnet, tmp_path):
    c = si.Client(data_dir=tmp_path / "s", seed_url=localnet, options=FAST)
    with c:
        c.stop()
        drain(c, lambda s: any(e.type == si.EventType.STOPPED for e in s), timeout=20)
    with pytest.raises(si.ClosedError):
        c.send("05" + "00" * 32, "x")
    c.close()  # idempotent


def test_event_struct_matches_the_c_layout(tmp_path):
    src = tmp_path / "layout.c"
    src.write_text('#include <stdio.h>\n#include <stddef.h>\n#include "session.h"\n'
                   'int main(void){printf("%zu %zu %zu %zu\\n", sizeof(session_event), offsetof(session_event, text),'
                   ' offsetof(session_event, data), offsetof(session_event, conversation));return 0;}\n')
    exe = tmp_path / "layout"
    subprocess.run(["gcc", "-std=c11", f"-I{HEADER.parent}", str(src), "-o", str(exe)], check=True)
    size, text, data, conversation = map(int, subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split())
    assert ctypes.sizeof(SessionEvent) == size == 240  # 136 + issue 14's 80 + issue 15's 24 bytes of appended fields
    assert SessionEvent.text.offset == text
    assert SessionEvent.data.offset == data
    assert SessionEvent.conversation.offset == conversation


def test_attachment_structs_match_the_c_layout(tmp_path):
    from session_interop._ffi import SessionAttachment, SessionAttachmentSource, SessionMessage
    src = tmp_path / "layout.c"
    src.write_text('#include <stdio.h>\n#include <stddef.h>\n#include "session.h"\n'
                   'int main(void){printf("%zu %zu %zu %zu %zu %zu %zu %zu\\n", sizeof(session_attachment),'
                   ' offsetof(session_attachment, key), offsetof(session_attachment, is_avatar), offsetof(session_event, attachments),'
                   ' offsetof(session_event, avatar), sizeof(session_attachment_source), sizeof(session_message),'
                   ' offsetof(session_message, attachments));return 0;}\n')
    exe = tmp_path / "layout"
    subprocess.run(["gcc", "-std=c11", f"-I{HEADER.parent}", str(src), "-o", str(exe)], check=True)
    values = list(map(int, subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()))
    assert values == [ctypes.sizeof(SessionAttachment), SessionAttachment.key.offset, SessionAttachment.is_avatar.offset,
                      SessionEvent.attachments.offset, SessionEvent.avatar.offset, ctypes.sizeof(SessionAttachmentSource),
                      ctypes.sizeof(SessionMessage), SessionMessage.attachments.offset]
