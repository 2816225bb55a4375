"""`make install` / `make uninstall` as a C user runs them: into a temporary prefix, then programs built
with `pkg-config --cflags --libs libsession` and with CMake `find_package(SessionInterop)`, shared and
static (libsession.a), send a message over a LocalNet started from PREFIX/bin/session-localnet."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, start_localnet, stop_localnet

EXAMPLES_C = ROOT / "examples" / "c"


def make(*args):
    done = subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def files_under(root):
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file() or p.is_symlink())


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    p = tmp_path_factory.mktemp("prefix")
    make("install", f"PREFIX={p}")
    return p


@pytest.fixture(scope="module")
def installed_localnet(prefix):
    """LocalNet started from the installed PREFIX/bin/session-localnet; yields its seed URL."""
    proc, values = start_localnet(prefix / "bin" / "session-localnet")
    yield values["SEED_URL"]
    stop_localnet(proc)


def soname(path):
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=True).stdout
    return re.search(r"\(SONAME\)\s+Library soname: \[(.+?)\]", out).group(1)


def test_the_shared_library_is_versioned_with_soname_links(prefix):
    lib = prefix / "lib"
    real = [p for p in lib.glob("libsession.so.*.*.*")]
    assert len(real) == 1 and not real[0].is_symlink()
    assert soname(real[0]) == "libsession.so.1"
    assert os.readlink(lib / "libsession.so.1") == real[0].name
    assert os.readlink(lib / "libsession.so") == "libsession.so.1"
    # libsodium and SQLite go to the private libdir, never next to the system's -lsodium.
    assert (lib / "sessioninterop" / "libsodium.so").is_file()
    assert (lib / "sessioninterop" / "libe_sqlite3.so").is_file()
    assert not (lib / "libsodium.so").exists()
    assert (prefix / "include" / "session.h").read_bytes() == (ROOT / "include" / "session.h").read_bytes()
    for tool in ("session", "session-localnet"):
        assert os.access(prefix / "bin" / tool, os.X_OK), tool


def pkg_config(prefix, *args):
    env = dict(os.environ, PKG_CONFIG_PATH=str(prefix / "lib" / "pkgconfig"))
    return subprocess.run(["pkg-config", *args], env=env, capture_output=True, text=True, check=True).stdout.split()


def needed_libraries(program):
    out = subprocess.run(["readelf", "-d", str(program)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out)


def test_pkg_config_describes_the_prefix(prefix):
    flags = pkg_config(prefix, "--cflags", "--libs", "libsession")
    assert f"-I{prefix}/include" in flags and f"-L{prefix}/lib" in flags and "-lsession" in flags
    [version] = pkg_config(prefix, "--modversion", "libsession")
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    # A static link needs the .NET runtime's system libraries: both modules state them in Libs.private.
    for module in ("libsession", "libsession-static"):
        static = pkg_config(prefix, "--static", "--libs", module)
        assert {"-ldl", "-lrt", "-lm", "-pthread"} <= set(static), (module, static)


def new_session_id(prefix, data):
    done = subprocess.run([str(prefix / "bin" / "session"), "id", "new", "--data", str(data)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def send_code(program, prefix, seed_url, tmp_path):
    recipient = new_session_id(prefix, tmp_path / "recipient")
    done = subprocess.run([str(program), "--data", str(tmp_path / "sender"), "--seed-url", seed_url,
                           "--code", "246810", "--timeout", "90", recipient], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "sent code 246810" in done.stdout


def test_a_program_built_with_pkg_config_sends_over_localnet(prefix, installed_localnet, tmp_path):
    flags = pkg_config(prefix, "--cflags", "--libs", "libsession")
    [libdir] = pkg_config(prefix, "--variable=libdir", "libsession")
    app = tmp_path / "send_code"
    subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", str(EXAMPLES_C / "send_code.c"), "-o", str(app), *flags,
                    f"-Wl,-rpath,{libdir}"], check=True)
    assert "libsession.so.1" in needed_libraries(app)
    send_code(app, prefix, installed_localnet, tmp_path)


def test_a_statically_linked_program_sends_over_localnet(prefix, installed_localnet, tmp_path):
    flags = pkg_config(prefix, "--cflags", "--libs", "--static", "libsession-static")
    app = tmp_path / "send_code_static"
    subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", str(EXAMPLES_C / "send_code.c"), "-o", str(app), *flags], check=True)
    assert not any(n.startswith("libsession") for n in needed_libraries(app))  # the runtime is inside
    send_code(app, prefix, installed_localnet, tmp_path)


def test_a_program_built_with_cmake_find_package_sends_over_localnet(prefix, installed_localnet, tmp_path):
    build = tmp_path / "build"
    for cmd in (["cmake", "-S", str(EXAMPLES_C), "-B", str(build), f"-DCMAKE_PREFIX_PATH={prefix}"],
                ["cmake", "--build", str(build)]):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    assert "libsession.so.1" in needed_libraries(build / "send_code")
    send_code(build / "send_code", prefix, installed_localnet, tmp_path / "shared")
    assert not any(n.startswith("libsession") for n in needed_libraries(build / "send_code_static"))
    send_code(build / "send_code_static", prefix, installed_localnet, tmp_path / "static")


def test_destdir_stages_the_prefix_and_uninstall_removes_everything(tmp_path):
    stage = tmp_path / "stage"
    make("install", "PREFIX=/opt/sessioninterop", f"DESTDIR={stage}")
    root = stage / "opt" / "sessioninterop"
    assert (root / "lib" / "libsession.so.1").is_symlink()
    pc = (root / "lib" / "pkgconfig" / "libsession.pc").read_text()
    assert "prefix=/opt/sessioninterop\n" in pc  # the final prefix, not the staging directory
    assert (root / "lib" / "cmake" / "SessionInterop" / "SessionInteropConfig.cmake").is_file()
    make("uninstall", "PREFIX=/opt/sessioninterop", f"DESTDIR={stage}")
    assert files_under(stage) == []
