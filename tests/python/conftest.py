import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "bindings" / "python"))
os.environ.setdefault("SESSION_LIBRARY", str(ROOT / "dist" / "lib" / "libsession.so"))

import subprocess
import tempfile
import time

import pytest


def start_localnet(binary):
    """Starts `binary` (a session-localnet) on a fresh data dir; returns (process, its KEY=value lines)."""
    if not Path(binary).exists():
        pytest.fail(f"{binary} is missing: run `make dist` first")
    data = tempfile.mkdtemp(prefix="pytest-localnet-")
    proc = subprocess.Popen([str(binary), "--data", data], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    values = {}
    deadline = time.monotonic() + 90  # a liveness bound: READY takes ~2 s idle, far longer under heavy load
    for line in proc.stdout:
        key, _, value = line.strip().partition("=")
        values[key] = value
        if key == "READY" or time.monotonic() > deadline:
            break
    if "READY" not in values:
        proc.kill()
        pytest.fail(f"{binary} did not become ready")
    return proc, values


def stop_localnet(proc):
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def localnet_values():
    """A session-localnet for the whole pytest run; yields its SEED_URL, DATA_DIR, ... lines as a dict."""
    proc, values = start_localnet(ROOT / "dist" / "bin" / "session-localnet")
    yield values
    stop_localnet(proc)


@pytest.fixture(scope="session")
def localnet(localnet_values):
    """The seed URL of the pytest run's session-localnet."""
    return localnet_values["SEED_URL"]
