"""The Python package: loading, version, errors, and its ctypes table against the header."""
import ctypes
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import session_interop as si
from session_interop import _ffi
from session_interop.errors import check

from header import HEADER, ROOT, declarations, int32_typedefs

SCALARS = {"int32_t": ctypes.c_int32, "uint32_t": ctypes.c_uint32, "int64_t": ctypes.c_int64,
           "uint64_t": ctypes.c_uint64, "size_t": ctypes.c_size_t, "session_status": ctypes.c_int32}


def test_version_names_the_abi():
    assert re.search(r"\(abi 1\.\d+, net10\.0 nativeaot linux-x64\)", si.version())
    assert si.abi_version() == (1, 0)


def test_every_export_is_declared_in_the_ffi_table_with_matching_types():
    decls = declarations()
    assert set(_ffi.SIGNATURES) == set(decls)
    for name, (restype, argtypes) in _ffi.SIGNATURES.items():
        d = decls[name]
        assert len(argtypes) == len(d.params), name
        for c, py in zip([d.ret] + d.params, [restype] + argtypes):
            if c == "void":
                assert py is None, name
            elif c.endswith("*") or c.endswith("_fn"):
                assert py in (ctypes.c_void_p, ctypes.c_char_p) or hasattr(py, "_type_") or hasattr(py, "_restype_"), (name, c, py)
            elif c in int32_typedefs():
                assert py is ctypes.c_int32, (name, c, py)
            else:
                assert py is SCALARS[c], (name, c, py)


def test_status_enum_matches_the_header():
    text = HEADER.read_text()
    codes = dict(re.findall(r"^\s+SESSION_(OK|E_[A-Z0-9_]+) = (\d+),", text, re.M))
    assert {k: int(v) for k, v in codes.items()} == {s.name: s.value for s in si.Status if s.value >= 0}


def test_status_names_come_from_the_library():
    assert _ffi.lib.session_status_name(21) == b"SESSION_E_TIMEOUT"
    assert _ffi.lib.session_status_name(4242) == b"SESSION_E_UNKNOWN"


def test_check_passes_ok_through():
    check(0)


def test_session_error_carries_status_code_and_message():
    err = si.SessionError(int(si.Status.E_INVALID_ARGUMENT), "id.bad_prefix", "wrong prefix")
    assert err.status is si.Status.E_INVALID_ARGUMENT
    assert err.code == "id.bad_prefix"
    assert "SESSION_E_INVALID_ARGUMENT" in str(err)
    unknown = si.SessionError(555, "", "from a newer library")
    assert unknown.status is si.Status.E_UNKNOWN and unknown.raw_status == 555


LOAD_SCRIPT = "import session_interop as si; print(si.version())"


def _run_elsewhere(tmp_path, env_extra, pythonpath):
    env = {k: v for k, v in os.environ.items() if k != "SESSION_LIBRARY"}
    env.update(env_extra)
    env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-c", LOAD_SCRIPT], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


def test_loads_through_session_library_from_another_directory(tmp_path):
    done = _run_elsewhere(tmp_path, {"SESSION_LIBRARY": str(ROOT / "dist" / "lib" / "libsession.so")},
                          ROOT / "bindings" / "python")
    assert done.returncode == 0, done.stderr
    assert "abi 1." in done.stdout


def test_loads_the_bundled_copy_of_an_installed_package(tmp_path):
    # A copy of the package as `pip install` lays it out, with the library bundled by `make dist`.
    site = tmp_path / "site"
    shutil.copytree(ROOT / "bindings" / "python" / "session_interop", site / "session_interop")
    assert (site / "session_interop" / "lib" / "libsession.so").exists()
    done = _run_elsewhere(tmp_path, {}, site)
    assert done.returncode == 0, done.stderr
    assert "abi 1." in done.stdout


def test_a_missing_library_gives_a_clear_import_error(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "bindings" / "python" / "session_interop", site / "session_interop",
                    ignore=shutil.ignore_patterns("lib"))
    done = _run_elsewhere(tmp_path, {"SESSION_LIBRARY": str(tmp_path / "nope.so")}, site)
    assert done.returncode != 0
    assert "cannot load libsession.so" in done.stderr


def test_pip_installs_the_package_with_its_bundled_library(tmp_path):
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--target", str(target),
                           str(ROOT / "bindings" / "python")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "session_interop" / "lib" / "libsession.so").exists()
    assert (target / "session_interop" / "lib" / "libsodium.so").exists()
    assert (target / "session_interop" / "lib" / "libe_sqlite3.so").exists()
    loaded = _run_elsewhere(tmp_path, {}, target)
    assert loaded.returncode == 0, loaded.stderr
    assert "abi 1." in loaded.stdout
