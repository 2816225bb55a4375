"""Loads libsession.so and declares every export's argtypes/restype, in one place.

tests/python checks this table against include/session.h, so a new export without a declaration
here, or with other types, fails the tests.
"""
from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, c_char_p, c_int32, c_size_t, c_uint32, c_void_p
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _candidates() -> list[str]:
    paths = []
    env = os.environ.get("SESSION_LIBRARY")
    if env:
        paths.append(env)
    bundled = _HERE / "lib" / "libsession.so"
    if bundled.exists():
        paths.append(str(bundled))
    paths.append("libsession.so.1")
    return paths


def _load() -> ctypes.CDLL:
    errors = []
    for path in _candidates():
        try:
            # Never unloaded: the .NET runtime inside libsession.so cannot be unloaded.
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError("cannot load libsession.so (set SESSION_LIBRARY or run `make dist`):\n  " + "\n  ".join(errors))


lib = _load()

# name -> (restype, argtypes). `const char*` results are c_char_p: ctypes copies them at once.
SIGNATURES: dict[str, tuple[object, list[object]]] = {
    "session_abi_major": (c_uint32, []),
    "session_abi_minor": (c_uint32, []),
    "session_abi_compatible": (c_int32, [c_uint32, c_uint32]),
    "session_version_string": (c_char_p, []),
    "session_status_name": (c_char_p, [c_int32]),
    "session_last_error_message": (c_char_p, []),
    "session_last_error_code": (c_char_p, []),
    "session_free": (None, [c_void_p]),
    "session_free_secret": (None, [c_void_p, c_size_t]),
    # identities (session_identity* is an opaque c_void_p)
    "session_identity_generate": (c_int32, [POINTER(c_void_p)]),
    "session_identity_from_seed": (c_int32, [c_char_p, c_size_t, POINTER(c_void_p)]),
    "session_identity_from_mnemonic": (c_int32, [c_char_p, POINTER(c_void_p)]),
    "session_identity_free": (None, [c_void_p]),
    "session_identity_session_id": (c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_identity_mnemonic": (c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_identity_ed25519_public_key": (c_int32, [c_void_p, c_char_p, c_size_t]),
    "session_identity_blinded15_id": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_identity_blinded25_id": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_identity_blind15_sign": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    "session_identity_blind25_sign": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    "session_validate_session_id": (c_int32, [c_char_p]),
    # encryption helpers; outputs are library buffers released with session_free(_secret)
    "session_seal": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t)]),
    "session_open": (c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t), c_char_p, c_size_t]),
    "session_seal_blinded_dm": (c_int32, [c_void_p, c_char_p, c_char_p, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t)]),
    "session_open_blinded_dm": (c_int32, [c_void_p, c_char_p, c_char_p, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t), c_char_p, c_size_t]),
}

for _name, (_restype, _argtypes) in SIGNATURES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = _argtypes

__all__ = ["lib", "SIGNATURES", "POINTER"]
