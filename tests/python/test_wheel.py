"""`make wheel`, installed with pip into a fresh venv (no index), used with asyncio against LocalNet."""
import json
import os
import subprocess
import sys
import textwrap
import venv

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory):
    done = subprocess.run(["make", "--no-print-directory", "wheel"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    wheel = ROOT / done.stdout.strip().splitlines()[-1]
    assert wheel.name.startswith("session_interop-") and wheel.suffix == ".whl", wheel
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "--no-index", "--no-deps", "-q", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return python


def run_in_venv(python, code, *args):
    # Only what pip installed: no SESSION_LIBRARY, no PYTHONPATH pointing at the source tree.
    env = {k: v for k, v in os.environ.items() if k not in ("SESSION_LIBRARY", "PYTHONPATH")}
    done = subprocess.run([str(python), "-c", textwrap.dedent(code), *map(str, args)], cwd="/", env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_installed_wheel_is_typed_and_versioned(venv_python):
    facts = run_in_venv(venv_python, """
        import json, pathlib, session_interop as si
        pkg = pathlib.Path(si.__file__).parent
        print(json.dumps({"version": si.__version__, "typed": (pkg / "py.typed").is_file(),
                          "lib": str(pkg / "lib" / "libsession.so"), "file": si.__file__, "abi": si.abi_version()}))
    """)
    props = (ROOT / "Directory.Build.props").read_text()
    assert f"<Version>{facts['version']}</Version>" in props
    assert facts["typed"]
    assert "site-packages" in facts["file"]
    assert facts["abi"][0] == 1


def test_async_clients_converse_without_a_spinning_thread(venv_python, localnet, tmp_path):
    result = run_in_venv(venv_python, """
        import asyncio, json, sys, threading
        import session_interop as si

        seed, base = sys.argv[1], sys.argv[2]

        async def first_message(client):
            async for ev in client:
                # While we wait, no Python thread other than the loop's exists: the library wakes us.
                assert threading.active_count() == 1, threading.enumerate()
                if ev.type == si.EventType.MESSAGE:
                    return ev

        async def main():
            async with si.AsyncClient(data_dir=base + "/a", seed_url=seed) as a, \\
                       si.AsyncClient(data_dir=base + "/b", seed_url=seed) as b:
                await a.send(b.session_id, "ping from asyncio")
                got = await asyncio.wait_for(first_message(b), 90)
                await b.send(a.session_id, "pong")
                back = await asyncio.wait_for(first_message(a), 90)
                return {"b_got": [got.sender == a.session_id, got.text],
                        "a_got": [back.sender == b.session_id, back.text]}

        print(json.dumps(asyncio.run(main())))
    """, localnet, tmp_path)
    assert result == {"b_got": [True, "ping from asyncio"], "a_got": [True, "pong"]}
