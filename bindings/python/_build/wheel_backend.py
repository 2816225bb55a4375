"""A minimal in-tree PEP 517 build backend for session_interop, using only the standard library.

Why: the package is pure Python plus the prebuilt libsession.so that `make dist` bundles, and the
machines it is built on reach no Python package index, so `pip install bindings/python` must not
need setuptools or wheel. The wheel is tagged for linux x86_64 because it carries native code.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import zipfile
from pathlib import Path

NAME = "session_interop"
# One version, kept in session_interop/__init__.py (si.__version__).
VERSION = re.search(r'^__version__ = "([^"]+)"', (Path(__file__).resolve().parent.parent / "session_interop" / "__init__.py")
                    .read_text(), re.M).group(1)
TAG = "py3-none-linux_x86_64"
ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / NAME

METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: Anonymous, end-to-end-encrypted Session messaging for Python (ctypes over libsession.so)
Requires-Python: >=3.9
Classifier: Typing :: Typed
License: MIT
"""

WHEEL = f"""Wheel-Version: 1.0
Generator: session_interop wheel_backend
Root-Is-Purelib: false
Tag: {TAG}
"""


def _files():
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path.relative_to(ROOT).as_posix(), path.read_bytes()


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    if not (PACKAGE / "lib" / "libsession.so").exists():
        raise RuntimeError("session_interop/lib/libsession.so is missing: run `make dist` first")
    dist_info = f"{NAME}-{VERSION}.dist-info"
    filename = f"{NAME}-{VERSION}-{TAG}.whl"
    entries = list(_files())
    entries.append((f"{dist_info}/METADATA", METADATA.encode()))
    entries.append((f"{dist_info}/WHEEL", WHEEL.encode()))
    record = "\n".join(_record_line(n, d) for n, d in entries) + f"\n{dist_info}/RECORD,,\n"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name.endswith(".so") else 0o644) << 16
            wheel.writestr(info, data, zipfile.ZIP_DEFLATED)
        wheel.writestr(f"{dist_info}/RECORD", record)
    return filename


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """An editable install is a .pth file pointing at this folder."""
    dist_info = f"{NAME}-{VERSION}.dist-info"
    filename = f"{NAME}-{VERSION}-{TAG}.whl"
    pth = (str(ROOT) + "\n").encode()
    entries = [(f"{NAME}.pth", pth), (f"{dist_info}/METADATA", METADATA.encode()), (f"{dist_info}/WHEEL", WHEEL.encode())]
    record = "\n".join(_record_line(n, d) for n, d in entries) + f"\n{dist_info}/RECORD,,\n"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w") as wheel:
        for name, data in entries:
            wheel.writestr(name, data)
        wheel.writestr(f"{dist_info}/RECORD", record)
    return filename


def build_sdist(sdist_directory, config_settings=None):
    raise RuntimeError("session_interop is distributed as wheels built from the repository (make dist)")
