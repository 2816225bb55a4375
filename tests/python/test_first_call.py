"""Every export works as the first call into the library in a fresh process (toolchain pitfall)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from header import declarations

HERE = Path(__file__).resolve().parent
LIBRARY = os.environ["SESSION_LIBRARY"]


@pytest.mark.parametrize("name", sorted(declarations()))
def test_export_is_safe_as_the_first_call(name):
    done = subprocess.run([sys.executable, str(HERE / "first_call.py"), LIBRARY, name],
                          capture_output=True, text=True, timeout=60, cwd=HERE)
    assert done.returncode == 0, f"{name}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert done.stdout.startswith(f"{name} -> ")
    # A status-returning export given NULLs must report a caller error, never an internal one.
    assert "status=99" not in done.stdout.splitlines(), done.stdout
