"""The engine at the package level (issue 11): the data-directory lock across processes, the new
statuses and event type, and the bounded options."""
import os
import subprocess
import sys
import textwrap

import pytest

import session_interop as si

from header import HEADER


def test_a_second_process_cannot_open_a_directory_in_use(tmp_path):
    data_dir = tmp_path / "locked"
    probe = textwrap.dedent(f"""
        import sys, session_interop as si
        try:
            si.Client(data_dir={str(data_dir)!r}, start=False).close()
        except si.SessionError as e:
            print(e.status.name, e.code)
            sys.exit(0)
        print("OPENED")
    """)
    env = dict(os.environ)
    with si.Client(data_dir=data_dir, start=False):
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
        assert out.stdout.split() == ["E_BUSY", "state.busy"], out.stderr
        with pytest.raises(si.SessionError) as e:  # and in this process
            si.Client(data_dir=data_dir, start=False)
        assert e.value.status is si.Status.E_BUSY
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert out.stdout.strip() == "OPENED", out.stderr  # the lock went with the client


def test_new_statuses_and_event_type_agree_with_the_header():
    text = HEADER.read_text()
    assert "SESSION_E_REMOTE = 23" in text and "SESSION_E_BUSY = 33" in text
    assert "SESSION_EVENT_ERROR = 14" in text
    assert si.Status.E_REMOTE == 23 and si.Status.E_BUSY == 33 and si.EventType.ERROR == 14


def test_bound_options_are_accepted_and_checked(tmp_path):
    good = {"events.max_ready": 100, "events.max_log": 10, "replay.clock_tolerance_ms": 60_000, "shutdown.timeout_ms": 100}
    with si.Client(data_dir=tmp_path / "o", start=False, options=good):
        pass
    for key in good:
        with pytest.raises(si.SessionError) as e:
            si.Client(data_dir=tmp_path / "bad", start=False, options={key: -1})
        assert e.value.status is si.Status.E_INVALID_ARGUMENT
