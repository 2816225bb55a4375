"""`make nuget`, then examples/dotnet restored from that local feed (as a user's app would be) talks
to the C echo bot over LocalNet: SendAsync completes once stored, Events() yields the bot's reply."""
import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from test_examples import BIN, read_session_id, start

EXAMPLE = ROOT / "examples" / "dotnet"
# A packages folder of our own: the global cache would keep an older SessionInterop 0.1.0 forever.
PACKAGES = ROOT / "build" / "nuget-packages"


@pytest.fixture(scope="module")
def example_app(tmp_path_factory):
    done = subprocess.run(["make", "--no-print-directory", "nuget"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    [package] = (ROOT / "dist" / "nuget").glob("SessionInterop.*.nupkg")
    assert re.fullmatch(r"SessionInterop\.\d+\.\d+\.\d+\.nupkg", package.name)
    shutil.rmtree(PACKAGES / "sessioninterop", ignore_errors=True)
    out = tmp_path_factory.mktemp("dotnet-example")
    build = subprocess.run(["dotnet", "build", str(EXAMPLE), "-c", "Release", "--packages", str(PACKAGES), "-nologo", "-v:q",
                            "-o", str(out)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    return out / "SessionInterop.Example.dll"


def test_the_dotnet_example_from_the_local_feed_talks_to_the_c_bot(example_app, localnet, tmp_path):
    bot = start([BIN / "echo_bot", "--data", tmp_path / "bot", "--seed-url", localnet, "--duration", "120"])
    try:
        bot_id = read_session_id(bot)
        run = subprocess.run(["dotnet", str(example_app), "--to", bot_id, "--text", "hi from C#",
                              "--data", str(tmp_path / "data"), "--seed-url", localnet, "--timeout", "90"],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
        assert re.search(r"^stored \S+$", run.stdout, re.M), run.stdout
        assert "reply: echo: hi from C#" in run.stdout, run.stdout
    finally:
        bot.terminate()
        bot.wait(timeout=20)
