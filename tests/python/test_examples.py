"""The examples, run as a user would, against LocalNet."""
import json
import os
import subprocess
import sys
import time

import pytest

import session_interop as si

from header import ROOT

BIN = ROOT / "dist" / "bin"
PY_EXAMPLES = ROOT / "examples" / "python"


def start(cmd, **kw):
    return subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def read_session_id(proc):
    for line in proc.stdout:
        if line.startswith("SESSION_ID="):
            return line.strip().split("=", 1)[1]
    raise AssertionError(f"no SESSION_ID line; stderr: {proc.stderr.read()}")


@pytest.fixture
def echo_bot(localnet, tmp_path):
    proc = start([BIN / "echo_bot", "--data", tmp_path / "bot", "--seed-url", localnet, "--duration", "90"])
    yield read_session_id(proc), proc
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.parametrize("program", ["c", "python"])
def test_a_code_is_sent_and_confirmed(program, localnet, echo_bot, tmp_path):
    bot_id, bot = echo_bot
    cmd = ([BIN / "send_code"] if program == "c" else [sys.executable, PY_EXAMPLES / "two_factor.py"])
    done = subprocess.run([str(c) for c in cmd + ["--data", tmp_path / "sender", "--seed-url", localnet,
                                                  "--code", "654321", bot_id]],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "sent code 654321" in done.stdout
    line = bot.stdout.readline()
    assert "Your one-time code is 654321" in line


@pytest.mark.parametrize("program", ["c", "python"])
def test_a_bad_session_id_is_a_clear_error(program, tmp_path):
    cmd = ([BIN / "send_code"] if program == "c" else [sys.executable, PY_EXAMPLES / "two_factor.py"])
    done = subprocess.run([str(c) for c in cmd + ["--data", tmp_path / "x", "05nothex"]], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "not a Session ID" in done.stderr


@pytest.mark.parametrize("program", ["send_code", "echo_bot", "game_loop"])
def test_c_examples_print_usage(program):
    done = subprocess.run([str(BIN / program), "--bogus"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "usage:" in done.stderr


def test_game_loop_prints_chat_and_poll_cost(localnet, echo_bot, tmp_path):
    bot_id, _ = echo_bot
    done = subprocess.run([str(BIN / "game_loop"), "--data", str(tmp_path / "player"), "--seed-url", localnet,
                           "--frames", "3600", "--say", "gg", "--to", bot_id, "--until-lines", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "echo: gg" in done.stdout
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("frames=") and "poll_avg_us=" in summary


def test_notify_service_keeps_subscribers_and_broadcasts(localnet, tmp_path):
    service = start([sys.executable, PY_EXAMPLES / "notify_service.py", "--data", tmp_path / "svc", "--seed-url", localnet,
                     "--run-for", "90", "--announce", "server maintenance at 10:00", "--announce-after", "2"])
    service_id = read_session_id(service)
    fast = {"poll.min_interval_ms": 100, "poll.max_interval_ms": 400}
    with si.Client(data_dir=tmp_path / "u1", seed_url=localnet, options=fast) as u1, \
         si.Client(data_dir=tmp_path / "u2", seed_url=localnet, options=fast) as u2:
        u1.send(service_id, "subscribe")
        u2.send(service_id, "Subscribe ")
        for user in (u1, u2):
            texts = []
            deadline = time.monotonic() + 60
            # The confirmation and the announcement may arrive in either order.
            while "server maintenance at 10:00" not in texts or not any(t.startswith("Subscribed.") for t in texts):
                assert time.monotonic() < deadline, texts
                user.wait(0.25)
                texts += [e.text for e in user.poll() if e.type == si.EventType.MESSAGE]
            assert texts.count("server maintenance at 10:00") == 1
        u2.send(service_id, "stop")
        deadline = time.monotonic() + 60
        path = tmp_path / "svc" / "subscribers.json"
        while json.loads(path.read_text()) != [u1.session_id]:
            assert time.monotonic() < deadline, path.read_text()
            time.sleep(0.2)
    service.terminate()
    service.wait(timeout=20)
