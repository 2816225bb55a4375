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


@pytest.fixture(scope="session")
def localnet():
    """A session-localnet for the whole pytest run; yields its seed URL."""
    binary = ROOT / "dist" / "bin" / "session-localnet"
    if not binary.exists():
        pytest.fail(f"{binary} is missing: run `make dist` first")
    data = tempfile.mkdtemp(prefix="pytest-localnet-")
    proc = subprocess.Popen([str(binary), "--data", data], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    values = {}
    deadline = time.monotonic() + 30
    for line in proc.stdout:
        key, _, value = line.strip().partition("=")
        values[key] = value
        if key == "READY" or time.monotonic() > deadline:
            break
    if "READY" not in values:
        proc.kill()
        pytest.fail("session-localnet did not become ready")
    yield values["SEED_URL"]
    proc.terminate()
    proc.wait(timeout=20)
